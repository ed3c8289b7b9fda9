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
 *
 * <p>Memory: records are read into, and wrapped into, buffers of the loop
 * ({@link SelectorLoop#tlsIn}, {@link SelectorLoop#tlsOut}); a connection holds a buffer of its
 * own only while part of a record waits for the rest, so an idle TLS client costs its
 * {@code SSLEngine} and no record buffers.
 */
final class NioTls {
    /** The most plaintext one TLS record carries. */
    static final int RECORD_PLAINTEXT = 16 * 1024;

    private final Engine engine;
    /** Part of a record waiting for the rest, in write mode; null when none waits. */
    private ByteBuffer netIn;
    private final int packet;
    private volatile boolean tasksRunning;
    private boolean handshakeDone;
    private volatile String clientFingerprint;

    NioTls(TlsMaterial material) {
        this.engine = new Engine(material.newEngine());
        this.packet = engine.ssl.getSession().getPacketBufferSize();
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

    /**
     * Where received bytes go and wait to be unwrapped, in write mode: this connection's part of a
     * record if one waits, else the loop's empty buffer. After unwrapping, {@link #keepRest} it.
     */
    ByteBuffer netIn(SelectorLoop loop) {
        return netIn != null ? netIn : loop.tlsIn(packet);
    }

    /**
     * After an unwrap from {@code used} (compacted, in write mode): what is left of a record is
     * kept in a buffer of this connection's own, or the own buffer is let go when nothing is left.
     */
    void keepRest(ByteBuffer used) {
        if (used.position() == 0) {
            netIn = null;
        } else if (used != netIn) {
            ByteBuffer own = ByteBuffer.allocate(Math.max(packet, used.position()));
            own.put(used.flip());
            used.clear();
            netIn = own;
        }
    }

    /** Scratch for one wrapped record: the loop's. */
    ByteBuffer netOut(SelectorLoop loop) {
        return loop.tlsOut(packet);
    }

    /** Makes room when a record larger than the buffer is arriving (the own buffer, in write mode). */
    void growIfFull() {
        if (netIn != null && !netIn.hasRemaining()) {
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
