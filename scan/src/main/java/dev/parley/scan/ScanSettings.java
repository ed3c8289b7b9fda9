package dev.parley.scan;

/**
 * How a scan runs.
 *
 * @param concurrency    connection attempts in flight at most (already fitted to the open-file limit)
 * @param timeoutNanos   longest wait for an answer to one attempt
 * @param minTimeoutNanos shortest wait the per-host adaptive timeout may choose
 * @param retries        further attempts after a first one that got no answer
 * @param rate           attempts started per second at most; 0 for no limit
 * @param banner         read what open ports say first
 * @param bannerTimeoutNanos how long to wait for that
 * @param lanes          scan loops running side by side, each on its own thread with its own
 *                       connector and a share of {@code concurrency} and {@code rate}
 * @param randomize      try each host's ports in a random order (results are still reported in order)
 */
record ScanSettings(int concurrency, long timeoutNanos, long minTimeoutNanos, int retries, long rate,
                    boolean banner, long bannerTimeoutNanos, int lanes, boolean randomize) {
    ScanSettings {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
        if (timeoutNanos <= 0 || minTimeoutNanos <= 0) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("retries must not be negative");
        }
        if (rate < 0) {
            throw new IllegalArgumentException("rate must not be negative");
        }
        if (banner && bannerTimeoutNanos <= 0) {
            throw new IllegalArgumentException("banner timeout must be positive");
        }
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1");
        }
        minTimeoutNanos = Math.min(minTimeoutNanos, timeoutNanos);
        lanes = (int) Math.min(lanes, Math.min(concurrency, rate > 0 ? rate : Integer.MAX_VALUE));
    }

    static ScanSettings defaults() {
        return new ScanSettings(256, 1_000_000_000L, 100_000_000L, 1, 0, false, 2_000_000_000L, 1, false);
    }

    ScanSettings withConcurrency(int n) {
        return new ScanSettings(n, timeoutNanos, minTimeoutNanos, retries, rate, banner, bannerTimeoutNanos, lanes, randomize);
    }

    ScanSettings withTimeouts(long timeout, long minTimeout) {
        return new ScanSettings(concurrency, timeout, minTimeout, retries, rate, banner, bannerTimeoutNanos, lanes, randomize);
    }

    ScanSettings withRetries(int n) {
        return new ScanSettings(concurrency, timeoutNanos, minTimeoutNanos, n, rate, banner, bannerTimeoutNanos, lanes, randomize);
    }

    ScanSettings withRate(long perSecond) {
        return new ScanSettings(concurrency, timeoutNanos, minTimeoutNanos, retries, perSecond, banner,
                bannerTimeoutNanos, lanes, randomize);
    }

    ScanSettings withLanes(int n) {
        return new ScanSettings(concurrency, timeoutNanos, minTimeoutNanos, retries, rate, banner, bannerTimeoutNanos, n, randomize);
    }

    ScanSettings withRandomOrder(boolean on) {
        return new ScanSettings(concurrency, timeoutNanos, minTimeoutNanos, retries, rate, banner, bannerTimeoutNanos,
                lanes, on);
    }

    ScanSettings withBanner(long timeout) {
        return new ScanSettings(concurrency, timeoutNanos, minTimeoutNanos, retries, rate, true, timeout, lanes, randomize);
    }
}
