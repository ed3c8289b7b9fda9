package dev.parley.server.service;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembered hosts: the last nick seen from each address, so a returning client can be greeted
 * by name. Implementations must be safe from any thread and must not block the caller for long
 * (a persistent one writes behind).
 */
public interface HostMemory {
    /** What was last seen from one address. */
    public record Seen(String nick, long atMillis) {
    }

    Optional<Seen> lookup(String address);

    void remember(String address, String nick, long atMillis);

    /** Forgets every address; returns how many were forgotten. */
    int clear();

    int size();

    /** Remembers nothing (for {@code --no-remember-hosts}). */
    public static HostMemory disabled() {
        return new HostMemory() {
            @Override
            public Optional<Seen> lookup(String address) {
                return Optional.empty();
            }

            @Override
            public void remember(String address, String nick, long atMillis) {
            }

            @Override
            public int clear() {
                return 0;
            }

            @Override
            public int size() {
                return 0;
            }
        };
    }

    /**
     * Forgets the longest-unseen tenth of {@code seen} (at least one) when it holds more than
     * {@code max}; returns the time before which addresses were forgotten.
     */
    static long evictOldest(Map<String, Seen> seen, int max) {
        long[] times = seen.values().stream().mapToLong(Seen::atMillis).sorted().toArray();
        int drop = Math.max(times.length - max, Math.max(1, max / 10));
        long cutoff = times[Math.min(drop, times.length - 1)];
        seen.values().removeIf(s -> s.atMillis() < cutoff);
        return cutoff;
    }

    /** Kept in memory only: forgotten on restart. At most {@code max} addresses. */
    public static HostMemory inMemory(int max) {
        Map<String, Seen> seen = new ConcurrentHashMap<>();
        return new HostMemory() {
            @Override
            public Optional<Seen> lookup(String address) {
                return Optional.ofNullable(seen.get(address));
            }

            @Override
            public void remember(String address, String nick, long atMillis) {
                seen.put(address, new Seen(nick, atMillis));
                if (seen.size() > max) {
                    evictOldest(seen, max);
                }
            }

            @Override
            public int clear() {
                int n = seen.size();
                seen.clear();
                return n;
            }

            @Override
            public int size() {
                return seen.size();
            }
        };
    }
}
