package dev.parley.bench;

import dev.parley.bench.BenchClient.Sender;
import dev.parley.bench.BenchClient.State;
import dev.parley.bench.RunControl.Phase;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * One selector thread driving many clients: connects them (within the shared handshake
 * budget), registers and joins them, answers PING, sends for its senders and reads and
 * checks every delivery. Everything in this class runs on the loop's own thread, except
 * {@link #wakeup()} and the volatile progress counters.
 */
final class EventLoop implements Runnable {
    /** Bytes one read may bring in. */
    private static final int READ_BUFFER = 64 * 1024;
    /** An unfinished line longer than this means the server is not speaking IRC. */
    private static final int MAX_CARRY = 16 * 1024;
    /** Rate mode: a sender with more unsent output than this skips messages instead of queueing. */
    private static final int MAX_PENDING = 256 * 1024;
    /** Longest latency the histograms hold, in microseconds (one hour). */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    private final int id;
    private final BenchConfig config;
    private final RunControl control;
    private final InetSocketAddress server;
    private final Selector selector;
    private final ArrayDeque<BenchClient> toStart = new ArrayDeque<>();
    private final List<BenchClient> clients = new ArrayList<>();
    private final List<BenchClient> senders = new ArrayList<>();
    /** Every sender of the run, by sender id, to reach their windows from here. */
    private BenchClient[] allSenders = new BenchClient[0];
    private final ByteBuffer readBuf = ByteBuffer.allocate(READ_BUFFER);
    private final ByteBuffer writeBuf = ByteBuffer.allocate(64 * 1024);
    private final byte[] filler;
    private final long[] parsed = new long[3];

    final Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    final Histogram handshake = new Histogram(MAX_LATENCY_MICROS, 3);
    final TreeMap<String, Integer> setupFailures = new TreeMap<>();
    final TreeMap<String, Integer> disconnects = new TreeMap<>();
    long measuredDeliveries;
    long totalDeliveries;
    long uniqueDeliveries;
    long duplicateDeliveries;
    long foreignLines;
    long pingsAnswered;

    /** Progress for the coordinator: distinct deliveries, and deliveries owed for what was sent. */
    volatile long publishedUnique;
    volatile long publishedOwed;
    private long owed;
    private boolean pumpSoon;
    private boolean settled;
    private Thread thread;

    EventLoop(int id, BenchConfig config, RunControl control) throws IOException {
        this.id = id;
        this.config = config;
        this.control = control;
        this.server = config.server();
        this.selector = Selector.open();
        this.filler = Wire.ascii("x".repeat(config.payloadBytes()));
    }

    void add(BenchClient c) {
        clients.add(c);
        toStart.add(c);
        if (c.sender != null) {
            c.sender.owner = this;
            senders.add(c);
        }
    }

    void knowSenders(BenchClient[] all) {
        this.allSenders = all;
    }

    List<BenchClient> clients() {
        return clients;
    }

    int id() {
        return id;
    }

    Thread start() {
        thread = Thread.ofPlatform().name("bench-loop-" + id).start(this);
        return thread;
    }

    void wakeup() {
        selector.wakeup();
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (IOException | RuntimeException e) {
            for (BenchClient c : clients) {
                close(c, "load generator failed: " + e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            for (BenchClient c : clients) {
                closeQuietly(c);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    private void loop() throws IOException {
        while (true) {
            Phase phase = control.phase;
            if (phase == Phase.CLOSE) {
                return;
            }
            if (phase == Phase.SETUP) {
                startConnects();
            } else if (!settled) {
                closeStragglers();
            }
            long timeoutMs = phase == Phase.SETUP ? (toStart.isEmpty() ? 50 : 5) : 50;
            if (phase == Phase.SENDING) {
                timeoutMs = Math.min(timeoutMs, pumpSenders(System.nanoTime()));
            }
            if (pumpSoon) {
                timeoutMs = 0;
                pumpSoon = false;
            }
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
            Set<SelectionKey> keys = selector.selectedKeys();
            if (!keys.isEmpty()) {
                long now = System.nanoTime();
                Iterator<SelectionKey> it = keys.iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    handle((BenchClient) k.attachment(), k, now);
                }
            }
            publishedUnique = uniqueDeliveries;
            publishedOwed = owed;
        }
    }

    // ---- setup ----

    private void startConnects() {
        while (!toStart.isEmpty() && control.tryTakeSlot()) {
            BenchClient c = toStart.poll();
            c.startedNanos = System.nanoTime();
            c.state = State.CONNECTING;
            try {
                SocketChannel ch = SocketChannel.open();
                c.socket = ch;
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                if (c.source != null) {
                    ch.bind(new InetSocketAddress(c.source, 0));
                }
                c.key = ch.register(selector, 0, c);
                if (ch.connect(server)) {
                    connected(c);
                } else {
                    c.key.interestOps(SelectionKey.OP_CONNECT);
                }
            } catch (IOException e) {
                close(c, "connect: " + describe(e));
            }
        }
    }

    private void closeStragglers() {
        settled = true;
        toStart.clear();
        for (BenchClient c : clients) {
            if (c.state != State.READY && c.state != State.CLOSED) {
                close(c, "not ready within --setup-timeout");
            }
        }
        for (BenchClient c : clients) {
            if (c.state == State.NEW) {
                c.state = State.CLOSED;
                count(setupFailures, "not started within --setup-timeout");
                control.failed.incrementAndGet();
            }
        }
        control.loopsSettled.incrementAndGet();
    }

    private void connected(BenchClient c) {
        c.state = State.REGISTERING;
        c.key.interestOps(SelectionKey.OP_READ);
        send(c, Wire.registration(c.nick));
    }

    private void becameReady(BenchClient c) {
        c.state = State.READY;
        c.live = true;
        c.wasReady = true;
        handshake.recordValue(Math.min(MAX_LATENCY_MICROS, (System.nanoTime() - c.startedNanos) / 1000));
        control.ready.incrementAndGet();
        control.releaseSlot();
    }

    // ---- events ----

    private void handle(BenchClient c, SelectionKey k, long now) {
        if (c.state == State.CLOSED || !k.isValid()) {
            return;
        }
        try {
            if (k.isConnectable()) {
                if (c.socket.finishConnect()) {
                    connected(c);
                }
                return;
            }
            if (k.isWritable()) {
                flush(c);
            }
            if (k.isValid() && k.isReadable()) {
                read(c, now);
            }
        } catch (IOException e) {
            close(c, (c.state == State.CONNECTING ? "connect: " : "I/O error: ") + describe(e));
        }
    }

    private void read(BenchClient c, long now) throws IOException {
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
        int lineStart = 0;
        int scanFrom = carried;
        while (true) {
            int lf = Wire.indexOf(a, scanFrom, end, (byte) '\n');
            if (lf < 0) {
                break;
            }
            int lineEnd = lf > lineStart && a[lf - 1] == '\r' ? lf - 1 : lf;
            if (lineEnd > lineStart) {
                line(c, a, lineStart, lineEnd, now);
                if (c.state == State.CLOSED) {
                    return;
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
    }

    /** One line from the server. The fast path takes no allocation for messages and PING. */
    private void line(BenchClient c, byte[] a, int from, int to, long now) {
        if (c.state == State.READY) {
            int cmd = Wire.commandStart(a, from, to);
            if (cmd < 0) {
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.PRIVMSG)) {
                if (Wire.parseMessage(a, cmd, to, parsed)) {
                    delivery(c, (int) parsed[0], parsed[1], parsed[2], now);
                } else {
                    foreignLines++;
                }
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.PING)) {
                pong(c, a, cmd + Wire.PING.length, to);
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.ERROR)) {
                c.lastError = errorText(new String(a, cmd + Wire.ERROR.length, to - cmd - Wire.ERROR.length,
                        StandardCharsets.UTF_8));
            }
            return;
        }
        String text = new String(a, from, to - from, StandardCharsets.UTF_8);
        IrcMessage m;
        try {
            m = IrcParser.parseLine(text);
        } catch (IrcParseException e) {
            return;
        }
        setupLine(c, m);
    }

    /** A line while registering or joining. */
    private void setupLine(BenchClient c, IrcMessage m) {
        switch (m.command()) {
            case "PING" -> send(c, Wire.ascii("PONG :" + (m.last() == null ? "" : m.last()) + "\r\n"));
            case "ERROR" -> c.lastError = errorText(m.last() == null ? "" : m.last());
            case "001" -> {
                if (c.state == State.REGISTERING) {
                    c.state = State.JOINING;
                    send(c, Wire.join(c.channelName));
                }
            }
            case "366" -> {
                if (c.state == State.JOINING && c.channelName.equalsIgnoreCase(m.param(1))) {
                    becameReady(c);
                }
            }
            case "403", "405", "471", "473", "474", "475", "476", "477", "437", "489" -> {
                if (c.state == State.JOINING) {
                    close(c, "JOIN refused: " + m.command() + " " + m.last());
                }
            }
            case "432", "433", "436", "451", "461", "462", "464", "465" -> {
                if (c.state == State.REGISTERING) {
                    close(c, "registration refused: " + m.command() + " " + m.last());
                }
            }
            default -> {
                // notices, welcome burst, names: nothing to do
            }
        }
    }

    private void pong(BenchClient c, byte[] a, int from, int to) {
        byte[] line = new byte[5 + (to - from) + 2];
        System.arraycopy(Wire.ascii("PONG "), 0, line, 0, 5);
        System.arraycopy(a, from, line, 5, to - from);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        send(c, line);
        pingsAnswered++;
    }

    private void delivery(BenchClient c, int sender, long seq, long sentMicros, long now) {
        totalDeliveries++;
        if (c.tracker == null || sender < 0 || sender >= allSenders.length) {
            foreignLines++;
            return;
        }
        SequenceTracker.Outcome o = c.tracker.record(sender, seq);
        if (!o.isFirstReceipt()) {
            duplicateDeliveries++;
            return;
        }
        uniqueDeliveries++;
        if (now >= control.measureStartNanos && now < control.measureEndNanos) {
            measuredDeliveries++;
            long lat = control.micros(now) - sentMicros;
            latency.recordValue(Math.max(0, Math.min(MAX_LATENCY_MICROS, lat)));
        }
        Sender s = allSenders[sender].sender;
        if (s.window != null && s.window.delivered(seq)) {
            EventLoop owner = s.owner;
            if (owner == this) {
                pumpSoon = true;
            } else {
                owner.wakeup();
            }
        }
    }

    // ---- sending ----

    /** Sends what the senders of this loop may send now; returns how long the loop may sleep (ms). */
    private long pumpSenders(long now) {
        long sleep = 50;
        for (BenchClient c : senders) {
            if (!c.live) {
                continue;
            }
            Sender s = c.sender;
            if (s.window != null) {
                pumpFlood(c, s, now);
            } else {
                sleep = Math.min(sleep, pumpRate(c, s, now));
            }
        }
        return sleep;
    }

    private void pumpFlood(BenchClient c, Sender s, long now) {
        if (c.pendingLen > 0) {
            return; // the socket is full: wait for it to take what it has
        }
        writeBuf.clear();
        byte[] out = writeBuf.array();
        int at = 0;
        int max = Wire.maxMessageLength(s.head, filler);
        long micros = control.micros(now);
        while (at + max <= out.length && s.window.tryAcquire(s.nextSeq, now)) {
            at = Wire.writeMessage(out, at, s.head, s.id, s.nextSeq, micros, filler);
            s.sent = s.nextSeq++;
            owed += s.receivers;
        }
        if (at > 0) {
            send(c, out, 0, at);
        }
    }

    private long pumpRate(BenchClient c, Sender s, long now) {
        writeBuf.clear();
        byte[] out = writeBuf.array();
        int at = 0;
        int max = Wire.maxMessageLength(s.head, filler);
        while (s.nextDueNanos <= now && at + max <= out.length) {
            if (c.pendingLen > MAX_PENDING) {
                s.skipped++;
            } else {
                at = Wire.writeMessage(out, at, s.head, s.id, s.nextSeq, control.micros(s.nextDueNanos), filler);
                s.sent = s.nextSeq++;
                owed += s.receivers;
            }
            s.nextDueNanos += s.intervalNanos;
        }
        if (at > 0) {
            send(c, out, 0, at);
        }
        long wait = s.nextDueNanos - System.nanoTime();
        return wait <= 0 ? 0 : Math.max(1, wait / 1_000_000);
    }

    private void send(BenchClient c, byte[] data) {
        send(c, data, 0, data.length);
    }

    private void send(BenchClient c, byte[] data, int off, int len) {
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

    private void flush(BenchClient c) throws IOException {
        if (c.pendingLen == 0) {
            c.key.interestOps(c.key.interestOps() & ~SelectionKey.OP_WRITE);
            return;
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
            if (c.sender != null) {
                pumpSoon = true;
            }
        }
    }

    // ---- closing ----

    private void close(BenchClient c, String reason) {
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

    private static void closeQuietly(BenchClient c) {
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

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
