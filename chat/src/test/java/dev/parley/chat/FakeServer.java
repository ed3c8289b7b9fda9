package dev.parley.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A scripted IRC server on loopback for one client: the test reads the client's lines in order
 * and writes the replies it wants, so capability negotiation and SASL can be checked step by step.
 */
final class FakeServer implements AutoCloseable {
    private static final int TIMEOUT_MS = 20_000;

    private final ServerSocket listener;
    private final List<String> received = new ArrayList<>();
    private Socket socket;
    private BufferedReader in;
    private OutputStream out;

    FakeServer() throws IOException {
        this(new ServerSocket(0, 5, InetAddress.getLoopbackAddress()));
    }

    /** A scripted server on a listener made elsewhere (a TLS one, say). */
    FakeServer(ServerSocket listener) throws IOException {
        this.listener = listener;
        listener.setSoTimeout(TIMEOUT_MS);
    }

    /** The accepted connection (an {@code SSLSocket} on a TLS listener). */
    Socket socket() {
        return socket;
    }

    int port() {
        return listener.getLocalPort();
    }

    String address() {
        return "127.0.0.1:" + port();
    }

    /** Waits for the client to connect. */
    FakeServer accept() throws IOException {
        socket = listener.accept();
        socket.setSoTimeout(TIMEOUT_MS);
        in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = socket.getOutputStream();
        return this;
    }

    /** The next line from the client. */
    String next() throws IOException {
        try {
            String line = in.readLine();
            if (line == null) {
                throw new AssertionError("client closed the connection; it sent " + received);
            }
            received.add(line);
            return line;
        } catch (SocketTimeoutException e) {
            throw new AssertionError("client sent nothing more; it sent " + received, e);
        }
    }

    /** Reads lines until one equals {@code line}; fails on timeout. Returns the lines skipped. */
    List<String> expect(String line) throws IOException {
        List<String> skipped = new ArrayList<>();
        String got;
        while (!(got = next()).equals(line)) {
            skipped.add(got);
        }
        return skipped;
    }

    /** Everything the client sent so far. */
    List<String> received() {
        return List.copyOf(received);
    }

    void send(String... lines) throws IOException {
        for (String line : lines) {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
    }

    /** Sends the welcome that ends registration. */
    void welcome(String nick) throws IOException {
        send(":fake 001 " + nick + " :Welcome to the fake network " + nick);
    }

    /** Reads the three registration lines every client sends first. */
    void expectRegistration(String nick) throws IOException {
        String first = next();
        if (!first.equals("CAP LS 302")) {
            throw new AssertionError("first line should be CAP LS 302, was " + first);
        }
        expect("NICK " + nick);
        String user = next();
        if (!user.startsWith("USER ")) {
            throw new AssertionError("expected USER, got " + user);
        }
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        listener.close();
    }
}
