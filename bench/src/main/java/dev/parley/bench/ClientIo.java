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
 */
final class ClientIo {
    /** Bytes one read may bring in. */
    private static final int READ_BUFFER = 64 * 1024;
    /** An unfinished line longer than this means the server is not speaking IRC. */
    private static final int MAX_CARRY = 16 * 1024;

    private final Selector selector;
    private final InetSocketAddress server;
    private final RunControl control;
    private final ByteBuffer readBuf = ByteBuffer.allocate(READ_BUFFER);

    /** Why clients that never became ready failed, and why ready ones were dropped. */
    final TreeMap<String, Integer> setupFailures = new TreeMap<>();
    final TreeMap<String, Integer> disconnects = new TreeMap<>();

    /** Null for plain connections. */
    private final javax.net.ssl.SSLContext tls;
    private final ByteBuffer netOut;

    ClientIo(Selector selector, InetSocketAddress server, RunControl control, javax.net.ssl.SSLContext tls) {
        this.tls = tls;
        this.netOut = tls == null ? null : ByteBuffer.allocate(tls.createSSLEngine().getSession().getPacketBufferSize());
        this.selector = selector;
        this.server = server;
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
                c.tls = new BenchTls(tls, server.getHostString(), server.getPort());
            }
            if (ch.connect(server)) {
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
        sendRaw(c, data, off, len);
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
