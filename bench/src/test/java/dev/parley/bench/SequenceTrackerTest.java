package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.bench.SequenceTracker.Outcome;
import org.junit.jupiter.api.Test;

class SequenceTrackerTest {
    private final SequenceTracker t = new SequenceTracker(3);

    @Test
    void everyMessageOnceAndInOrderIsClean() {
        for (long s = 1; s <= 100; s++) {
            assertThat(t.record(0, s)).isEqualTo(Outcome.IN_ORDER);
        }
        assertThat(t.missing(0, 100)).isZero();
        assertThat(t.received()).isEqualTo(100);
        assertThat(t.duplicates()).isZero();
        assertThat(t.outOfOrder()).isZero();
    }

    @Test
    void aLostMessageInTheMiddleIsMissing() {
        t.record(0, 1);
        t.record(0, 2);
        assertThat(t.record(0, 4)).isEqualTo(Outcome.AHEAD);
        t.record(0, 5);
        assertThat(t.missing(0, 5)).isEqualTo(1);
        assertThat(t.outOfOrder()).isZero();
    }

    @Test
    void messagesThatNeverCameAtTheEndAreMissing() {
        t.record(1, 1);
        t.record(1, 2);
        t.record(1, 3);
        assertThat(t.missing(1, 5)).isEqualTo(2);
        assertThat(t.missing(2, 4)).as("a sender never heard from").isEqualTo(4);
    }

    @Test
    void aDuplicateIsCountedAndNotReceivedTwice() {
        t.record(0, 1);
        t.record(0, 2);
        assertThat(t.record(0, 2)).isEqualTo(Outcome.DUPLICATE);
        assertThat(t.record(0, 1)).isEqualTo(Outcome.DUPLICATE);
        assertThat(t.duplicates()).isEqualTo(2);
        assertThat(t.received()).isEqualTo(2);
        assertThat(t.missing(0, 2)).isZero();
    }

    @Test
    void aReorderedMessageIsOutOfOrderNotMissing() {
        t.record(0, 1);
        t.record(0, 3);
        assertThat(t.missing(0, 3)).isEqualTo(1);
        assertThat(t.record(0, 2)).isEqualTo(Outcome.LATE);
        assertThat(t.missing(0, 3)).isZero();
        assertThat(t.outOfOrder()).isEqualTo(1);
        assertThat(t.record(0, 2)).as("the late one again").isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void gapsSplitAndFillInAnyOrder() {
        t.record(0, 1);
        t.record(0, 10); // 2..9 skipped
        t.record(0, 5);
        t.record(0, 2);
        t.record(0, 9);
        t.record(0, 20); // 11..19 skipped
        assertThat(t.missing(0, 20)).isEqualTo(5 + 9);
        assertThat(t.outOfOrder()).isEqualTo(3);
        assertThat(t.record(0, 0)).as("numbers start at 1").isEqualTo(Outcome.DUPLICATE);
    }

    @Test
    void sendersAreTrackedSeparately() {
        t.record(0, 1);
        t.record(1, 1);
        t.record(0, 2);
        t.record(1, 2);
        assertThat(t.record(2, 1)).isEqualTo(Outcome.IN_ORDER);
        assertThat(t.missing(0, 2) + t.missing(1, 2) + t.missing(2, 1)).isZero();
    }
}
