package dev.parley.bench;

import dev.parley.bench.BenchClient.State;
import dev.parley.bench.RunControl.Phase;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.TreeMap;

/**
 * The sockets of one event loop's clients: opening and connecting them, reading what arrives
 * and cutting it into lines, writing output and keeping what the socket did not take yet, and
 * closing a client with the reason counted (a setup failure or, once ready, a disconnect).
 *
 * <p>The loop owns one read buffer shared by all its clients; a client holds bytes of its own
 * only for an unfinished line or unwritten output. Everything here runs on the loop's thread;
 * the coordinator reads the counted reasons after the loop has ended.
 *
 * <p>Over WebSocket ({@code --websocket}) a connected client first sends the HTTP upgrade
 * request and queues its lines until the answer is checked; from then on every line it sends
 * goes out as one masked text frame (built in a buffer of the loop, with a mask from the loop's
 * generator), and every message the server sends is handed on as one line, from the read
 * buffer itself when the message lies whole in it.
 */
final class ClientIo {
    /** Bytes one read may bring in. */
    private static final int READ_BUFFER = 64 * 1024;
    /** An unfinished line longer than this means the server is not speaking IRC. */
    private static final int MAX_CARRY = 16 * 1024;

    private final Selector selector;
    private final RunControl control;
    private final ByteBuffer readBuf = ByteBuffer.allocate(READ_BUFFER);

    /** Why clients that never became ready failed, and why ready ones were dropped. */
    final TreeMap<String, Integer> setupFailures = new TreeMap<>();
    final TreeMap<String, Integer> disconnects = new TreeMap<>();

    /** Null for plain connections. */
    private final javax.net.ssl.SSLContext tls;
    private final ByteBuffer netOut;

    /** The WebSocket path, or null for IRC straight over the socket. */
    private final String wsPath;
    /** Frames being built: every line a client sends becomes one. */
    private byte[] wsOut;
    /** xorshift64 state for mask keys and handshake keys: a load generator needs no better. */
    private long wsRandom;
    private final WsLines wsLines = new WsLines();

    ClientIo(Selector selector, RunControl control, javax.net.ssl.SSLContext tls,
             String wsPath) {
        this.tls = tls;
        this.wsPath = wsPath;
        if (wsPath != null) {
            wsOut = new byte[64 * 1024 + WsFrames.MAX_HEADER];
            wsRandom = System.nanoTime() ^ java.util.concurrent.ThreadLocalRandom.current().nextLong() | 1;
        }
        this.netOut = tls == null ? null : ByteBuffer.allocate(tls.createSSLEngine().getSession().getPacketBufferSize());
        this.selector = selector;
        this.control = control;
    }

    // ---- connecting ----

    /**
     * Opens the client's socket, registers it and starts connecting. True when the connection
     * was made at once; false when it is under way (or failed, and the client is closed).
     */
    boolean connect(BenchClient c) {
        try {
            SocketChannel ch = SocketChannel.open();
            c.socket = ch;
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            if (c.source != null) {
                ch.bind(new InetSocketAddress(c.source, 0));
            }
            c.key = ch.register(selector, 0, c);
            if (tls != null) {
                c.tls = new BenchTls(tls, c.server.getHostString(), c.server.getPort());
            }
            if (ch.connect(c.server)) {
                return true;
            }
            c.key.interestOps(SelectionKey.OP_CONNECT);
        } catch (IOException e) {
            close(c, "connect: " + describe(e));
        }
        return false;
    }

    /** A connection under way became connectable: true when it is now made. */
    boolean finishConnect(BenchClient c) throws IOException {
        return c.socket.finishConnect();
    }

    /** A connected client waits for input from now on. */
    void startReading(BenchClient c) {
        c.key.interestOps(SelectionKey.OP_READ);
        if (wsPath != null) {
            String key = BenchWs.key(nextRandom(), nextRandom());
            c.ws = new BenchWs(key);
            byte[] request = BenchWs.request(c.server.getHostString() + ":" + c.server.getPort(), wsPath, key);
            sendRaw(c, request, 0, request.length);
            return;
        }
        if (c.tls != null) {
            try {
                c.tls.engine.beginHandshake();
            } catch (javax.net.ssl.SSLException e) {
                close(c, "TLS: " + describe(e));
                return;
            }
            pumpTls(c);
        }
    }

