package dev.parley.server;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A small blocking IRC client for tests. A reader thread parses every line into an inbox;
 * {@link #expect} takes lines until one matches (keeping the skipped ones in {@link #skipped}).
 */
public final class TestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final IrcMessage EOF = IrcMessage.of("EOF");

    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<IrcMessage> inbox = new LinkedBlockingQueue<>();
    private final List<IrcMessage> skipped = new ArrayList<>();
    private volatile boolean autoPong = true;
    private volatile boolean eof;
    private String nick;

    private TestClient(Socket socket, boolean startReader) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        if (startReader) {
            startReader();
        }
    }

    /** Ports of running test servers that speak only TLS: {@link #connect} goes over TLS to them. */
    static final java.util.Set<Integer> TLS_PORTS = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static TestClient connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new TestClient(overTlsIfServed(s, port), true);
    }

    /** A bare socket to a test server's {@code port}: plain, or with the TLS handshake done when it speaks only TLS. */
    public static Socket rawSocket(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return overTlsIfServed(s, port);
    }

    private static Socket overTlsIfServed(Socket s, int port) throws IOException {
        if (!TLS_PORTS.contains(port)) {
            return s;
        }
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) TlsClients.trustingAny().getSocketFactory()
                .createSocket(s, "127.0.0.1", port, true);
        ssl.startHandshake();
        return ssl;
    }

    /** A client over a socket already connected (after a PROXY header, say), reading. */
    public static TestClient over(Socket s) throws IOException {
        return new TestClient(s, true);
    }

    /** Connects over TLS, trusting any certificate. */
    public static TestClient connectTls(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        javax.net.ssl.SSLSocket ssl = (javax.net.ssl.SSLSocket) TlsClients.trustingAny().getSocketFactory()
                .createSocket(s, "127.0.0.1", port, true);
        ssl.startHandshake();
        return new TestClient(ssl, true);
    }

    /** A client that never reads: its receive buffer is tiny, so the server's output backs up. */
    public static TestClient connectNonReading(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return new TestClient(overTlsIfServed(s, port), false);
    }

    /** Connects, registers as {@code nick} and waits for the end of the welcome burst. */
    public static TestClient register(int port, String nick) throws IOException {
        TestClient c = connect(port);
        c.nick = nick;
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :Test " + nick);
        c.expect(m -> m.command().equals("376") || m.command().equals("422"));
        return c;
    }

    private void startReader() {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    IrcMessage m;
                    try {
                        m = IrcParser.parseLine(line);
                    } catch (Exception e) {
                        m = IrcMessage.of("UNPARSEABLE", line.replace("\r", "").replace("\0", ""));
                    }
                    if (autoPong && m.command().equals("PING")) {
                        send("PONG :" + m.last());
                        continue;
                    }
                    inbox.add(m);
                }
            } catch (IOException ignored) {
                // connection ended
            } finally {
                eof = true;
                inbox.add(EOF);
            }
        }, "test-client-reader");
        t.setDaemon(true);
        t.start();
    }

    public String nick() {
        return nick;
    }

    public void autoPong(boolean on) {
        autoPong = on;
    }

    public synchronized void send(String line) {
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("send failed: " + e.getMessage(), e);
        }
    }

    public synchronized void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Takes lines until one matches; fails after {@link #TIMEOUT} or at end of stream. */
    public IrcMessage expect(Predicate<IrcMessage> p) {
        return expect(p, TIMEOUT);
    }

    public IrcMessage expect(Predicate<IrcMessage> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            IrcMessage m;
            try {
                m = left <= 0 ? null : inbox.poll(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (m == null) {
                throw new AssertionError("timed out waiting; skipped so far: " + tail());
            }
            if (m == EOF) {
                inbox.add(EOF);
                throw new AssertionError("connection closed while waiting; skipped so far: " + tail());
            }
            if (p.test(m)) {
                return m;
            }
            skipped.add(m);
        }
    }

    /**
     * After {@code CAP LS}: reads the server's LS reply, every continuation line of it
     * ({@code CAP * LS * :…}) and the last, and returns the capabilities they offer, space-separated.
     */
    public String capLs() {
        StringBuilder all = new StringBuilder();
        while (true) {
            IrcMessage m = expect(x -> x.command().equals("CAP") && x.paramCount() >= 3 && "LS".equals(x.param(1)));
            all.append(all.isEmpty() ? "" : " ").append(m.last());
            if (m.paramCount() == 3) {
                return all.toString();
            }
        }
    }

    /** Waits for a message with this command (a name or a numeric). */
    public IrcMessage expect(String command) {
        return expect(m -> m.command().equals(command));
    }

    /** The next message, whatever it is. */
    public IrcMessage next() {
        return expect(m -> true);
    }

    /** Sends PING with a fresh token and returns everything received before its PONG. */
    public List<IrcMessage> sync() {
        String token = "sync" + System.nanoTime();
        send("PING " + token);
        List<IrcMessage> before = new ArrayList<>();
        expect(m -> {
            if (m.command().equals("PONG") && token.equals(m.last())) {
                return true;
            }
            before.add(m);
            return false;
        });
        skipped.removeAll(before);
        return before;
    }

    /** Waits until the server closes the connection. */
    public void expectClosed() {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!eof && System.nanoTime() < deadline) {
            try {
                IrcMessage m = inbox.poll(100, TimeUnit.MILLISECONDS);
                if (m != null && m != EOF) {
                    skipped.add(m);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (!eof) {
            throw new AssertionError("connection still open; skipped so far: " + tail());
        }
    }

    public boolean isClosed() {
        return eof;
    }

    public List<IrcMessage> skipped() {
        return skipped;
    }

    private String tail() {
        int from = Math.max(0, skipped.size() - 15);
        return skipped.subList(from, skipped.size()).toString();
    }

    public Socket socket() {
        return socket;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
