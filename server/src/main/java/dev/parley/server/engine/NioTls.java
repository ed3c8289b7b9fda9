package dev.parley.server.engine;

import dev.parley.server.config.TlsMaterial;
import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * The TLS state of one {@link NioConnection}: its {@link SSLEngine}, the bytes of a record not
 * yet whole, and whether the handshake is done or waiting for its delegated tasks. Loop only,
 * except the tasks flag, which the task thread reads through the loop.
 */
final class NioTls {
    /** The most plaintext one TLS record carries. */
    static final int RECORD_PLAINTEXT = 16 * 1024;

    private final Engine engine;
    private ByteBuffer netIn;
    private final ByteBuffer netOut;
    private volatile boolean tasksRunning;
    private boolean handshakeDone;
    private volatile String clientFingerprint;

    NioTls(TlsMaterial material) {
        this.engine = new Engine(material.newEngine());
        int packet = engine.ssl.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
    }

    /** A thin view of the SSLEngine: what NioConnection calls. */
    static final class Engine {
        final SSLEngine ssl;

        Engine(SSLEngine ssl) {
            this.ssl = ssl;
        }

        javax.net.ssl.SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return ssl.unwrap(src, dst);
        }

        javax.net.ssl.SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
            return ssl.wrap(src, dst);
        }

        javax.net.ssl.SSLEngineResult.HandshakeStatus getHandshakeStatus() {
            return ssl.getHandshakeStatus();
        }

        Runnable getDelegatedTask() {
            return ssl.getDelegatedTask();
        }

        javax.net.ssl.SSLSession getSession() {
            return ssl.getSession();
        }

        void closeOutbound() {
            ssl.closeOutbound();
        }

        void closeInboundQuietly() {
            try {
                ssl.closeInbound();
            } catch (SSLException ignored) {
                // the peer ended without close_notify: the connection ends all the same
            }
        }
    }

    Engine engine() {
        return engine;
    }

    /** Received bytes not yet unwrapped, in write mode. */
    ByteBuffer netIn() {
        return netIn;
    }

    /** Scratch for one wrapped record. */
    ByteBuffer netOut() {
        return netOut;
    }

    /** Makes room when a record larger than the buffer is arriving (netIn in write mode). */
    void growIfFull() {
        if (!netIn.hasRemaining()) {
            int packet = engine.getSession().getPacketBufferSize();
            if (netIn.capacity() < packet * 2) {
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(packet, netIn.capacity() * 2));
                netIn.flip();
                bigger.put(netIn);
                netIn = bigger;
            }
        }
    }

    boolean tasksRunning() {
        return tasksRunning;
    }

    void tasksRunning(boolean running) {
        tasksRunning = running;
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** Notes the end of the handshake and the client certificate's fingerprint, if it sent one. */
    void handshakeFinished() {
        handshakeDone = true;
        try {
            clientFingerprint = TlsMaterial.fingerprint(engine.getSession().getPeerCertificates()[0]);
        } catch (SSLPeerUnverifiedException e) {
            clientFingerprint = null;
        }
    }

    String clientFingerprint() {
        return clientFingerprint;
    }
}
