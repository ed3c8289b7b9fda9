package dev.parley.server.engine;

import dev.parley.server.config.TlsMaterial;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.Semaphore;
import javax.net.ssl.SSLSocket;

/**
 * Tells a newcomer on a TLS listener why it is refused: a TLS client cannot read a plain
 * {@code ERROR}, so the refusal runs the handshake and sends it encrypted, on a virtual thread
 * of its own, bounded in time (a few seconds) and in number (past {@link #AT_ONCE} refusals
 * in progress, a newcomer is simply closed). Never runs on an accept thread or a loop.
 */
final class TlsRefusal {
    static final int AT_ONCE = 64;
    private static final int TIMEOUT_MILLIS = 5000;
    private static final Semaphore PERMITS = new Semaphore(AT_ONCE);

    private TlsRefusal() {
    }

    /** Refuses {@code s} (blocking mode) with {@code line}; returns at once. */
    static void refuse(Socket s, TlsMaterial tls, byte[] line) {
        if (!PERMITS.tryAcquire()) {
            BlockingEngine.closeQuietly(s);
            return;
        }
        Thread.ofVirtual().name("parley-tls-refusal").start(() -> {
            try (s) {
                s.setSoTimeout(TIMEOUT_MILLIS);
                SSLSocket ssl = tls.wrap(s);
                ssl.startHandshake();
                OutputStream out = ssl.getOutputStream();
                out.write(line);
                out.flush();
                ssl.close();
            } catch (IOException | RuntimeException ignored) {
                // the newcomer is gone or speaks no TLS: closed all the same
            } finally {
                PERMITS.release();
            }
        });
    }
}
