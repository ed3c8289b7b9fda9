package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {
    @Test
    void delaysDoubleUpToTheMaximumWithJitterInTheUpperHalf() {
        Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(8), 10, new Random(7));
        long[] ceilings = {1000, 2000, 4000, 8000, 8000, 8000};
        for (long ceiling : ceilings) {
            long d = b.next().toMillis();
            assertThat(d).isBetween(ceiling / 2, ceiling);
        }
        assertThat(b.attempts()).isEqualTo(6);
    }

    @Test
    void jitterSpreadsClientsApart() {
        Backoff a = new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(60), 5, new Random(1));
        Backoff b = new Backoff(Duration.ofSeconds(4), Duration.ofSeconds(60), 5, new Random(2));
        assertThat(a.next()).isNotEqualTo(b.next());
    }

    @Test
    void attemptsAreLimitedAndResetAfterSuccess() {
        Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 2, new Random(3));
        b.next();
        b.next();
        assertThat(b.hasNext()).isFalse();
        b.reset();
        assertThat(b.hasNext()).isTrue();
        assertThat(b.next().toMillis()).isBetween(5L, 10L);
    }

    @Test
    void zeroAttemptsNeverReconnects() {
        assertThat(new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(1), 0, new Random()).hasNext()).isFalse();
    }
}
