package dev.parley.scan;

import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when told to. */
final class FakeClock implements LongSupplier {
    private long now = 1_000_000_000L;

    @Override
    public synchronized long getAsLong() {
        return now;
    }

    synchronized void advanceTo(long t) {
        if (t > now) {
            now = t;
        }
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }
}
