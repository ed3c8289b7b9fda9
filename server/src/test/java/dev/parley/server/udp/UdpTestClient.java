package dev.parley.server.udp;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A datagram socket that talks to the UDP door: each datagram it receives is one line in its inbox. */
final class UdpTestClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
    /** Every line received that {@link #expect} passed over or took, in order. */
    final List<String> seen = new ArrayList<>();
    /** Bytes sent and received in all. */
    final java.util.concurrent.atomic.AtomicLong sentBytes = new java.util.concurrent.atomic.AtomicLong();
    final java.util.concurrent.atomic.AtomicLong receivedBytes = new java.util.concurrent.atomic.AtomicLong();

    UdpTestClient(String bindAddress, int serverPort) throws IOException {
        this.socket = new DatagramSocket(new InetSocketAddress(bindAddress, 0));
        this.server = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), serverPort);
        Thread t = new Thread(this::receiveLoop, "udp-test-client");
        t.setDaemon(true);
        t.start();
    }

    UdpTestClient(int serverPort) throws IOException {
        this("127.0.0.1", serverPort);
    }

    private void receiveLoop() {
        byte[] buf = new byte[65_536];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException e) {
                return;
            } catch (IOException e) {
                continue;
            }
            receivedBytes.addAndGet(p.getLength());
            inbox.add(new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8));
        }
    }

    void send(String line) {
        sendRaw(line.getBytes(StandardCharsets.UTF_8));
    }

    void sendRaw(byte[] data) {
        try {
            socket.send(new DatagramPacket(data, data.length, server));
            sentBytes.addAndGet(data.length);
        } catch (IOException e) {
            throw new IllegalStateException("send failed: " + e.getMessage(), e);
        }
    }

    /** Takes lines until one matches; fails after {@link #TIMEOUT}. */
    String expect(Predicate<String> p) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            String line;
            try {
                line = inbox.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted");
            }
            if (line == null) {
                int from = Math.max(0, seen.size() - 15);
                throw new AssertionError("timed out waiting; seen: " + seen.subList(from, seen.size()));
            }
            seen.add(line);
            if (p.test(line)) {
                return line;
            }
        }
    }

    /** Waits until {@code line} has been received, now or before. */
    void awaitSeen(String line) {
        if (!seen.contains(line)) {
            expectExact(line);
        }
    }

    String expectStart(String prefix) {
        return expect(l -> l.startsWith(prefix));
    }

    String expectExact(String line) {
        return expect(line::equals);
    }

    /** Joins as {@code nick} and waits for the acknowledgement. */
    String hello(String nick) {
        join(nick);
        return expectStart("-- joined ");
    }

    /** Says hello, takes the door's token and sends it back: what follows is the answer to the join. */
    void join(String nick) {
        send("hello " + nick);
        send("hello " + nick + " " + token());
    }

    /** Waits for the door's token line ({@code ! say: hello <nick> <token>} or {@code ! token <token>}) and returns the token. */
    String token() {
        String line = expect(l -> l.startsWith("! say: hello ") || l.startsWith("! token "));
        return line.substring(line.lastIndexOf(' ') + 1);
    }

    /** Sends ping and returns the lines received before its pong. */
    List<String> sync() {
        int before = seen.size();
        send("ping");
        expectExact("pong");
        return new ArrayList<>(seen.subList(before, seen.size() - 1));
    }

    /** How often {@code line} was received so far. */
    long count(String line) {
        return seen.stream().filter(line::equals).count();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    @Override
    public void close() {
        socket.close();
    }
}
