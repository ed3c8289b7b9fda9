package dev.parley.server.session;

import java.net.InetAddress;

/** What an engine offers a {@link Client}: where it comes from and a way to drop it. */
public interface Transport {
    InetAddress remoteAddress();

    /** Drops the connection at once without flushing. Safe from any thread; idempotent. */
    void abort();

    /**
     * Runs blocking {@code work} (hashing, disk, database) where it cannot stall other
     * connections, then {@code then} with its result back on this connection's reader. The
     * blocking engines run both in place: their reader is a thread of its own.
     */
    default void offload(Runnable work, Runnable then) {
        work.run();
        then.run();
    }

    /**
     * Runs {@code task} on this connection's reader after about {@code delayMillis}, while the
     * reader goes on reading (flood control uses it to hand a client its delayed commands).
     * Called on the reader. This default suits a reader that is a thread of its own and may
     * simply wait; engines whose reader serves others, or that must keep reading meanwhile,
     * override it.
     */
    default void runOnReaderLater(Runnable task, long delayMillis) {
        java.util.concurrent.locks.LockSupport.parkNanos(delayMillis * 1_000_000L);
        task.run();
    }

    /** Tells the engine to stop or resume reading this connection (while blocking work is pending). */
    default void pauseReading(boolean paused) {
    }

    /** True when the connection is encrypted (TLS). */
    default boolean isSecure() {
        return false;
    }

    /**
     * The lower-case hex SHA-256 fingerprint of the client certificate presented in the TLS
     * handshake, or null (plain connection, or no certificate).
     */
    default String certFingerprint() {
        return null;
    }
}
