package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.parley.bench.BenchResult.Latency;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencyTest {
    @Test
    void percentilesAreInMillisecondsFromMicrosecondSamples() {
        Histogram h = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        for (int us = 1; us <= 10_000; us++) {
            h.recordValue(us);
        }
        Latency l = Latency.of(h);
        assertThat(l.count()).isEqualTo(10_000);
        assertThat(l.p50()).isCloseTo(5.0, within(0.01));
        assertThat(l.p90()).isCloseTo(9.0, within(0.01));
        assertThat(l.p99()).isCloseTo(9.9, within(0.01));
        assertThat(l.p999()).isCloseTo(9.99, within(0.01));
        assertThat(l.max()).isCloseTo(10.0, within(0.01));
        assertThat(l.mean()).isCloseTo(5.0, within(0.01));
    }

    @Test
    void aFewSlowSamplesShowInTheTailNotTheMedian() {
        Histogram h = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        h.recordValueWithCount(1_000, 995);
        h.recordValueWithCount(250_000, 5);
        Latency l = Latency.of(h);
        assertThat(l.p50()).isCloseTo(1.0, within(0.01));
        assertThat(l.p99()).isCloseTo(1.0, within(0.01));
        assertThat(l.p999()).isCloseTo(250.0, within(0.5));
        assertThat(l.max()).isCloseTo(250.0, within(0.5));
    }

    @Test
    void noSamplesIsAllZero() {
        assertThat(Latency.of(new Histogram(3))).isEqualTo(new Latency(0, 0, 0, 0, 0, 0, 0));
    }
}
