package dev.parley.scan;

/**
 * How one host answered in time, as the scan learned it.
 *
 * @param rttNanos     smoothed round trip; -1 when the host never answered
 * @param timeoutNanos the wait a first try got at the end of the scan (the full {@code --timeout}
 *                     while the round trip was unknown)
 * @param samples      answers measured
 * @param learned      whether the round trip was measured before the bulk of the ports (host discovery)
 */
record HostTiming(long rttNanos, long timeoutNanos, int samples, boolean learned) {
    long timeoutMillis() {
        return timeoutNanos / 1_000_000;
    }

    /** Round trip in microseconds, -1 when unknown. */
    long rttMicros() {
        return rttNanos < 0 ? -1 : rttNanos / 1_000;
    }
}
