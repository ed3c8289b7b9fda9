package dev.parley.scan;

/**
 * One host's round-trip estimate (RFC 6298 smoothing) and the connect timeout it suggests.
 * Until a few answers have been seen (or the round trip was {@link #markLearned learned}
 * before the bulk of the scan) the full configured timeout applies; after that the
 * timeout is {@code srtt + 4 * rttvar}, kept between the configured minimum and maximum and
 * doubled for each retry (not for a host whose round trip was learned first: it is known to answer). Each lane keeps its own per host, so it needs no lock.
 */
final class RttEstimator {
    /** Answers needed before the estimate is trusted. */
    static final int MIN_SAMPLES = 3;

    private long srtt = -1;
    private long rttvar;
    private int samples;
    /** Set when the round trip was learned before the bulk (host discovery): trusted from one sample. */
    private boolean learned;

    RttEstimator() {
    }

    /** A copy for another lane; a copy of a learned estimate is learned too. */
    RttEstimator copy() {
        RttEstimator c = new RttEstimator();
        c.srtt = srtt;
        c.rttvar = rttvar;
        c.samples = samples;
        c.learned = learned;
        return c;
    }

    /** Trusts the estimate from now on, however few samples it has (at least one). */
    void markLearned() {
        learned = samples > 0;
    }

    boolean learned() {
        return learned;
    }

    /** Smoothed round trip in nanoseconds; -1 before the first sample. */
    long srtt() {
        return srtt;
    }

    void sample(long rttNanos) {
        long r = Math.max(0, rttNanos);
        if (srtt < 0) {
            srtt = r;
            rttvar = r / 2;
        } else {
            rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
            srtt = (7 * srtt + r) / 8;
        }
        samples++;
    }

    /**
     * The timeout for try number {@code tryIndex} (0 for the first).
     *
     * @param minNanos the shortest timeout ever chosen
     * @param maxNanos the configured timeout; never exceeded
     */
    long timeout(int tryIndex, long minNanos, long maxNanos) {
        if (samples < MIN_SAMPLES && !learned) {
            return maxNanos;
        }
        long t = Math.max(minNanos, srtt + 4 * rttvar);
        // a host whose round trip was measured before the bulk is known to answer: silence on a
        // port is a dropped SYN, not a slow host, so a retry waits as long as the first try
        for (int i = 0; i < tryIndex && t < maxNanos && !learned; i++) {
            t *= 2;
        }
        return Math.min(maxNanos, t);
    }

    int samples() {
        return samples;
    }
}
