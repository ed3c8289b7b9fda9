package dev.parley.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LivelockDemoTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Test
    void politeWorkersInStepDoNoWorkAtAll() throws InterruptedException {
        LivelockDemo.Run r = LivelockDemo.corridor(false, 300, 5, 1, TIMEOUT);
        assertThat(r.rounds()).isEqualTo(300);
        assertThat(r.attempts()).isEqualTo(600);
        assertThat(r.collisions()).isEqualTo(600);
        assertThat(r.workDone()).isZero();
        assertThat(r.finished()).isFalse();
    }

    @Test
    void randomBackoffGetsAllTheWorkDone() throws InterruptedException {
        LivelockDemo.Run r = LivelockDemo.corridor(true, 5000, 5, 7, TIMEOUT);
        assertThat(r.finished()).isTrue();
        assertThat(r.workDone()).isEqualTo(10);
        assertThat(r.attempts()).isEqualTo(r.workDone() + r.collisions());
    }

    @Test
    void theSameSeedRepeatsTheRunExactly() throws InterruptedException {
        LivelockDemo.Run a = LivelockDemo.corridor(true, 5000, 5, 42, TIMEOUT);
        LivelockDemo.Run b = LivelockDemo.corridor(true, 5000, 5, 42, TIMEOUT);
        assertThat(b.rounds()).isEqualTo(a.rounds());
        assertThat(b.collisions()).isEqualTo(a.collisions());
    }

    @Test
    void commandLineReportsZeroWorkThenCompletion() {
        LabCli r = LabCli.run("livelock", "--rounds", "200", "--work", "3", "--seed", "5", "--json");
        assertThat(r.exitCode()).isZero();
        var runs = r.json().get("results").get("runs");
        assertThat(runs.get(0).get("run").asText()).isEqualTo("polite");
        assertThat(runs.get(0).get("workDone").asInt()).isZero();
        assertThat(runs.get(0).get("attempts").asInt()).isEqualTo(400);
        assertThat(runs.get(1).get("workDone").asInt()).isEqualTo(6);
    }
}
