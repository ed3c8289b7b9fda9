package dev.parley.chat;

import java.security.KeyStore;
import java.util.Objects;

/**
 * How {@code parley chat} speaks TLS: which server certificate it accepts, and which client
 * certificate, if any, it presents. Immutable; any thread.
 *
 * @param trust    which server certificate is accepted
 * @param identity the client certificate and key to present, or null
 */
record TlsSettings(ServerTrust trust, ClientIdentity identity) {
    TlsSettings {
        Objects.requireNonNull(trust, "trust");
    }

    /** Which server certificate is accepted. */
    sealed interface ServerTrust {
        /**
         * A chain to a CA in the trust store, for the host name connected to (the default).
         *
         * @param store the trusted CAs; null for the JDK's default trust store
         */
        record SystemTrust(KeyStore store) implements ServerTrust {
            /** The JDK's default trust store. */
            public SystemTrust() {
                this(null);
            }
        }

        /** Exactly the leaf certificate with this SHA-256; no CA or host name check ({@code --tls-fingerprint}). */
        record Pinned(byte[] sha256) implements ServerTrust {
            public Pinned {
                sha256 = sha256.clone();
            }

            @Override
            public byte[] sha256() {
                return sha256.clone();
            }

            @Override
            public String toString() {
                return "Pinned[" + Fingerprint.format(sha256) + "]";
            }
        }

        /** Any certificate at all ({@code --tls-insecure}). */
        record AnyCertificate() implements ServerTrust {
        }
    }
}
