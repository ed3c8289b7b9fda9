package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SemaphoreDemoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void neverMoreThanKInsideTheSection() throws Exception {
        SemaphoreDemo.SectionRun r = SemaphoreDemo.section(12, 3, Duration.ofMillis(20), TIMEOUT);
        assertThat(r.maxInside()).isBetween(1, 3);
    }

    @Test
    void oneWorkerAtATimeWithASinglePermit() throws Exception {
        assertThat(SemaphoreDemo.section(6, 1, Duration.ofMillis(5), TIMEOUT).maxInside()).isEqualTo(1);
    }

    @Test
    void downloaderStaysWithinItsPermitsOnBothSidesAndGetsEveryByte() throws Exception {
        try (SemaphoreDemo.FileServer server = new SemaphoreDemo.FileServer(4096, Duration.ofMillis(20))) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            SemaphoreDemo.DownloadRun r = SemaphoreDemo.download(server, 10, 2, TIMEOUT);
            assertThat(r.maxInFlight()).isBetween(1, 2);
            assertThat(r.serverMaxConcurrent()).isBetween(1, 2);
            assertThat(r.bytes()).isEqualTo(10L * 4096);
        }
    }

    @Test
    void jsonReportsMeasuredMaximaWithinThePermits() {
        LabCli r = LabCli.run("semaphore", "--workers", "8", "--permits", "2", "--hold-ms", "10", "--downloads", "6",
                "--latency-ms", "10", "--size-kb", "4", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode results = r.json().get("results");
        JsonNode limited = results.get("section").get(0);
        assertThat(limited.get("permits").asInt()).isEqualTo(2);
        assertThat(limited.get("maxInside").asInt()).isBetween(1, 2);
        assertThat(results.get("section").get(1).has("permits")).isFalse();
        JsonNode dl = results.get("downloads").get(0);
        assertThat(dl.get("maxInFlight").asInt()).isBetween(1, 2);
        assertThat(dl.get("serverMaxConcurrent").asInt()).isBetween(1, 2);
    }

    @Test
    void aRunOutOfTimeEndsWithOneLineAndExitOne() {
        // ten 300 ms answers one at a time cannot fit in one second
        LabCli r = LabCli.run("semaphore", "--workers", "1", "--hold-ms", "0", "--downloads", "10", "--permits", "1",
                "--latency-ms", "300", "--size-kb", "1", "--timeout", "1");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("parley lab semaphore: run did not finish within 1 s (--timeout)");
    }
}
