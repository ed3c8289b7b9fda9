package dev.parley.scan;

/**
 * A token bucket for {@code --rate}: at most {@code perSecond} connection attempts a second,
 * with a burst of a twentieth of a second's worth. Time comes from the caller.
 */
final class RateLimiter {
    private static final long SECOND = 1_000_000_000L;

    private final double perNano;
    private final double burst;
    private double tokens;
    private long last;

    RateLimiter(long perSecond, long nowNanos) {
        if (perSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        this.perNano = perSecond / (double) SECOND;
        this.burst = Math.max(1, Math.min(perSecond / 20.0, 1000));
        this.tokens = 1;
        this.last = nowNanos;
    }

    private void refill(long now) {
        if (now > last) {
            tokens = Math.min(burst, tokens + (now - last) * perNano);
            last = now;
        }
    }

    /** Takes one token if there is one. */
    boolean tryAcquire(long now) {
        refill(now);
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until {@link #tryAcquire} can succeed; at least 1 ns when it cannot now. */
    long nanosUntilNext(long now) {
        refill(now);
        if (tokens >= 1) {
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }
}
