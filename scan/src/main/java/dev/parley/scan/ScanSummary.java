package dev.parley.scan;

/**
 * What a whole scan found.
 *
 * @param hosts         hosts scanned
 * @param ports         ports probed over all hosts
 * @param concurrency   the bound on connection attempts in flight
 * @param maxInFlight   most connection attempts that were in flight at once (summed over the lanes)
 * @param addresses     addresses given (host discovery skips those that are down)
 * @param up            addresses that answered host discovery (all of them when there was none)
 */
record ScanSummary(long hosts, long ports, long open, long closed, long filtered, long elapsedNanos,
                   int concurrency, int maxInFlight, long addresses, long up) {
    /** The same scan, preceded by host discovery over {@code addresses} that found {@code up}. */
    ScanSummary withDiscovery(long addresses, long up, long discoveryNanos) {
        return new ScanSummary(hosts, ports, open, closed, filtered, elapsedNanos + discoveryNanos, concurrency,
                maxInFlight, addresses, up);
    }

    /** Ports probed per second of the scan. */
    long portsPerSecond() {
        return elapsedNanos <= 0 ? ports : Math.round(ports * 1e9 / elapsedNanos);
    }

    long elapsedMillis() {
        return elapsedNanos / 1_000_000;
    }
}
