package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.lab.PhilosophersDemo.Dinner;
import dev.parley.lab.PhilosophersDemo.Ending;
import dev.parley.lab.PhilosophersDemo.Strategy;
import dev.parley.lab.PhilosophersDemo.Timing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PhilosophersDemoTest {
    private static final Duration WATCH = Duration.ofMillis(50);
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** A long reach between the forks makes the naive table deadlock on its first round. */
    private static final Timing DEADLY = new Timing(Duration.ofMillis(1), Duration.ZERO, Duration.ofMillis(20));
    private static final Timing QUICK = new Timing(Duration.ofMillis(1), Duration.ofMillis(1), Duration.ofMillis(1));

    @Test
    void naiveTableDeadlocksAndTheCycleHoldsEveryPhilosopher() throws InterruptedException {
        Dinner d = PhilosophersDemo.dine(Strategy.NAIVE, 5, 10_000, DEADLY, WATCH, TIMEOUT);
        assertThat(d.ending()).isEqualTo(Ending.DEADLOCKED);
        List<String> who = new ArrayList<>();
        d.cycle().forEach(l -> who.add(l.philosopher()));
        assertThat(who).containsExactly("philosopher-0", "philosopher-1", "philosopher-2", "philosopher-3",
                "philosopher-4");
        for (int i = 0; i < 5; i++) {
            DeadlockWatchdog.Link l = d.cycle().get(i);
            assertThat(l.holds()).containsExactly("fork-" + i);
            assertThat(l.waitsFor()).isEqualTo("fork-" + (i + 1) % 5);
            assertThat(l.heldBy()).isEqualTo("philosopher-" + (i + 1) % 5);
        }
        assertThat(d.jvmAgrees()).isTrue();
        assertThat(d.stopped()).isEqualTo(5);
        assertThat(Thread.getAllStackTraces().keySet())
                .noneMatch(t -> t.getName().startsWith("philosopher-") && t.isAlive());
    }

    @ParameterizedTest
    @EnumSource(value = Strategy.class, names = {"ORDERED", "WAITER", "TRYLOCK"})
    void otherStrategiesServeEveryMeal(Strategy s) throws InterruptedException {
        Dinner d = PhilosophersDemo.dine(s, 5, 60, QUICK, WATCH, TIMEOUT);
        assertThat(d.ending()).isEqualTo(Ending.FINISHED);
        assertThat(d.served()).isEqualTo(60);
        assertThat(d.meals()).hasSize(5);
        assertThat(d.cycle()).isEmpty();
    }

    @Test
    void jainIndexIsOneForEvenMealsAndOneOverNForOneEater() {
        assertThat(PhilosophersDemo.jain(new int[] {4, 4, 4, 4})).isEqualTo(1.0);
        assertThat(PhilosophersDemo.jain(new int[] {8, 0, 0, 0})).isEqualTo(0.25);
    }

    @Test
    void naiveFromTheCommandLinePrintsTheCycleAndEnds() {
        LabCli r = LabCli.run("philosophers", "--strategy", "naive", "--reach-ms", "20", "--think-ms", "0",
                "--meals", "10000", "--watch-ms", "50");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("DEADLOCK", "philosopher-0 holds fork-0 and waits for fork-1, held by philosopher-1",
                "cycle: philosopher-0 → fork-1 → philosopher-1", "→ philosopher-4 → fork-0 → philosopher-0", "Why: ");
    }

    @Test
    void orderedAsJsonReportsMealsPerPhilosopher() {
        LabCli r = LabCli.run("philosophers", "--strategy", "ordered", "--philosophers", "4", "--meals", "40",
                "--eat-ms", "0", "--think-ms", "1", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode results = r.json().get("results");
        assertThat(results.get("ending").asText()).isEqualTo("finished");
        assertThat(results.get("mealsServed").asInt()).isEqualTo(40);
        int sum = 0;
        for (JsonNode p : results.get("meals")) {
            sum += p.get("meals").asInt();
        }
        assertThat(results.get("meals")).hasSize(4);
        assertThat(sum).isEqualTo(40);
        assertThat(r.json().get("parameters").get("strategy").asText()).isEqualTo("ordered");
    }
}
