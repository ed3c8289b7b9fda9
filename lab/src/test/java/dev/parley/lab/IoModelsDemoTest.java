package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.server.config.EngineKind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class IoModelsDemoTest {
    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void everyMessageReachesEveryOtherMember(EngineKind kind) throws Exception {
        IoModelsDemo.EngineRun r = IoModelsDemo.measure(kind, 8, 3, 20, Duration.ofSeconds(60));
        assertThat(r.engine()).isEqualTo(kind.label());
        assertThat(r.load().expected()).isEqualTo(3L * 20 * 7);
        assertThat(r.load().delivered()).isEqualTo(r.load().expected());
        assertThat(r.load().latencyMicros().getTotalCount()).isEqualTo(r.load().expected());
        assertThat(r.load().dropped()).isZero();
    }

    @Test
    void jsonHasOneRowPerEngineOfTheServer() {
        LabCli r = LabCli.run("io-models", "--clients", "5", "--senders", "2", "--messages", "10", "--json");
        assertThat(r.exitCode()).isZero();
        List<String> engines = new ArrayList<>();
        for (JsonNode row : r.json().get("results").get("engines")) {
            engines.add(row.get("engine").asText());
            assertThat(row.get("delivered").asLong()).isEqualTo(2L * 10 * 4);
        }
        List<String> expected = new ArrayList<>();
        for (EngineKind k : EngineKind.values()) {
            expected.add(k.label());
        }
        assertThat(engines).isEqualTo(expected);
    }

    @Test
    void oneEngineCanBeChosen() {
        LabCli r = LabCli.run("io-models", "--engines", "virtual", "--clients", "3", "--senders", "1", "--messages", "5",
                "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode rows = r.json().get("results").get("engines");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("engine").asText()).isEqualTo("virtual");
    }
}
