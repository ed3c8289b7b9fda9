package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class SourceAddressesTest {
    @Test
    void aRangeExpandsToEveryAddress() {
        assertThat(SourceAddresses.parse("127.0.0.1-127.0.0.8")).hasSize(8)
                .extracting(InetAddress::getHostAddress)
                .startsWith("127.0.0.1", "127.0.0.2").endsWith("127.0.0.8");
    }

    @Test
    void rangesMayCrossAnOctetAndMixWithSingleAddresses() {
        assertThat(SourceAddresses.parse("127.0.0.254-127.0.1.1, 127.0.0.9"))
                .extracting(InetAddress::getHostAddress)
                .containsExactly("127.0.0.254", "127.0.0.255", "127.0.1.0", "127.0.1.1", "127.0.0.9");
    }

    @Test
    void badListsAreExplained() {
        assertThatThrownBy(() -> SourceAddresses.parse("localhost")).hasMessageContaining("not an IPv4 address");
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.9-127.0.0.1")).hasMessageContaining("backwards");
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.1,,127.0.0.2")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> SourceAddresses.parse("127.0.0.0-127.0.255.255")).hasMessageContaining("at most");
    }
}
