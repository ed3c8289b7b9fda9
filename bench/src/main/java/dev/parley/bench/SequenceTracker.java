package dev.parley.bench;

/**
 * Correctness accounting for one receiving client: for each sender, which sequence numbers
 * arrived, in what order. Messages from one sender must arrive once each, in the order sent
 * (TCP plus a server that relays in order guarantees it); this tracker names every way a
 * server can fail that.
 *
 * <p>Owned by the event loop of its client: not thread-safe.
 */
final class SequenceTracker {
    /** What one arrival was. */
    enum Outcome {
        /** The next expected number. */
        IN_ORDER,
        /** Ahead of the expected number: the ones in between are missing (for now). */
        AHEAD,
        /** One that was missing arrived after a later one: delivered, but out of order. */
        LATE,
        /** A number already received. */
        DUPLICATE;

        /** True when this arrival is the first receipt of its message. */
        boolean isFirstReceipt() {
            return this != DUPLICATE;
        }
    }

    /** Highest sequence number seen per sender; sequence numbers start at 1. */
    private final long[] highest;
    private final GapSet[] gaps;
    private long received;
    private long duplicates;
    private long late;

    SequenceTracker(int senders) {
        highest = new long[senders];
        gaps = new GapSet[senders];
    }

    Outcome record(int sender, long seq) {
        long top = highest[sender];
        if (seq == top + 1) {
            highest[sender] = seq;
            received++;
            return Outcome.IN_ORDER;
        }
        if (seq > top) {
            if (gaps[sender] == null) {
                gaps[sender] = new GapSet();
            }
            gaps[sender].addRange(top + 1, seq - 1);
            highest[sender] = seq;
            received++;
            return Outcome.AHEAD;
        }
        if (seq >= 1 && gaps[sender] != null && gaps[sender].remove(seq)) {
            received++;
            late++;
            return Outcome.LATE;
        }
        duplicates++;
        return Outcome.DUPLICATE;
    }

    /** Messages of {@code sender} numbered 1..sent that never arrived. */
    long missing(int sender, long sent) {
        long skipped = gaps[sender] == null ? 0 : gaps[sender].count();
        return skipped + Math.max(0, sent - highest[sender]);
    }

    /** Distinct messages received from all senders. */
    long received() {
        return received;
    }

    long duplicates() {
        return duplicates;
    }

    /** Messages that arrived after one sent later by the same sender. */
    long outOfOrder() {
        return late;
    }
}
