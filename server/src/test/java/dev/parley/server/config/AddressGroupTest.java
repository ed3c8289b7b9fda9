package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.Embedded;
import dev.parley.server.ServerFixture;
import dev.parley.server.session.ConnectionGate;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Per-address limits count an IPv6 user's whole /64 as one address. */
class AddressGroupTest {
    @Test
    void ipv4IsItselfAndIpv6IsItsSlash64() throws Exception {
        InetAddress v4 = InetAddress.getByName("192.0.2.7");
        assertThat(AddressGroup.of(v4)).isEqualTo(v4);
        assertThat(AddressGroup.key(InetAddress.getByName("2001:db8:1:2:aaaa::1")))
                .isEqualTo(AddressGroup.key(InetAddress.getByName("2001:db8:1:2:bbbb::9")))
                .isEqualTo("2001:db8:1:2:0:0:0:0/64");
        assertThat(AddressGroup.key(InetAddress.getByName("2001:db8:1:3::1")))
                .isNotEqualTo(AddressGroup.key(InetAddress.getByName("2001:db8:1:2::1")));
    }

    @Test
    void connectionsFromOneSlash64AreCountedTogether() throws Exception {
        try (Embedded e = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(List.of())
                .maxConnectionsPerAddress(2).build())) {
            ConnectionGate gate = new ConnectionGate(e.hub());
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:2::1"))).isNull();
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:2::2"))).isNull();
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:2:ffff::3")))
                    .isEqualTo(ConnectionGate.Refusal.TOO_MANY_FROM_ADDRESS);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:3::1"))).as("another /64").isNull();
            gate.leave(InetAddress.getByName("2001:db8:1:2::1"));
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1:2::9"))).isNull();
        }
    }
}
