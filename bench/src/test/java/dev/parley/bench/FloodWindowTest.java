package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FloodWindowTest {
    private static final long TIMEOUT = 1_000_000_000L;

    @Test
    void atMostWindowMessagesAreInFlight() {
        FloodWindow w = new FloodWindow(3, 2, TIMEOUT);
        assertThat(w.tryAcquire(1, 0)).isTrue();
        assertThat(w.tryAcquire(2, 0)).isTrue();
        assertThat(w.tryAcquire(3, 0)).isTrue();
        assertThat(w.tryAcquire(4, 0)).as("slot of 1 still busy").isFalse();
        assertThat(w.inFlight()).isEqualTo(3);
    }

    @Test
    void aMessageFreesItsSlotOnlyWhenEveryReceiverHasIt() {
        FloodWindow w = new FloodWindow(1, 3, TIMEOUT);
        w.tryAcquire(1, 0);
        assertThat(w.delivered(1)).isFalse();
        assertThat(w.delivered(1)).isFalse();
        assertThat(w.tryAcquire(2, 0)).isFalse();
        assertThat(w.delivered(1)).as("the last receiver completes it").isTrue();
        assertThat(w.tryAcquire(2, 0)).isTrue();
    }

    @Test
    void aStuckMessageIsReleasedAfterTheTimeoutAndCounted() {
        FloodWindow w = new FloodWindow(1, 2, TIMEOUT);
        w.tryAcquire(1, 0);
        w.delivered(1);
        assertThat(w.tryAcquire(2, TIMEOUT - 1)).isFalse();
        assertThat(w.tryAcquire(2, TIMEOUT)).isTrue();
        assertThat(w.timedOut()).isEqualTo(1);
        assertThat(w.delivered(1)).as("a late arrival of the old message does not count for the new").isFalse();
        assertThat(w.delivered(2)).isFalse();
        assertThat(w.delivered(2)).isTrue();
    }

    @Test
    void withNoReceiversNothingIsInFlight() {
        FloodWindow w = new FloodWindow(2, 0, TIMEOUT);
        for (long s = 1; s <= 10; s++) {
            assertThat(w.tryAcquire(s, 0)).isTrue();
        }
        assertThat(w.inFlight()).isZero();
    }

    @Test
    void limitsAreChecked() {
        assertThatThrownBy(() -> new FloodWindow(0, 1, TIMEOUT)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FloodWindow(1, FloodWindow.MAX_RECEIVERS + 1, TIMEOUT))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
