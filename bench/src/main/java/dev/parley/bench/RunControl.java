package dev.parley.bench;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the coordinator tells the event loops, and what they count for it. The coordinator
 * writes the phase; loops read it once per pass. Times are {@link System#nanoTime()} values.
 */
final class RunControl {
    enum Phase {
        /** Clients connect, register and join. */
        SETUP,
        /** Setup is over: clients not ready by now are closed; ready ones are held. */
        HELD,
        /** Senders send. */
        SENDING,
        /** Senders stopped; messages still on the way are awaited. */
        DRAIN,
        /** Loops close every client and end. */
        CLOSE
    }

    final Mode mode;
    /** Message timestamps are microseconds since this instant. */
    final long baseNanos = System.nanoTime();
    final AtomicInteger handshakeSlots;
    final AtomicInteger ready = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    /** Loops that have closed their stragglers after {@link Phase#HELD}. */
    final AtomicInteger loopsSettled = new AtomicInteger();
    volatile Phase phase = Phase.SETUP;
    /** Deliveries received in {@code [measureStart, measureEnd)} are counted and timed. */
    volatile long measureStartNanos = Long.MAX_VALUE;
    volatile long measureEndNanos = Long.MAX_VALUE;

    RunControl(Mode mode, int connectConcurrency) {
        this.mode = mode;
        this.handshakeSlots = new AtomicInteger(connectConcurrency);
    }

    long micros(long nanos) {
        return (nanos - baseNanos) / 1000;
    }

    boolean tryTakeSlot() {
        while (true) {
            int n = handshakeSlots.get();
            if (n <= 0) {
                return false;
            }
            if (handshakeSlots.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    void releaseSlot() {
        handshakeSlots.incrementAndGet();
    }
}
