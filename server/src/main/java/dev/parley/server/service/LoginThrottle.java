package dev.parley.server.service;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Throttles failed logins per account and per address: after {@code maxFailures} failures in a
 * row, further attempts are refused for a lockout that doubles with each further failure (up
 * to a ceiling). A successful login clears both counters.
 */
final class LoginThrottle {
    private record Failures(int count, long blockedUntil) {
    }

    private static final long MAX_LOCKOUT_MILLIS = 15 * 60_000L;

    private final int maxFailures;
    private final long lockoutMillis;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    LoginThrottle(int maxFailures, long lockoutMillis) {
        this.maxFailures = maxFailures;
        this.lockoutMillis = lockoutMillis;
    }

    /** Seconds until {@code account} from {@code address} may try again, or 0 when it may now. */
    long waitSeconds(String account, String address, long now) {
        long until = Math.max(blockedUntil("acct:" + account), blockedUntil("addr:" + address));
        return until > now ? Math.max(1, (until - now + 999) / 1000) : 0;
    }

    private long blockedUntil(String key) {
        Failures f = failures.get(key);
        return f == null ? 0 : f.blockedUntil();
    }

    void failed(String account, String address, long now) {
        bump("acct:" + account, now);
        bump("addr:" + address, now);
    }

    private void bump(String key, long now) {
        failures.compute(key, (k, f) -> {
            int count = f == null ? 1 : f.count() + 1;
            long until = 0;
            if (count >= maxFailures) {
                int doublings = Math.min(20, count - maxFailures);
                until = now + Math.min(MAX_LOCKOUT_MILLIS, lockoutMillis << doublings);
            }
            return new Failures(count, until);
        });
    }

    void succeeded(String account, String address) {
        failures.remove("acct:" + account);
        failures.remove("addr:" + address);
    }
}
