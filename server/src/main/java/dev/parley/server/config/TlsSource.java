package dev.parley.server.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS material new connections get: loaded at start, replaced by {@link #reload}. A
 * connection keeps the material it was accepted with, so a reload drops nobody. Any thread.
 */
public final class TlsSource {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    private volatile TlsMaterial current;

    private TlsSource(TlsMaterial first) {
        this.current = first;
    }

    /** Loads the material {@code config} names and logs its fingerprint. */
    public static TlsSource load(ServerConfig config) {
        TlsMaterial m = TlsMaterial.load(config);
        LOG.info("TLS certificate {} (SHA-256 {})", m.source(), m.fingerprint());
        return new TlsSource(m);
    }

    /** A source that serves {@code material} until reloaded. */
    public static TlsSource of(TlsMaterial material) {
        return new TlsSource(material);
    }

    public TlsMaterial current() {
        return current;
    }

    /**
     * Reads the certificate and key {@code config} names again; new connections get them.
     * When they cannot be used, throws with a message saying why and the old ones stay.
     */
    public TlsMaterial reload(ServerConfig config) {
        TlsMaterial m = TlsMaterial.load(config);
        current = m;
        LOG.info("TLS certificate reloaded: {} (SHA-256 {})", m.source(), m.fingerprint());
        return m;
    }
}
