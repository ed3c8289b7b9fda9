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

/** At most connect-rate new connections per address (IPv6: per /64) and range-connect-rate per range per connect-window. */
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

    @Test
    void aRangeIsLimitedAcrossItsAddresses() throws Exception {
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL).clock(clock).trustedAddresses(List.of())
                .connectRate(100).rangeConnectRate(4).rangeIpv4Prefix(24).rangeIpv6Prefix(48)
                .connectWindow(Duration.ofMinutes(1)).build();
        try (Hub hub = new Hub(cfg)) {
            ConnectionGate gate = new ConnectionGate(hub);
            for (int i = 1; i <= 4; i++) {
                assertThat(gate.tryEnter(InetAddress.getByName("127.0.3." + i))).isNull();
            }
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.3.200"))).as("a fifth address of the /24")
                    .isEqualTo(ConnectionGate.Refusal.TOO_FAST_FROM_RANGE);
            assertThat(new String(ConnectionGate.Refusal.TOO_FAST_FROM_RANGE.line(), StandardCharsets.US_ASCII))
                    .startsWith("ERROR :Closing Link: too many new connections from your network");
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.4.1"))).as("another /24").isNull();
            for (int i = 1; i <= 4; i++) {
                assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:" + i + "::1"))).as("/64 number " + i).isNull();
            }
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:99::1"))).as("a fifth /64 of the /48")
                    .isEqualTo(ConnectionGate.Refusal.TOO_FAST_FROM_RANGE);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:2::1"))).as("another /48").isNull();
            clock.advance(Duration.ofSeconds(61));
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.3.200"))).as("the next window").isNull();
        }
        ServerConfig off = ServerFixture.config(EngineKind.VIRTUAL).clock(clock).trustedAddresses(List.of())
                .connectRate(100).rangeConnectRate(0).build();
        try (Hub hub = new Hub(off)) {
            ConnectionGate gate = new ConnectionGate(hub);
            for (int i = 1; i <= 60; i++) {
                assertThat(gate.tryEnter(InetAddress.getByName("127.0.3." + i))).as("no range limit").isNull();
            }
        }
    }

    @Test
    void theIpv6GroupOfAnAddressIsConfigurable() throws Exception {
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL).clock(clock).trustedAddresses(List.of())
                .connectRate(2).ipv6Group(56).build();
        try (Hub hub = new Hub(cfg)) {
            ConnectionGate gate = new ConnectionGate(hub);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:1::1"))).isNull();
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:2::1"))).isNull();
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:3::1"))).as("the same /56")
                    .isEqualTo(ConnectionGate.Refusal.TOO_FAST_FROM_ADDRESS);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:0:100::1"))).as("another /56").isNull();
        }
    }

    @Test
    void behindAWebircGatewayAConnectionCountsForItsUser() throws Exception {
        InetAddress gateway = InetAddress.getByName("127.0.5.1");
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL).clock(clock).trustedAddresses(List.of("127.0.5.1"))
                .maxConnectionsPerAddress(2).build();
        try (Hub hub = new Hub(cfg)) {
            ConnectionGate gate = new ConnectionGate(hub);
            InetAddress user = InetAddress.getByName("192.0.2.7");
            for (int i = 0; i < 3; i++) {
                assertThat(gate.tryEnter(gateway)).as("the trusted gateway").isNull();
            }
            assertThat(gate.admitBehindGateway(gateway, user)).isNull();
            assertThat(gate.admitBehindGateway(gateway, user)).isNull();
            assertThat(gate.admitBehindGateway(gateway, user)).as("a third connection of one user")
                    .isEqualTo(ConnectionGate.Refusal.TOO_MANY_FROM_ADDRESS);
            assertThat(gate.connectionsFrom(user)).isEqualTo(3);
            assertThat(gate.connectionsFrom(gateway)).isZero();
            gate.leave(user); // the refused one closes
            gate.leave(user);
            assertThat(gate.tryEnter(gateway)).isNull();
            assertThat(gate.admitBehindGateway(gateway, user)).as("room again").isNull();
            assertThat(gate.connections()).isEqualTo(2);
        }
    }
}
