package dev.parley.server;

import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts servers on loopback, port 0, and closes them and their test clients afterwards. */
public final class ServerFixture implements AutoCloseable {
    private final List<AutoCloseable> open = new ArrayList<>();

    public static ServerConfig.Builder config(EngineKind engine) {
        return ServerConfig.builder()
                .host("127.0.0.1")
                .port(0)
                .tlsPort(-1) // TLS tests turn it on, on port 0
                .engine(engine)
                .version("test")
                .serverName("irc.test")
                .dataDir(Path.of("target", "test-data"))
                .store(ServerConfig.StoreKind.MEMORY)
                .trustedAddresses(List.of("127.0.0.0/8", "::1")) // tests open many clients from loopback
                .shutdownGrace(Duration.ofMillis(500));
    }

    public ParleyServer start(ServerConfig config) throws IOException {
        return opened(ParleyServer.start(config));
    }

    public ParleyServer start(ConfigSource source) throws IOException {
        return opened(ParleyServer.start(source));
    }

    /** A server that speaks only TLS gets TLS test clients ({@link TestClient#connect}). */
    private ParleyServer opened(ParleyServer s) {
        open.add(0, s);
        if (s.config().port() < 0 && s.tlsPort() > 0) {
            int port = s.tlsPort();
            TestClient.TLS_PORTS.add(port);
            open.add(0, () -> TestClient.TLS_PORTS.remove(port));
        }
        return s;
    }

    public TestClient register(ParleyServer s, String nick) throws IOException {
        TestClient c = TestClient.register(s.port(), nick);
        open.add(0, c);
        return c;
    }

    public TestClient connect(ParleyServer s) throws IOException {
        TestClient c = TestClient.connect(s.port());
        open.add(0, c);
        return c;
    }

    public TestClient connectNonReading(ParleyServer s) throws IOException {
        TestClient c = TestClient.connectNonReading(s.port());
        open.add(0, c);
        return c;
    }

    @Override
    public void close() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception ignored) {
                // keep closing the rest
            }
        }
        open.clear();
    }
}
