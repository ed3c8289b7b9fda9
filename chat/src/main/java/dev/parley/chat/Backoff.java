package dev.parley.chat;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Reconnect delays: exponential backoff with "equal jitter". Attempt {@code n} waits a random
 * time between half and all of {@code min(max, initial * 2^(n-1))}, so many clients dropped
 * at once do not come back in step. Used only by the chat loop thread.
 */
final class Backoff {
    private final Duration initial;
    private final Duration max;
    private final int maxAttempts;
    private final RandomGenerator random;
    private int attempts;

    /** {@code maxAttempts} 0 means never reconnect. */
    Backoff(Duration initial, Duration max, int maxAttempts, RandomGenerator random) {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0 || maxAttempts < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max and maxAttempts >= 0");
        }
        this.initial = initial;
        this.max = max;
        this.maxAttempts = maxAttempts;
        this.random = random;
    }

    /** True while another attempt is allowed. */
    boolean hasNext() {
        return attempts < maxAttempts;
    }

    /** Counts one more attempt and returns how long to wait before it. */
    Duration next() {
        attempts++;
        long ceiling = initial.toMillis();
        for (int i = 1; i < attempts && ceiling < max.toMillis(); i++) {
            ceiling *= 2;
        }
        ceiling = Math.min(ceiling, max.toMillis());
        long half = ceiling / 2;
        return Duration.ofMillis(half + random.nextLong(ceiling - half + 1));
    }

    /** Attempts made since the last {@link #reset}. */
    int attempts() {
        return attempts;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    /** After a successful connection the next outage starts from the initial delay again. */
    void reset() {
        attempts = 0;
    }
}
