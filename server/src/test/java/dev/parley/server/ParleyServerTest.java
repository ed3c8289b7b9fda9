package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParleyServerTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void takenPortMovesToTheNextFreeOne() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            ParleyServer s;
            try {
                s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).port(port).portAttempts(20).build());
            } catch (BindException e) {
                return; // the next 19 ports were all taken too: nothing to learn on this machine
            }
            assertThat(s.port()).isGreaterThan(port).isLessThan(port + 20);
            TestClient c = fx.register(s, "mover");
            assertThat(c.isClosed()).isFalse();
        }
    }

    @Test
    void takenPortWithOneAttemptFailsWithAClearMessage() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> fx.start(ServerFixture.config(EngineKind.THREADS).port(port).portAttempts(1).build()))
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("cannot listen on 127.0.0.1 port " + port);
        }
    }

    @Test
    void connectionLimitTurnsNewcomersAwayPolitely() throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).maxConnections(1).build());
        fx.register(s, "first");
        TestClient second = fx.connect(s);
        assertThat(second.expect("ERROR").last()).contains("too many connections");
        second.expectClosed();
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).port(70000).build())
                .hasMessageContaining("port must be between -1 and 65535");
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).port(-1).tlsPort(-1).build())
                .hasMessageContaining("both listeners are off");
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).tlsPort(0).tlsCert(java.nio.file.Path.of("c.pem")).build())
                .hasMessageContaining("--tls-cert and --tls-key go together");
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).proxyTls(true).build())
                .hasMessageContaining("--proxy-tls marks the TLS listener, which is off");
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).proxyFrom(java.util.List.of("nonsense")).build())
                .hasMessageContaining("nonsense");
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).serverName("bad name").build())
                .hasMessageContaining("server name");
        assertThatThrownBy(() -> EngineKind.parse("fibers")).hasMessageContaining("threads, virtual");
    }
}
