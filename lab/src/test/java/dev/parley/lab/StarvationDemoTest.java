package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StarvationDemoTest {
    @Test
    void fairLockGivesEveryThreadSomeTurns() throws InterruptedException {
        StarvationDemo.Run r = StarvationDemo.contend(true, 1, 3, 20_000, 20_000, Duration.ofMillis(500));
        assertThat(r.shares()).hasSize(4);
        assertThat(r.shares()).allSatisfy(s -> assertThat(s.acquisitions()).as(s.thread()).isPositive());
        assertThat(r.shares()).extracting(StarvationDemo.Share::thread)
                .containsExactly("greedy-1", "polite-1", "polite-2", "polite-3");
    }

    @Test
    void unfairRunCountsEveryAcquisition() throws InterruptedException {
        StarvationDemo.Run r = StarvationDemo.contend(false, 2, 2, 10_000, 10_000, Duration.ofMillis(200));
        assertThat(r.total()).isPositive();                 // who starves is reported, not asserted
        assertThat(r.shares()).extracting(StarvationDemo.Share::greedy).containsExactly(true, true, false, false);
    }

    @Test
    void jsonHasBothLocksPerThread() {
        LabCli r = LabCli.run("starvation", "--greedy", "1", "--polite", "2", "--duration-ms", "300", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode threads = r.json().get("results").get("threads");
        assertThat(threads).hasSize(4);                      // three threads and the total
        for (int i = 0; i < 3; i++) {
            assertThat(threads.get(i).get("fair").asLong()).isPositive();
        }
        assertThat(threads.get(3).get("thread").asText()).isEqualTo("total");
    }
}
