package dev.parley.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Opens connections on a short-lived virtual thread ({@code chat-connect-N}), so the chat loop
 * never waits for a slow DNS lookup, TCP handshake or TLS handshake. The outcome is posted as
 * {@link Event.Connected} or {@link Event.ConnectFailed}. With TLS, the server certificate is
 * judged as {@link TlsSettings.ServerTrust} says ({@link ServerCertificates}), with the host name
 * checked only against the system trust store.
 */
final class Connector {
    private final Endpoint endpoint;
    private final TlsSettings tls;
    private final Duration timeout;

    /** {@code tls} null: plain TCP. */
    Connector(Endpoint endpoint, TlsSettings tls, Duration timeout) {
        this.endpoint = endpoint;
        this.tls = tls;
        this.timeout = timeout;
    }

    void open(long id, Consumer<Event> events) {
        Thread.ofVirtual().name("chat-connect-" + id).start(() -> {
            try {
                events.accept(new Event.Connected(id, new Link(id, connect())));
            } catch (UnknownHostException e) {
                events.accept(new Event.ConnectFailed(id, "unknown host " + endpoint.host()));
            } catch (IOException | GeneralSecurityException e) {
                ServerCertificates.Refused refused = ServerCertificates.refusal(e);
                String why = refused != null ? refused.getMessage()
                        : e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                events.accept(new Event.ConnectFailed(id, why));
            }
        });
    }

    private Socket connect() throws IOException, GeneralSecurityException {
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
            plain.setTcpNoDelay(true);
            if (tls == null) {
                return plain;
            }
            SSLContext ctx = ServerCertificates.context(tls);
            SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket(plain, endpoint.host(), endpoint.port(), true);
            SSLParameters params = s.getSSLParameters();
            if (tls.trust() instanceof TlsSettings.ServerTrust.SystemTrust) {
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
}
