package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class EventDemoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void noWorkerStartsBeforeTheSignalAndAllStartAfterIt() throws InterruptedException {
        EventDemo.StartRun r = EventDemo.startSignal(6, Duration.ofMillis(20), TIMEOUT);
        assertThat(r.startedEarly()).isZero();
        assertThat(r.wakeOrder()).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5);
        assertThat(Arrays.stream(r.wakeMicros()).min().orElseThrow()).isNotNegative();
    }

    @Test
    void boundedQueueKeepsOrderAndNeverHoldsMoreThanItsCapacity() throws InterruptedException {
        EventDemo.HandoffRun r = EventDemo.handoff(100, 4, Duration.ofMillis(1), TIMEOUT);
        assertThat(r.received()).isEqualTo(100);
        assertThat(r.inOrder()).isTrue();
        assertThat(r.maxDepth()).isBetween(1, 4);
    }

    @Test
    void unboundedQueueKeepsOrderToo() throws InterruptedException {
        EventDemo.HandoffRun r = EventDemo.handoff(50, 0, Duration.ZERO, TIMEOUT);
        assertThat(r.received()).isEqualTo(50);
        assertThat(r.inOrder()).isTrue();
        assertThat(r.producerWaits()).isZero();
    }

    @Test
    void jsonReportsSignalAndHandoff() {
        LabCli r = LabCli.run("event", "--workers", "3", "--wait-ms", "10", "--items", "40", "--capacity", "3",
                "--consume-ms", "1", "--json");
        assertThat(r.exitCode()).isZero();
        JsonNode results = r.json().get("results");
        assertThat(results.get("startSignal").get(0).get("startedBeforeSignal").asInt()).isZero();
        assertThat(results.get("wakeOrder")).hasSize(3);
        JsonNode bounded = results.get("handoff").get(0);
        assertThat(bounded.get("queue").asText()).isEqualTo("bounded(3)");
        assertThat(bounded.get("inOrder").asBoolean()).isTrue();
        assertThat(bounded.get("received").asInt()).isEqualTo(40);
        assertThat(bounded.get("maxDepth").asInt()).isLessThanOrEqualTo(3);
    }
}
