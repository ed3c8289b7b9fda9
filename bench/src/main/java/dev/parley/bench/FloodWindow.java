package dev.parley.bench;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The closed loop of flood mode: one sender may have at most {@code size} messages in flight,
 * where a message is in flight until every expected receiver has it. Sequence number
 * {@code s} occupies slot {@code s % size}; the slot holds {@code s} and the count of
 * receivers still waiting, packed in one long so a late arrival for an older message can
 * never count against a newer one.
 *
 * <p>{@link #tryAcquire} is called only by the sender's event loop; {@link #delivered} by any
 * loop that reads a receiver.
 */
final class FloodWindow {
    static final int COUNT_BITS = 20;
    /** Largest number of receivers one message may have. */
    static final int MAX_RECEIVERS = (1 << COUNT_BITS) - 1;
    private static final long COUNT_MASK = MAX_RECEIVERS;

    private final AtomicLongArray slots;
    private final long[] sentAt;
    private final int receivers;
    private final long timeoutNanos;
    private long timedOut;

    FloodWindow(int size, int receivers, long timeoutNanos) {
        if (size < 1) {
            throw new IllegalArgumentException("window must be at least 1");
        }
        if (receivers < 0 || receivers > MAX_RECEIVERS) {
            throw new IllegalArgumentException("receivers must be between 0 and " + MAX_RECEIVERS);
        }
        this.slots = new AtomicLongArray(size);
        this.sentAt = new long[size];
        this.receivers = receivers;
        this.timeoutNanos = timeoutNanos;
    }

    /**
     * Claims the slot for {@code seq} when it is free (its previous message fully delivered,
     * or older than the timeout, which is counted). Sender's loop only.
     */
    boolean tryAcquire(long seq, long nowNanos) {
        int i = slot(seq);
        long v = slots.get(i);
        if ((v & COUNT_MASK) != 0) {
            if (nowNanos - sentAt[i] < timeoutNanos) {
                return false;
            }
            timedOut++;
        }
        sentAt[i] = nowNanos;
        slots.set(i, (seq << COUNT_BITS) | receivers);
        return true;
    }

    /** One receiver has {@code seq}; true when that completed the message. Any thread. */
    boolean delivered(long seq) {
        int i = slot(seq);
        while (true) {
            long v = slots.get(i);
            if ((v >>> COUNT_BITS) != seq || (v & COUNT_MASK) == 0) {
                return false;
            }
            if (slots.compareAndSet(i, v, v - 1)) {
                return ((v - 1) & COUNT_MASK) == 0;
            }
        }
    }

    /** Messages still waiting for a receiver. Any thread (approximate while running). */
    int inFlight() {
        int n = 0;
        for (int i = 0; i < slots.length(); i++) {
            if ((slots.get(i) & COUNT_MASK) != 0) {
                n++;
            }
        }
        return n;
    }

    /** Slots released because their message was not fully delivered within the timeout. */
    long timedOut() {
        return timedOut;
    }

    int receivers() {
        return receivers;
    }

    private int slot(long seq) {
        return (int) (seq % slots.length());
    }
}
