package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.EngineKind;
import dev.parley.server.engine.NioEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What only the selector engine has to prove: one loop holds thousands of connections. */
class NioEngineSpecificTest {
    private final ServerFixture fx = new ServerFixture();
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (Socket s : sockets) {
            s.close();
        }
        fx.close();
    }

    @Test
    void oneLoopServesThousandsOfConnections() throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.NIO).nioLoops(1).build());
        assertThat(((NioEngine) s.engine()).loopCount()).isEqualTo(1);
        int n = 2000;
        List<BufferedReader> readers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Socket sock = new Socket();
            sock.connect(new InetSocketAddress("127.0.0.1", s.port()), 10_000);
            sockets.add(sock);
            OutputStream out = sock.getOutputStream();
            out.write(("NICK n" + i + "\r\nUSER u 0 * :many\r\nJOIN #many\r\n").getBytes(StandardCharsets.UTF_8));
            readers.add(new BufferedReader(new InputStreamReader(sock.getInputStream(), StandardCharsets.UTF_8)));
        }
        for (int i = 0; i < n; i++) {
            sockets.get(i).setSoTimeout(30_000);
            waitFor(readers.get(i), " 366 ");
        }
        assertThat(s.hub().findChannel("#many").size()).isEqualTo(n);
        sockets.get(0).getOutputStream().write("PRIVMSG #many :to all of you\r\n".getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i < n; i++) {
            String line = waitFor(readers.get(i), " PRIVMSG ");
            assertThat(line).endsWith(":to all of you");
        }
    }

    private static String waitFor(BufferedReader r, String marker) throws Exception {
        String line;
        while ((line = r.readLine()) != null) {
            if (line.contains(marker)) {
                return line;
            }
        }
        throw new AssertionError("connection closed before " + marker.trim());
    }
}
