package dev.parley.server.http;

import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.websocket.api.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC connection over WebSocket (the IRCv3 WebSocket transport): each message the browser
 * sends is one IRC line without CRLF, each line the server sends is one message — text frames
 * under {@code text.ircv3.net} (and when no subprotocol was asked for), binary frames under
 * {@code binary.ircv3.net}, whose bytes need not be UTF-8 and are read as a TCP line's are.
 *
 * <p>It behaves as a connection of the blocking engines: a reader (a virtual thread) takes the
 * frames one at a time and hands them to the {@link Session} — flood control, blocking work in
 * place, delayed commands by a timed wait — and asks the socket for the next frame only then;
 * a writer (a virtual thread) drains the SendQ. Jetty's own threads never wait on either.
 */
public final class WebSocketConnection implements org.eclipse.jetty.websocket.api.Session.Listener, Transport {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    private static final byte[] CRLF = {'\r', '\n'};

    /** What the reader takes from its inbox: a frame's bytes (CRLF added), or the end. */
    private sealed interface Input permits Frame, End {
    }

    private record Frame(byte[] line) implements Input {
    }

    private record End(String reason) implements Input {
    }

    private final HttpDoor door;
    private final Sessions sessions;
    private final InetAddress remote;
    private final boolean secure;
    private final boolean binary;
    private final LinkedBlockingQueue<Input> inbox = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile org.eclipse.jetty.websocket.api.Session socket;
    private Session session;
    /** A task the reader runs once its time comes (flood control's delayed commands); reader only. */
    private Runnable wakeTask;
    private long wakeAtNanos;
    private boolean paused;

    WebSocketConnection(HttpDoor door, Sessions sessions, InetAddress remote, boolean secure, boolean binary) {
        this.door = door;
        this.sessions = sessions;
        this.remote = remote;
        this.secure = secure;
        this.binary = binary;
    }

    // ---- WebSocket events (Jetty's threads; never block) ----

    @Override
    public void onWebSocketOpen(org.eclipse.jetty.websocket.api.Session ws) {
        socket = ws;
        session = sessions.open(this, () -> { });
        long id = session.client().id();
        Thread.ofVirtual().name("parley-ws-read-" + id).start(this::readLoop);
        Thread.ofVirtual().name("parley-ws-write-" + id).start(this::writeLoop);
        ws.demand();
    }

    @Override
    public void onWebSocketText(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        inbox.add(new Frame(withCrlf(utf8, utf8.length)));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        inbox.add(new Frame(withCrlf(bytes, bytes.length)));
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        inbox.add(new End(statusCode == 1009 ? "Message too long" : "Connection closed"));
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        inbox.add(new End("Connection reset by peer"));
    }

    /**
     * A frame's line with CRLF, for the line decoder. A line feed inside the frame is not a
     * line break on this transport: it becomes a carriage return, which the parser refuses
     * ({@code FAIL * INVALID_CHARACTERS}) like a bare CR on TCP, so one frame is never two commands.
     */
    private static byte[] withCrlf(byte[] bytes, int len) {
        byte[] line = new byte[len + 2];
        for (int i = 0; i < len; i++) {
            line[i] = bytes[i] == '\n' ? (byte) '\r' : bytes[i];
        }
        line[len] = '\r';
        line[len + 1] = '\n';
        return line;
    }

    // ---- the reader ----

    private void readLoop() {
        String reason = "Connection closed";
        try {
            while (true) {
                long left = runWakeTaskIfDue();
                if (left == 0) {
                    continue;
                }
                Input in = left < 0 ? inbox.take() : inbox.poll(left, TimeUnit.NANOSECONDS);
                if (in == null) {
                    continue; // time for the waiting task
                }
                if (in instanceof End end) {
                    reason = end.reason();
                    if (!session.endOfInput(reason)) {
                        runHeldCommands();
                    }
                    break;
                }
                session.onBytes(((Frame) in).line(), 0, ((Frame) in).line().length);
                if (!paused && !closed.get()) {
                    socket.demand();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            reason = "Internal error";
            LOG.error("WebSocket reader failed for {}", session, e);
        } finally {
            session.client().quit(reason);
        }
    }

    /** After the peer's close: the reader waits out the commands flood control still holds. */
    private void runHeldCommands() {
        long left;
        while (!session.client().isClosing() && (left = runWakeTaskIfDue()) >= 0) {
            if (left > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
        }
    }

    private long runWakeTaskIfDue() {
        if (wakeTask == null) {
            return -1;
        }
        long left = wakeAtNanos - System.nanoTime();
        if (left > 0) {
            return left;
        }
        Runnable t = wakeTask;
        wakeTask = null;
        t.run();
        return 0;
    }

    @Override
    public void runOnReaderLater(Runnable task, long delayMillis) {
        wakeTask = task;
        wakeAtNanos = System.nanoTime() + delayMillis * 1_000_000L;
    }

    @Override
    public void pauseReading(boolean pause) {
        // blocking work runs in place on the reader, which asks for no frame meanwhile
        paused = pause;
    }

    // ---- the writer ----

    private void writeLoop() {
        try {
            byte[] batch;
            while ((batch = session.sendQ().awaitBatch()) != null) {
                sendLines(batch);
            }
            Callback.Completable done = new Callback.Completable();
            socket.close(1000, "", done); // after the last line (the ERROR that says why)
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            session.client().close("Write error: connection reset", true, true);
        } finally {
            abort();
        }
    }

    /**
     * Sends each CRLF-ended line of {@code batch} as one message: the frames queue in order and
     * the writer waits only for the last, so one batch is in flight at a time.
     */
    private void sendLines(byte[] batch) throws Exception {
        int start = 0;
        Callback.Completable last = null;
        for (int i = 0; i + 1 < batch.length; i++) {
            if (batch[i] == '\r' && batch[i + 1] == '\n') {
                Callback.Completable sent = new Callback.Completable();
                if (binary) {
                    socket.sendBinary(ByteBuffer.wrap(batch, start, i - start), sent);
                } else {
                    socket.sendText(new String(batch, start, i - start, StandardCharsets.UTF_8), sent);
                }
                if (last != null && last.isCompletedExceptionally()) {
                    last.get(); // throws what went wrong
                }
                last = sent;
                start = i + 2;
                i++;
            }
        }
        if (last != null) {
            last.get(30, TimeUnit.SECONDS);
        }
    }

    // ---- Transport ----

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    @Override
    public boolean isSecure() {
        return secure;
    }

    @Override
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            org.eclipse.jetty.websocket.api.Session ws = socket;
            if (ws != null) {
                ws.disconnect();
            }
            inbox.add(new End("Connection closed"));
            door.closed(this);
        }
    }

    /** The address this connection counts for in the connection gate (its user's behind WEBIRC). */
    InetAddress gateAddress() {
        Session s = session;
        return s == null ? remote : s.client().address();
    }

    @Override
    public String toString() {
        return "WebSocket[" + remote.getHostAddress() + "]";
    }
}
