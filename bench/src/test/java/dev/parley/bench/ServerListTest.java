package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerListTest {
    @Test
    void readsHostPortPairsInOrder() {
        List<InetSocketAddress> s = ServerList.parse("127.0.0.1:6667, 127.0.0.1:6668,[::1]:6669");
        assertThat(s).extracting(InetSocketAddress::getPort).containsExactly(6667, 6668, 6669);
        assertThat(s.get(0).getAddress().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(s.get(2).getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void theSameServerMayBeNamedTwice() {
        assertThat(ServerList.parse("127.0.0.1:6667,127.0.0.1:6667")).hasSize(2);
    }

    @Test
    void badEntriesSayWhatIsWrong() {
        assertThatThrownBy(() -> ServerList.parse("127.0.0.1")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> ServerList.parse("127.0.0.1:6667,")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> ServerList.parse("127.0.0.1:0")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ServerList.parse("127.0.0.1:irc")).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> ServerList.parse("::1:6667")).hasMessageContaining("is not HOST:PORT");
        assertThatThrownBy(() -> ServerList.parse("[::1]6667")).hasMessageContaining("is not [IPV6]:PORT");
    }
}
