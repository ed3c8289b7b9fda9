package dev.parley.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Opens connections on a short-lived virtual thread ({@code chat-connect-N}), so the chat loop
 * never waits for a slow DNS lookup, TCP handshake or TLS handshake. The outcome is posted as
 * {@link Event.Connected} or {@link Event.ConnectFailed}.
 */
final class Connector {
    private final Endpoint endpoint;
    private final boolean tls;
    private final boolean insecure;
    private final Duration timeout;

    Connector(Endpoint endpoint, boolean tls, boolean insecure, Duration timeout) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.insecure = insecure;
        this.timeout = timeout;
    }

    void open(long id, Consumer<Event> events) {
        Thread.ofVirtual().name("chat-connect-" + id).start(() -> {
            try {
                events.accept(new Event.Connected(id, new Link(id, connect())));
            } catch (UnknownHostException e) {
                events.accept(new Event.ConnectFailed(id, "unknown host " + endpoint.host()));
            } catch (IOException | GeneralSecurityException e) {
                String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                events.accept(new Event.ConnectFailed(id, why));
            }
        });
    }

    private Socket connect() throws IOException, GeneralSecurityException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            plain.setTcpNoDelay(true);
            if (!tls) {
                return plain;
            }
            SSLSocket s = (SSLSocket) factory().createSocket(plain, endpoint.host(), endpoint.port(), true);
            SSLParameters params = s.getSSLParameters();
            if (!insecure) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            s.setSSLParameters(params);
            s.setSoTimeout((int) timeout.toMillis());
            s.startHandshake();
            s.setSoTimeout(0);
            return s;
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    private SSLSocketFactory factory() throws GeneralSecurityException {
        if (!insecure) {
            return SSLContext.getDefault().getSocketFactory();
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new TrustAll()}, null);
        return ctx.getSocketFactory();
    }

    /** For {@code --tls-insecure}: accepts any certificate (a self-signed test server's). */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
