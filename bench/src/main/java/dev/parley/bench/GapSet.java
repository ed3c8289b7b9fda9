package dev.parley.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * Sequence numbers that were skipped over: a set of closed ranges. Usually empty; it only
 * grows when a message arrives ahead of one it should have followed.
 */
final class GapSet {
    /** start → end, both inclusive, never overlapping or touching. */
    private final TreeMap<Long, Long> ranges = new TreeMap<>();
    private long count;

    /** Adds {@code [from, to]}, which must lie above every range already held. */
    void addRange(long from, long to) {
        if (from > to) {
            return;
        }
        Map.Entry<Long, Long> last = ranges.lastEntry();
        if (last != null && last.getValue() >= from) {
            throw new IllegalArgumentException("ranges must be added in ascending order");
        }
        ranges.put(from, to);
        count += to - from + 1;
    }

    /** Removes {@code seq}; true when it was one of the skipped numbers. */
    boolean remove(long seq) {
        Map.Entry<Long, Long> e = ranges.floorEntry(seq);
        if (e == null || e.getValue() < seq) {
            return false;
        }
        long from = e.getKey();
        long to = e.getValue();
        ranges.remove(from);
        if (from < seq) {
            ranges.put(from, seq - 1);
        }
        if (seq < to) {
            ranges.put(seq + 1, to);
        }
        count--;
        return true;
    }

    /** How many sequence numbers are still missing. */
    long count() {
        return count;
    }
}
