package dev.parley.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * A listener process for {@link NetnsScanTest}, started inside a network namespace with
 * {@code ip netns exec}: listens on every port given as an argument (on all addresses),
 * accepts and closes whatever connects, prints {@code ready} once all are bound and exits when
 * its standard input closes (so it never outlives the test). One virtual thread per port.
 */
final class NetnsListener {
    private NetnsListener() {
    }

    public static void main(String[] args) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        for (String arg : args) {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(Integer.parseInt(arg)), 512);
            sockets.add(s);
            Thread.ofVirtual().start(() -> {
                while (!s.isClosed()) {
                    try (Socket c = s.accept()) {
                        c.setSoLinger(true, 0);
                    } catch (IOException e) {
                        // closed, or the client went first
                    }
                }
            });
        }
        System.out.println("ready");
        System.out.flush();
        while (System.in.read() >= 0) {
            // wait for the test to close our input
        }
        for (ServerSocket s : sockets) {
            s.close();
        }
    }
}
