package dev.parley.bench;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * One bench client's TLS state: its {@link SSLEngine}, received bytes not yet a whole record,
 * and output waiting for the handshake to end. The bench measures servers, it does not check
 * them: any certificate is accepted. Loop only.
 */
final class BenchTls {
    final SSLEngine engine;
    /** Received, not yet unwrapped (write mode). */
    ByteBuffer netIn;
    /** Lines queued before the handshake ended (write mode). */
    ByteBuffer appOut = ByteBuffer.allocate(4096);

    BenchTls(SSLContext context, String host, int port) {
        engine = context.createSSLEngine(host, port);
        engine.setUseClientMode(true);
        netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    }

    void queue(byte[] data, int off, int len) {
        if (appOut.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(appOut.capacity() * 2, appOut.position() + len));
            appOut.flip();
            bigger.put(appOut);
            appOut = bigger;
        }
        appOut.put(data, off, len);
    }

    /** A client context that trusts any server certificate. */
    static SSLContext trustingAny() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, new SecureRandom());
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS: " + e.getMessage(), e);
        }
    }
}
