package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EndpointTest {
    @Test
    void hostAloneTakesTheDefaultPort() {
        assertThat(Endpoint.parse("irc.example.org", 6667)).isEqualTo(new Endpoint("irc.example.org", 6667));
    }

    @Test
    void hostAndPort() {
        assertThat(Endpoint.parse("127.0.0.1:7000", 6667)).isEqualTo(new Endpoint("127.0.0.1", 7000));
    }

    @Test
    void ipv6WithAndWithoutBrackets() {
        assertThat(Endpoint.parse("[::1]:6697", 6667)).isEqualTo(new Endpoint("::1", 6697));
        assertThat(Endpoint.parse("::1", 6667)).isEqualTo(new Endpoint("::1", 6667));
        assertThat(new Endpoint("::1", 6667)).hasToString("[::1]:6667");
    }

    @Test
    void badPortsAreExplained() {
        assertThatThrownBy(() -> Endpoint.parse("host:99999", 6667)).hasMessageContaining("between 1 and 65535");
        assertThatThrownBy(() -> Endpoint.parse("host:abc", 6667)).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> Endpoint.parse("host:0", 6667)).hasMessageContaining("between 1 and 65535");
    }

    @Test
    void badHostsAreExplained() {
        assertThatThrownBy(() -> Endpoint.parse("not a host", 6667)).hasMessageContaining("is not a host name");
        assertThatThrownBy(() -> Endpoint.parse("", 6667)).hasMessageContaining("empty");
        assertThatThrownBy(() -> Endpoint.parse("a..b", 6667)).hasMessageContaining("is not a host name");
    }
}
