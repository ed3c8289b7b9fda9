package dev.parley.server.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed password checks under keys (an address, an address and an account, an
 * account): once a key has {@code maxFailures} failures, further attempts under it are refused
 * for a lockout that doubles with each further failure (up to fifteen minutes). The limits are
 * given with each failure, so they may change while the server runs. A key's count
 * is forgotten an hour after its last failure, or when {@link #clear}ed.
 */
final class LoginThrottle {
    private record Failures(int count, long blockedUntil, long last) {
    }

    static final long MAX_LOCKOUT_MILLIS = 15 * 60_000L;
    static final long FORGET_MILLIS = 60 * 60_000L;

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final AtomicInteger bumps = new AtomicInteger();

    /** Milliseconds until an attempt under {@code key} is allowed, or 0 when it is now. */
    long waitMillis(String key, long now) {
        Failures f = failures.get(key);
        return f == null || f.blockedUntil() <= now ? 0 : f.blockedUntil() - now;
    }

    /**
     * Records a failure under {@code key}, locking it out from the {@code maxFailures}th on, first
     * for {@code lockoutMillis}, doubling with each further failure. Both are the limits now (they
     * may change on REHASH); the count so far is kept.
     */
    void failed(String key, int maxFailures, long lockoutMillis, long now) {
        failures.compute(key, (k, f) -> {
            int count = f == null || now - f.last() > FORGET_MILLIS ? 1 : f.count() + 1;
            long until = 0;
            if (count >= maxFailures) {
                int doublings = Math.min(20, count - maxFailures);
                until = now + Math.min(MAX_LOCKOUT_MILLIS, lockoutMillis << doublings);
            }
            return new Failures(count, until, now);
        });
        if ((bumps.incrementAndGet() & 1023) == 0) {
            failures.values().removeIf(f -> now - f.last() > FORGET_MILLIS && f.blockedUntil() <= now);
        }
    }

    void clear(String key) {
        failures.remove(key);
    }

    static long seconds(long millis) {
        return millis <= 0 ? 0 : Math.max(1, (millis + 999) / 1000);
    }
}
