package dev.parley.chat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted UDP door on loopback: the test reads the client's datagrams in order and sends
 * the replies it wants, back to the address the last datagram came from.
 */
final class FakeUdpServer implements AutoCloseable {
    private static final int TIMEOUT_MS = 20_000;

    private final DatagramSocket socket;
    private final List<String> received = new ArrayList<>();
    private SocketAddress client;

    FakeUdpServer() throws IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        socket.setSoTimeout(TIMEOUT_MS);
    }

    String address() {
        return "127.0.0.1:" + socket.getLocalPort();
    }

    /** The next datagram from the client, as text. */
    String next() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("client sent nothing more; it sent " + received, e);
        }
        client = p.getSocketAddress();
        String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        received.add(text);
        return text;
    }

    /** Reads datagrams until one equals {@code text}; returns the ones skipped. */
    List<String> expect(String text) throws IOException {
        List<String> skipped = new ArrayList<>();
        String got;
        while (!(got = next()).equals(text)) {
            skipped.add(got);
        }
        return skipped;
    }

    /** Sends each line as one datagram to the client. */
    void send(String... lines) throws IOException {
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            socket.send(new DatagramPacket(b, b.length, client));
        }
    }

    /** Reads the hello, hands out a token as the real door does, reads it back and acknowledges the join into {@code #udp}. */
    void join(String nick) throws IOException {
        String hello = next();
        if (!hello.equals("hello " + nick)) {
            throw new AssertionError("first datagram should be 'hello " + nick + "', was '" + hello + "'");
        }
        send("! say: hello " + nick + " Tok3n_x-Y");
        String proof = next();
        if (!proof.equals("hello " + nick + " Tok3n_x-Y")) {
            throw new AssertionError("second datagram should echo the token, was '" + proof + "'");
        }
        send("-- joined #udp as " + nick + "; here: @bob " + nick);
    }

    @Override
    public void close() {
        socket.close();
    }
}
