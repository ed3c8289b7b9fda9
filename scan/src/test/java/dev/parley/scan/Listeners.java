package dev.parley.scan;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Loopback listeners on ephemeral ports for tests, closed together. */
final class Listeners implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    /** A listener that never accepts (the kernel completes connections on its own). */
    ServerSocket silent(InetAddress address) throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(address, 0), 50);
        open.add(s);
        return s;
    }

    /** A listener that greets every connection with {@code greeting} and closes it. */
    ServerSocket greeting(InetAddress address, String greeting) throws IOException {
        ServerSocket s = silent(address);
        Thread.ofVirtual().name("greeter-" + s.getLocalPort()).start(() -> {
            while (!s.isClosed()) {
                try (Socket c = s.accept()) {
                    OutputStream out = c.getOutputStream();
                    out.write(greeting.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException e) {
                    // the listener was closed (the loop ends), or a client went away first
                }
            }
        });
        return s;
    }

    /** A port on {@code address} that had a listener a moment ago and has none now. */
    static int closedPort(InetAddress address) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(address, 0));
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        synchronized (open) {
            for (AutoCloseable c : open) {
                c.close();
            }
            open.clear();
        }
    }
}
