package dev.parley.chat;

import java.time.Duration;

/**
 * Notices a connection that went silent without closing (a dead route, a sleeping laptop):
 * after {@code interval} without a line from the server it asks for a PING, and after another
 * {@code interval} without any answer it declares the connection dead. Times are
 * {@link System#nanoTime} values. Used only by the chat loop thread.
 */
final class Keepalive {
    /** What is due at the deadline. */
    enum Due { PING, DEAD }

    private final long interval;
    private long lastHeard;
    private boolean pinged;

    Keepalive(Duration interval) {
        this.interval = interval.toNanos();
    }

    /** A line arrived (or the connection opened) at {@code now}. */
    void heard(long now) {
        lastHeard = now;
        pinged = false;
    }

    /** When {@link #due} next has something to say. */
    long deadline() {
        return lastHeard + (pinged ? 2 * interval : interval);
    }

    /** Called at or after the deadline: PING first, DEAD when that got no answer either. */
    Due due() {
        if (pinged) {
            return Due.DEAD;
        }
        pinged = true;
        return Due.PING;
    }

    Duration silence() {
        return Duration.ofNanos(2 * interval);
    }
}
