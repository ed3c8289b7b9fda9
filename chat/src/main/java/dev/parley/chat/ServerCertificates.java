package dev.parley.chat;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust managers behind {@link TlsSettings.ServerTrust}, and the {@link SSLContext} they
 * make with the client certificate. A refusal is a {@link Refused} whose message is meant for the
 * user: it carries the server certificate's SHA-256 fingerprint and says how to pin it. Runs on
 * the connector's thread.
 */
final class ServerCertificates {
    private ServerCertificates() {
    }

    /** A certificate refused, with the sentence to show the user. */
    static final class Refused extends CertificateException {
        Refused(String message, Throwable cause) {
            super(message, cause);
        }
    }

    static SSLContext context(TlsSettings tls) throws GeneralSecurityException {
        TrustManager trust = switch (tls.trust()) {
            case TlsSettings.ServerTrust.SystemTrust s -> new SystemTrust(systemTrustManager(s.store()));
            case TlsSettings.ServerTrust.Pinned p -> new PinnedTrust(p.sha256());
            case TlsSettings.ServerTrust.AnyCertificate a -> new AnyCertificate();
        };
        KeyManager[] keys = tls.identity() == null ? null : new KeyManager[] {tls.identity().keyManager()};
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(keys, new TrustManager[] {trust}, null);
        return ctx;
    }

    /**
     * The JDK's trust manager for {@code store}; for null, its default trust store ({@code cacerts},
     * or {@code javax.net.ssl.trustStore}).
     */
    private static X509ExtendedTrustManager systemTrustManager(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("the JDK has no X.509 trust manager");
    }

    private static void needChain(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the server sent no certificate");
        }
    }

    /** Base for trust managers that only judge servers. */
    private abstract static class ServerOnly extends X509ExtendedTrustManager {
        abstract void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine)
                throws CertificateException;

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            check(chain, authType, socket, null);
        }

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            check(chain, authType, null, engine);
        }

        @Override
        public final void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, null, null);
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("a client does not judge clients");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("a client does not judge clients");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client does not judge clients");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }

    /**
     * The system trust store and the host name check (the socket's endpoint identification);
     * a refusal names the certificate's fingerprint.
     */
    private static final class SystemTrust extends ServerOnly {
        private final X509ExtendedTrustManager jdk;

        SystemTrust(X509ExtendedTrustManager jdk) {
            this.jdk = jdk;
        }

        @Override
        void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine) throws CertificateException {
            needChain(chain);
            try {
                if (socket != null) {
                    jdk.checkServerTrusted(chain, authType, socket);
                } else if (engine != null) {
                    jdk.checkServerTrusted(chain, authType, engine);
                } else {
                    jdk.checkServerTrusted(chain, authType);
                }
            } catch (CertificateException e) {
                String fp = Fingerprint.of(chain[0]);
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                throw new Refused("the server's certificate is not trusted (" + why + ")."
                        + " Its SHA-256 fingerprint is " + fp + "."
                        + " If you have checked with the server's operator that this is their certificate,"
                        + " connect with --tls-fingerprint " + fp, e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return jdk.getAcceptedIssuers();
        }
    }

    /** Exactly one leaf certificate, by SHA-256; no CA or host name check. */
    private static final class PinnedTrust extends ServerOnly {
        private final byte[] pin;

        PinnedTrust(byte[] pin) {
            this.pin = pin.clone();
        }

        @Override
        void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine) throws CertificateException {
            needChain(chain);
            byte[] got = Fingerprint.sha256(chain[0]);
            if (!MessageDigest.isEqual(pin, got)) {
                throw new Refused("the server's certificate does not match --tls-fingerprint: expected "
                        + Fingerprint.format(pin) + ", the server sent " + Fingerprint.format(got) + "."
                        + " The server may have a new certificate, or someone may be between you and it;"
                        + " ask its operator before pinning the new one", null);
            }
        }
    }

    /** {@code --tls-insecure}: accepts any certificate. */
    private static final class AnyCertificate extends ServerOnly {
        @Override
        void check(X509Certificate[] chain, String authType, Socket socket, SSLEngine engine) throws CertificateException {
            needChain(chain);
        }
    }

    /** The {@link Refused} somewhere in {@code e}'s causes, or null. */
    static Refused refusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof Refused r) {
                return r;
            }
        }
        return null;
    }
}
