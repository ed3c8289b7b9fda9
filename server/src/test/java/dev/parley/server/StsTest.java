package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** IRCv3 STS: plain connections are pointed to the TLS port, TLS ones told how long to insist. */
class StsTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static String capLs(TestClient c) {
        c.send("CAP LS 302");
        StringBuilder all = new StringBuilder();
        while (true) {
            IrcMessage m = c.expect("CAP");
            all.append(' ').append(m.last());
            if (!"*".equals(m.param(2))) {
                return all.toString();
            }
        }
    }

    @Test
    void plainConnectionsAreSentToTheTlsPortAndTlsOnesGetTheDuration() throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).tlsPort(0).stsDuration(86400).stsPreload(true).build());
        try (TestClient plain = TestClient.connect(s.port()); TestClient secure = TestClient.connectTls(s.tlsPort())) {
            assertThat(capLs(plain)).contains(" sts=port=" + s.tlsPort()).doesNotContain("duration");
            assertThat(capLs(secure)).contains(" sts=duration=86400,preload").doesNotContain("sts=port");
        }
    }

    @Test
    void noPolicyIsAdvertisedByDefault() throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.NIO).tlsPort(0).build());
        try (TestClient plain = TestClient.connect(s.port()); TestClient secure = TestClient.connectTls(s.tlsPort())) {
            assertThat(capLs(plain)).doesNotContain("sts");
            assertThat(capLs(secure)).doesNotContain("sts");
        }
    }

    @Test
    void stsNeedsTheTlsListener() {
        assertThatThrownBy(() -> ServerFixture.config(EngineKind.VIRTUAL).stsDuration(60).build())
                .hasMessageContaining("--sts-duration needs the TLS listener");
    }
}
