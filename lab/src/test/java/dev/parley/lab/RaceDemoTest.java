package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.lab.RaceDemo.Mode;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RaceDemoTest {
    @ParameterizedTest
    @EnumSource(value = Mode.class, names = {"LOCK", "SYNCHRONIZED", "ATOMIC", "ADDER"})
    void synchronizedCountsAreExact(Mode mode) throws InterruptedException {
        RaceDemo.Run r = RaceDemo.measure(mode, 4, 50_000);
        assertThat(r.expected()).isEqualTo(200_000);
        assertThat(r.counted()).isEqualTo(200_000);
        assertThat(r.lost()).isZero();
    }

    @Test
    void unsynchronizedCountNeverExceedsTheIncrements() throws InterruptedException {
        RaceDemo.Run r = RaceDemo.measure(Mode.UNSYNCHRONIZED, 4, 50_000);
        assertThat(r.counted()).isBetween(1L, 200_000L);      // lost updates are reported, not asserted
        assertThat(r.lost()).isEqualTo(200_000 - r.counted());
    }

    @Test
    void jsonReportsEveryModeWithExactCountsWhereSynchronized() {
        LabCli r = LabCli.run("race", "--threads", "3", "--increments", "10000", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode doc = r.json();
        assertThat(doc.get("demo").asText()).isEqualTo("race");
        assertThat(doc.get("parameters").get("threads").asInt()).isEqualTo(3);
        assertThat(doc.get("why").asText()).contains("read the value, add one, write it back");
        Map<String, JsonNode> byMode = new HashMap<>();
        doc.get("results").get("runs").forEach(run -> byMode.put(run.get("mode").asText(), run));
        assertThat(byMode).containsOnlyKeys("unsynchronized", "lock", "synchronized", "atomic", "adder");
        for (String exact : new String[] {"lock", "synchronized", "atomic", "adder"}) {
            assertThat(byMode.get(exact).get("counted").asLong()).as(exact).isEqualTo(30_000);
            assertThat(byMode.get(exact).get("lost").asLong()).as(exact).isZero();
        }
        JsonNode racy = byMode.get("unsynchronized");
        assertThat(racy.get("lost").asLong()).isEqualTo(30_000 - racy.get("counted").asLong());
        assertThat(doc.get("results").get("lostUpdates").asLong()).isEqualTo(racy.get("lost").asLong());
    }

    @Test
    void textSaysWhatItShowsThenResultThenWhy() {
        LabCli r = LabCli.run("race", "--threads", "2", "--increments", "1000");
        assertThat(r.exitCode()).isZero();
        String out = r.out();
        assertThat(out).startsWith("== race:");
        assertThat(out.indexOf("Settings: --threads 2 --increments 1000"))
                .isLessThan(out.indexOf("Counter after"));
        assertThat(out.indexOf("Counter after")).isLessThan(out.indexOf("Why: "));
        assertThat(out).contains("synchronized", "LongAdder", "2,000");
    }
}
