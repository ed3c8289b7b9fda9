package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LabCommandTest {
    static final String[] DEMOS = {"race", "semaphore", "event", "philosophers", "livelock", "starvation", "cpu-vs-io",
        "io-models"};

    @Test
    void aloneItListsEveryDemo() {
        LabCli r = LabCli.run();
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains(DEMOS).contains("parley lab <demo>");
    }

    @Test
    void listAsJsonNamesEveryDemoWithADescription() {
        JsonNode demos = LabCli.run("--json").json().get("demos");
        List<String> names = new ArrayList<>();
        demos.forEach(d -> {
            names.add(d.get("name").asText());
            assertThat(d.get("description").asText()).isNotBlank();
        });
        assertThat(names).containsExactly(DEMOS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"race", "semaphore", "event", "philosophers", "livelock", "starvation", "cpu-vs-io",
        "io-models"})
    void everyDemoHasHelpWithJsonOption(String demo) {
        LabCli r = LabCli.run(demo, "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Usage: lab " + demo).contains("--json");
    }

    @Test
    void outOfRangeOptionIsOneLineAndExitTwo() {
        LabCli r = LabCli.run("race", "--threads", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("parley lab race: --threads must be between 1 and 256, not 0");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void unknownStrategyIsExplained() {
        LabCli r = LabCli.run("philosophers", "--strategy", "polite");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown strategy 'polite'").contains("naive, ordered, waiter, trylock");
    }

    @Test
    void unknownEngineIsExplained() {
        LabCli r = LabCli.run("io-models", "--engines", "fibers");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown engine 'fibers'");
    }

    @Test
    void unknownDemoIsAUsageError() {
        LabCli r = LabCli.run("mutex");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("mutex");
    }
}
