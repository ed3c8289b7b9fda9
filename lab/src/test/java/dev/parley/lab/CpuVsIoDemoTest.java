package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.parley.lab.CpuVsIoDemo.Mode;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CpuVsIoDemoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ParameterizedTest
    @EnumSource(value = Mode.class, names = "ASYNC", mode = EnumSource.Mode.EXCLUDE)
    void everyModeComputesTheSameCpuAnswers(Mode mode) throws Exception {
        long expected = CpuVsIoDemo.run(Mode.SEQUENTIAL, true, 50_000, 4, 2, TIMEOUT).answer();
        assertThat(CpuVsIoDemo.run(mode, true, 50_000, 4, 2, TIMEOUT).answer()).isEqualTo(expected);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void everyModeFinishesEveryIoJob(Mode mode) throws Exception {
        assertThat(CpuVsIoDemo.run(mode, false, 5, 4, 2, TIMEOUT).answer()).isEqualTo(0 + 1 + 2 + 3);
    }

    @Test
    void cpuJobDependsOnEveryIteration() {
        assertThat(Jobs.cpu(1000, 1)).isNotEqualTo(Jobs.cpu(1001, 1));
        assertThat(Jobs.cpu(1000, 1)).isNotEqualTo(Jobs.cpu(1000, 2));
    }

    @Test
    void jsonHasEveryModeAndAgreeingAnswers() {
        LabCli r = LabCli.run("cpu-vs-io", "--jobs", "3", "--cpu-ms", "5", "--io-ms", "5", "--pool", "2", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode results = r.json().get("results");
        assertThat(results.get("answersAgree").asBoolean()).isTrue();
        assertThat(results.get("modes")).hasSize(Mode.values().length);
        JsonNode async = results.get("modes").get(Mode.values().length - 1);
        assertThat(async.get("mode").asText()).isEqualTo("async futures");
        assertThat(async.has("cpuMs")).isFalse();
        assertThat(async.has("ioMs")).isTrue();
        assertThat(results.get("modes").get(0).get("cpuCoresBusy").asDouble()).isPositive();
    }
}
