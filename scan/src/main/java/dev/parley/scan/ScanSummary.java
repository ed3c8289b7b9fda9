package dev.parley.scan;

/**
 * What a whole scan found.
 *
 * @param hosts         hosts scanned
 * @param ports         ports probed over all hosts
 * @param concurrency   the bound on connection attempts in flight
 * @param maxInFlight   most connection attempts that were in flight at once (summed over the lanes)
 */
record ScanSummary(long hosts, long ports, long open, long closed, long filtered, long elapsedNanos,
                   int concurrency, int maxInFlight) {
    /** Ports probed per second of the scan. */
    long portsPerSecond() {
        return elapsedNanos <= 0 ? ports : Math.round(ports * 1e9 / elapsedNanos);
    }

    long elapsedMillis() {
        return elapsedNanos / 1_000_000;
    }
}
