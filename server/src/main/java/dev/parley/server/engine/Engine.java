package dev.parley.server.engine;

import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * An I/O engine: accepts connections, reads bytes into {@link dev.parley.server.core.Client}s and
 * writes their {@link dev.parley.server.session.SendQ}s out. Every engine feeds the same hub and passes
 * the same contract tests.
 */
public interface Engine extends AutoCloseable {
    /** The engine's name as the {@code --engine} option spells it. */
    String name();

    /** Binds {@code address} and starts accepting plain connections. Returns the address actually bound. */
    default InetSocketAddress listen(InetSocketAddress address) throws IOException {
        return listen(address, null);
    }

    /**
     * Binds {@code address} and starts accepting, TLS connections when {@code tls} is given
     * (each gets the material current when it is accepted), plain ones otherwise. An engine may
     * listen on several addresses. Returns the address actually bound.
     */
    default InetSocketAddress listen(InetSocketAddress address, dev.parley.server.config.TlsSource tls) throws IOException {
        return listen(address, tls, false);
    }

    /**
     * As {@link #listen(InetSocketAddress, dev.parley.server.config.TlsSource)}; with {@code proxy}
     * every connection must come from an address of {@code proxy-from} and start with a PROXY
     * protocol header (before TLS), read within the registration timeout, whose source address
     * then stands for the connection: in the connection limits, bans and everything else.
     */
    InetSocketAddress listen(InetSocketAddress address, dev.parley.server.config.TlsSource tls, boolean proxy)
            throws IOException;

    /** Stops accepting on every address and releases the ports; connected clients stay. */
    void stopListening();

    boolean isListening();

    /** Open connections right now. */
    int connectionCount();

    /** Stops listening and drops every connection at once. */
    @Override
    void close();
}
