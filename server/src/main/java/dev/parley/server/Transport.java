package dev.parley.server;

import java.net.InetAddress;

/** What an engine offers a {@link Client}: where it comes from and a way to drop it. */
public interface Transport {
    InetAddress remoteAddress();

    /** Drops the connection at once without flushing. Safe from any thread; idempotent. */
    void abort();

    /** True when the connection is encrypted (TLS). */
    default boolean isSecure() {
        return false;
    }
}
