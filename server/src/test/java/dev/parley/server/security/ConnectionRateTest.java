package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Hub;
import dev.parley.server.session.ConnectionGate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** At most connect-rate new connections per address (IPv6: per /64) per connect-window. */
class ConnectionRateTest {
    private final ManualClock clock = new ManualClock();

    @Test
    void theConnectionPastTheRateIsRefusedUntilTheWindowEnds() throws Exception {
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL).clock(clock).trustedAddresses(List.of("127.0.1.0/24"))
                .connectRate(3).connectWindow(Duration.ofMinutes(1)).build();
        try (Hub hub = new Hub(cfg)) {
            ConnectionGate gate = new ConnectionGate(hub);
            InetAddress a = InetAddress.getByName("127.0.2.1");
            for (int i = 0; i < 3; i++) {
                assertThat(gate.tryEnter(a)).isNull();
                gate.leave(a);
            }
            assertThat(gate.tryEnter(a)).isEqualTo(ConnectionGate.Refusal.TOO_FAST_FROM_ADDRESS);
            assertThat(new String(ConnectionGate.Refusal.TOO_FAST_FROM_ADDRESS.line(), StandardCharsets.US_ASCII))
                    .startsWith("ERROR :Closing Link: too many new connections");
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.2.2"))).as("another address").isNull();
            for (int i = 0; i < 5; i++) {
                assertThat(gate.tryEnter(InetAddress.getByName("127.0.1.9"))).as("trusted").isNull();
            }
            clock.advance(Duration.ofSeconds(61));
            assertThat(gate.tryEnter(a)).isNull();

            for (int i = 1; i <= 3; i++) {
                assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:1::" + i))).isNull();
            }
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:1::99"))).as("the same /64")
                    .isEqualTo(ConnectionGate.Refusal.TOO_FAST_FROM_ADDRESS);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:2::1"))).as("another /64").isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void overASocketTheExtraConnectionIsToldWhyAndClosed(EngineKind engine) throws Exception {
        try (ServerFixture f = new ServerFixture()) {
            ParleyServer s = f.start(ServerFixture.config(engine).trustedAddresses(List.of()).connectRate(2)
                    .connectWindow(Duration.ofHours(1)).build());
            int port = s.address().getPort();
            try (Socket one = new Socket("127.0.0.1", port); Socket two = new Socket("127.0.0.1", port);
                 Socket three = new Socket("127.0.0.1", port)) {
                three.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(three.getInputStream(), StandardCharsets.UTF_8));
                assertThat(in.readLine()).startsWith("ERROR :Closing Link: too many new connections");
                assertThat(in.readLine()).isNull();
            }
        }
    }
}