    /**
     * Moves the TLS handshake on (delegated tasks run here: the bench's loop may wait for its
     * own client) and, once it is done, wraps queued lines into records and sends them.
     */
    private void pumpTls(BenchClient c) {
        BenchTls t = c.tls;
        try {
            while (c.state != State.CLOSED) {
                javax.net.ssl.SSLEngineResult.HandshakeStatus hs = t.engine.getHandshakeStatus();
                switch (hs) {
                    case NEED_TASK -> {
                        Runnable task;
                        while ((task = t.engine.getDelegatedTask()) != null) {
                            task.run();
                        }
                    }
                    case NEED_WRAP -> wrapAndSend(c, ByteBuffer.allocate(0));
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        return;
                    }
                    case NOT_HANDSHAKING, FINISHED -> {
                        if (t.appOut.position() == 0) {
                            return;
                        }
                        t.appOut.flip();
                        while (t.appOut.hasRemaining() && c.state != State.CLOSED) {
                            wrapAndSend(c, t.appOut);
                        }
                        t.appOut.clear();
                        return;
                    }
                }
            }
        } catch (javax.net.ssl.SSLException e) {
            close(c, "TLS: " + describe(e));
        }
    }

    private void wrapAndSend(BenchClient c, ByteBuffer plain) throws javax.net.ssl.SSLException {
        netOut.clear();
        javax.net.ssl.SSLEngineResult r = c.tls.engine.wrap(plain, netOut);
        if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.CLOSED) {
            close(c, "TLS closed");
            return;
        }
        sendRaw(c, netOut.array(), 0, netOut.position());
    }

    // ---- reading ----

    /**
     * Reads what the socket has and hands every complete line (without its line ending, empty
     * lines skipped) to {@code lines}; keeps an unfinished line for the next read. Closes the
     * client at end of stream or when an unfinished line grows too long.
     */
    void read(BenchClient c, long now, Inbound lines) throws IOException {
        if (c.ws != null) {
            readWs(c, now, lines);
            return;
        }
        boolean more = readOnce(c, now, lines, true);
        while (more && c.state != State.CLOSED) {
            more = readOnce(c, now, lines, false); // records that did not fit the buffer last time
        }
    }

    /** One read's worth; true when TLS records are left over that the next pass can unwrap. */
    private boolean readOnce(BenchClient c, long now, Inbound lines, boolean fromSocket) throws IOException {
        ByteBuffer buf = readBuf;
        buf.clear();
        int carried = c.carryLen;
        if (carried > 0) {
            buf.put(c.carry, 0, carried);
            c.carryLen = 0;
        }
        int n = c.tls == null ? c.socket.read(buf) : readTls(c, buf, fromSocket);
        if (n < 0) {
            close(c, c.lastError != null ? "ERROR: " + c.lastError : "closed by the server without ERROR");
            return false;
        }
        byte[] a = buf.array();
        int end = buf.position();
        int lineStart = 0;
        int scanFrom = carried;
        while (true) {
            int lf = Wire.indexOf(a, scanFrom, end, (byte) '\n');
            if (lf < 0) {
                break;
            }
            int lineEnd = lf > lineStart && a[lf - 1] == '\r' ? lf - 1 : lf;
            if (lineEnd > lineStart) {
                lines.line(c, a, lineStart, lineEnd, now);
                if (c.state == State.CLOSED) {
                    return false;
                }
            }
            lineStart = lf + 1;
            scanFrom = lineStart;
        }
        int rest = end - lineStart;
        if (rest > MAX_CARRY) {
            close(c, "server sent a line longer than " + MAX_CARRY + " bytes");
        } else if (rest > 0) {
            c.keepCarry(a, lineStart, rest);
        }
        return c.tls != null && n > 0 && c.tls.netIn.position() > 0;
    }

    /**
     * Reads what the socket has for a WebSocket client: while upgrading, the server's answer
     * (kept until whole, then checked); after that, frames, every message handed on as a line.
     */
    private void readWs(BenchClient c, long now, Inbound lines) throws IOException {
        ByteBuffer buf = readBuf;
        buf.clear();
        int carried = c.carryLen;
        if (carried > 0) {
            buf.put(c.carry, 0, carried);
            c.carryLen = 0;
        }
        int n = c.socket.read(buf);
        if (n < 0) {
            close(c, c.lastError != null ? "ERROR: " + c.lastError : "closed by the server without ERROR");
            return;
        }
        byte[] a = buf.array();
        int end = buf.position();
        int p = 0;
        BenchWs ws = c.ws;
        if (ws.upgrading()) {
            int blank = indexOfBlankLine(a, Math.max(0, carried - 3), end);
            if (blank < 0) {
                if (end > MAX_CARRY) {
                    close(c, "WebSocket upgrade: answer longer than " + MAX_CARRY + " bytes");
                } else {
                    c.keepCarry(a, 0, end);
                }
                return;
            }
            String refused = ws.upgraded(a, 0, blank);
            if (refused != null) {
                close(c, refused);
                return;
            }
            c.carry = null;
            p = blank + 4;
            if (ws.queuedLen > 0) {
                byte[] q = ws.queued;
                int qn = ws.queuedLen;
                ws.queued = null;
                ws.queuedLen = 0;
                sendFrames(c, q, 0, qn);
            }
        }
        wsLines.c = c;
        wsLines.now = now;
        wsLines.lines = lines;
        try {
            ws.in.feed(a, p, end, wsLines);
        } catch (WsFrames.ProtocolException e) {
            close(c, "WebSocket: " + e.getMessage());
        } finally {
            wsLines.c = null;
            wsLines.lines = null;
        }
    }

    private static int indexOfBlankLine(byte[] a, int from, int end) {
        for (int i = from; i + 3 < end; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** What the frame reader found for the client being read: lines, pings, the close. */
    private final class WsLines implements WsFrames.Sink {
        BenchClient c;
        long now;
        Inbound lines;

        @Override
        public boolean message(byte[] a, int from, int to) {
            while (to > from && (a[to - 1] == '\n' || a[to - 1] == '\r')) {
                to--;
            }
            if (to > from) {
                lines.line(c, a, from, to, now);
            }
            return c.state != State.CLOSED;
        }

        @Override
        public boolean ping(byte[] a, int from, int to) {
            sendControl(c, WsFrames.PONG, a, from, to);
            return c.state != State.CLOSED;
        }

        @Override
        public boolean close(int code, String reason) {
            byte[] status = {(byte) (code >>> 8), (byte) code};
            sendControl(c, WsFrames.CLOSE, status, 0, code == 1005 ? 0 : 2);
            ClientIo.this.close(c, c.lastError != null ? "ERROR: " + c.lastError
                    : "WebSocket closed by the server (" + code + (reason.isEmpty() ? "" : " " + reason) + ")");
            return false;
        }
    }

    /**
     * Reads records and unwraps what fits into {@code buf}; a record that does not fit waits in
     * the client's buffer for the next read. Returns plaintext bytes added, or -1 at the end.
     */
    private int readTls(BenchClient c, ByteBuffer buf, boolean fromSocket) throws IOException {
        BenchTls t = c.tls;
        if (!t.netIn.hasRemaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(t.netIn.capacity() * 2);
            t.netIn.flip();
            t.netIn = bigger.put(t.netIn);
        }
        int n = fromSocket ? c.socket.read(t.netIn) : 0;
        int before = buf.position();
        t.netIn.flip();
        try {
            while (t.netIn.hasRemaining() && buf.remaining() >= t.engine.getSession().getApplicationBufferSize()) {
                javax.net.ssl.SSLEngineResult r = t.engine.unwrap(t.netIn, buf);
                if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.CLOSED) {
                    n = -1;
                    break;
                }
                if (r.getStatus() == javax.net.ssl.SSLEngineResult.Status.BUFFER_UNDERFLOW
                        || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                    break;
                }
                if (r.getHandshakeStatus() != javax.net.ssl.SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING) {
                    pumpTls(c);
                }
            }
        } finally {
            t.netIn.compact();
        }
        pumpTls(c);
        int added = buf.position() - before;
        return n < 0 && added == 0 ? -1 : added;
    }

    // ---- writing ----

    void send(BenchClient c, byte[] data) {
        send(c, data, 0, data.length);
    }

    /**
     * Writes {@code data[off, off + len)} now if nothing is waiting before it; what the socket
     * does not take is kept, in order, and written when the socket has room.
     */
    void send(BenchClient c, byte[] data, int off, int len) {
        if (c.state == State.CLOSED) {
            return;
        }
        if (c.tls != null) {
            c.tls.queue(data, off, len);
            pumpTls(c);
            return;
        }
        if (c.ws != null) {
            if (c.ws.upgrading()) {
                c.ws.queue(data, off, len);
            } else {
                sendFrames(c, data, off, len);
            }
            return;
        }
        sendRaw(c, data, off, len);
    }

    /**
     * Sends each CRLF-ended line of {@code data[off, off + len)} as one masked text frame
     * (RFC 6455 §5.3: a fresh mask key per frame); empty lines are skipped.
     */
    private void sendFrames(BenchClient c, byte[] data, int off, int len) {
        byte[] out = wsOut;
        int at = 0;
        int end = off + len;
        int start = off;
        while (start < end && c.state != State.CLOSED) {
            int lf = Wire.indexOf(data, start, end, (byte) '\n');
            int next = lf < 0 ? end : lf + 1;
            int lineEnd = lf < 0 ? end : lf;
            if (lineEnd > start && data[lineEnd - 1] == '\r') {
                lineEnd--;
            }
            int need = lineEnd - start + WsFrames.MAX_HEADER;
            if (at + need > out.length) {
                if (at > 0) {
                    sendRaw(c, out, 0, at);
                    at = 0;
                }
                if (need > out.length) {
                    out = wsOut = new byte[need];
                }
            }
            if (lineEnd > start) {
                at = WsFrames.write(out, at, WsFrames.TEXT, data, start, lineEnd, true, (int) nextRandom());
            }
            start = next;
        }
        if (at > 0) {
            sendRaw(c, out, 0, at);
        }
    }

    /** Sends one control frame (pong, close) with {@code payload[from, to)}. */
    private void sendControl(BenchClient c, int opcode, byte[] payload, int from, int to) {
        byte[] frame = new byte[to - from + WsFrames.MAX_HEADER];
        int n = WsFrames.write(frame, 0, opcode, payload, from, to, true, (int) nextRandom());
        sendRaw(c, frame, 0, n);
    }

    private long nextRandom() {
        long x = wsRandom;
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        wsRandom = x;
        return x;
    }

    /** Writes bytes as they are (records, over TLS), keeping what the socket does not take. */
    private void sendRaw(BenchClient c, byte[] data, int off, int len) {
        if (c.state == State.CLOSED) {
            return;
        }
        if (c.pendingLen > 0) {
            c.keep(data, off, len);
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(data, off, len);
            c.socket.write(b);
            if (b.hasRemaining()) {
                c.keep(data, b.position(), b.remaining());
                c.key.interestOps(c.key.interestOps() | SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            close(c, "I/O error: " + describe(e));
        }
    }

    /** The socket has room: writes kept output. True when this emptied what was kept. */
    boolean flush(BenchClient c) throws IOException {
        if (c.pendingLen == 0) {
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
            return false;
        }
        ByteBuffer b = ByteBuffer.wrap(c.pending, 0, c.pendingLen);
        c.socket.write(b);
        int left = b.remaining();
        if (left > 0) {
            System.arraycopy(c.pending, b.position(), c.pending, 0, left);
        }
        c.pendingLen = left;
        if (left == 0) {
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
            return true;
        }
        return false;
    }

    // ---- closing ----

    /**
     * Closes the client once and counts why: before it was ready as a setup failure (giving
     * back its handshake slot if it had taken one), after that as a disconnect unless the run
     * is closing everything anyway.
     */
    void close(BenchClient c, String reason) {
        if (c.state == State.CLOSED) {
            return;
        }
        State was = c.state;
        c.state = State.CLOSED;
        c.live = false;
        closeQuietly(c);
        if (was != State.READY) {
            count(setupFailures, reason);
            control.failed.incrementAndGet();
            if (was != State.NEW) {
                control.releaseSlot();
            }
        } else if (control.phase != Phase.CLOSE) {
            count(disconnects, reason);
        }
    }

    static void closeQuietly(BenchClient c) {
        if (c.socket != null) {
            try {
                c.socket.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
    }

    private static void count(TreeMap<String, Integer> map, String reason) {
        map.merge(reason, 1, Integer::sum);
    }

    /** The gist of an {@code ERROR} text: the reason in its last (...) or [...], if any. */
    static String errorText(String text) {
        String t = text.strip();
        int close = Math.max(t.lastIndexOf(')'), t.lastIndexOf(']'));
        if (close > 0) {
            char open = t.charAt(close) == ')' ? '(' : '[';
            int start = t.lastIndexOf(open, close);
            if (start >= 0 && close - start > 1) {
                return t.substring(start + 1, close);
            }
        }
        return t.length() > 100 ? t.substring(0, 100) : t;
    }

    static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
