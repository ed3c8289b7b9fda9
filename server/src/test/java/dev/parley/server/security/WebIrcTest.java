package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.Embedded;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** WEBIRC from a configured gateway gives the session the user's address; anything else is refused. */
class WebIrcTest {
    private static final String HASH = PasswordHasher.hash("gw-secret-1");

    private static Embedded server(List<String> trusted) {
        return new Embedded(ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(trusted)
                .webirc(List.of(new ServerConfig.WebIrc("webchat", HASH, List.of("127.0.0.50", "127.0.1.0/24")))).build());
    }

    private static Embedded.Conn fromGateway(Embedded server, String gatewayAddress) throws Exception {
        return server.connect(InetAddress.getByName(gatewayAddress));
    }

    @Test
    void anAcceptedGatewayGivesTheUsersAddressToCloakAndWhois() throws Exception {
        try (Embedded server = server(List.of())) {
            Embedded.Conn web = fromGateway(server, "127.0.0.50");
            web.send("WEBIRC gw-secret-1 webchat user.example 198.51.100.7 :secure", "NICK webby", "USER w 0 * :w");
            assertThat(web.takeLines()).anyMatch(l -> l.contains(" 001 "));
            assertThat(web.client().realHost()).isEqualTo("198.51.100.7");
            assertThat(web.client().host()).isEqualTo(server.hub().shownHost(InetAddress.getByName("198.51.100.7")))
                    .isNotEqualTo(server.hub().shownHost(InetAddress.getByName("127.0.0.50")));
            assertThat(web.client().isSecure()).as("the gateway's own connection is neither secure nor trusted").isFalse();
            web.send("WHOIS webby");
            assertThat(web.expect("378").last()).contains("198.51.100.7");
        }
    }

    @Test
    void theSecureFlagCountsFromATrustedGateway() throws Exception {
        try (Embedded server = server(List.of("127.0.0.50"))) {
            Embedded.Conn web = fromGateway(server, "127.0.0.50");
            web.send("WEBIRC gw-secret-1 webchat user.example 2001:db8::7 :secure", "NICK webby", "USER w 0 * :w");
            assertThat(web.takeLines()).anyMatch(l -> l.contains(" 001 "));
            assertThat(web.client().isSecure()).isTrue();
            assertThat(web.client().realHost()).isEqualTo(InetAddress.getByName("2001:db8::7").getHostAddress());
        }
    }

    @Test
    void aWrongPasswordSourceGatewayOrAddressIsRefused() throws Exception {
        try (Embedded server = server(List.of())) {
            Embedded.Conn wrongPassword = fromGateway(server, "127.0.0.50");
            wrongPassword.send("WEBIRC not-it webchat user.example 198.51.100.7", "NICK a", "USER a 0 * :a");
            assertThat(wrongPassword.takeLines()).noneMatch(l -> l.contains(" 001 ") || l.contains("not-it"))
                    .anyMatch(l -> l.startsWith("ERROR :Closing Link:") && l.contains("WEBIRC refused: wrong password"));

            Embedded.Conn wrongSource = fromGateway(server, "127.0.2.1");
            wrongSource.send("WEBIRC gw-secret-1 webchat user.example 198.51.100.7");
            assertThat(wrongSource.takeLines()).anyMatch(l -> l.contains("WEBIRC refused: unknown gateway or address"));

            Embedded.Conn unknown = fromGateway(server, "127.0.1.5");
            unknown.send("WEBIRC gw-secret-1 other user.example 198.51.100.7");
            assertThat(unknown.takeLines()).anyMatch(l -> l.contains("WEBIRC refused"));

            Embedded.Conn badIp = fromGateway(server, "127.0.1.5");
            badIp.send("WEBIRC gw-secret-1 webchat user.example example.org");
            assertThat(badIp.takeLines()).anyMatch(l -> l.contains("WEBIRC refused: not an IP address"));

            Embedded.Conn late = fromGateway(server, "127.0.1.6");
            late.send("NICK late", "WEBIRC gw-secret-1 webchat user.example 198.51.100.7");
            assertThat(late.takeLines()).anyMatch(l -> l.contains("WEBIRC must come first"));
        }
    }

    @Test
    void bansAndTheRateUseTheUsersAddress() throws Exception {
        try (Embedded server = server(List.of())) {
            server.hub().bans().add('D', "198.51.100.0/24", Duration.ZERO, "d-lined range", "test");
            server.hub().bans().add('K', "*@203.0.113.9", Duration.ZERO, "k-lined user", "test");
            Embedded.Conn d = fromGateway(server, "127.0.0.50");
            d.send("WEBIRC gw-secret-1 webchat user.example 198.51.100.7", "NICK d", "USER d 0 * :d");
            assertThat(d.takeLines()).noneMatch(l -> l.contains(" 001 ")).anyMatch(l -> l.contains("D-Lined"));

            Embedded.Conn k = fromGateway(server, "127.0.0.50");
            k.send("WEBIRC gw-secret-1 webchat user.example 203.0.113.9", "NICK k", "USER k 0 * :k");
            assertThat(k.takeLines()).noneMatch(l -> l.contains(" 001 ")).anyMatch(l -> l.contains("K-Lined: k-lined user"));

            Embedded.Conn ok = fromGateway(server, "127.0.0.50");
            ok.send("WEBIRC gw-secret-1 webchat user.example 203.0.113.10", "NICK ok", "USER ok 0 * :ok");
            assertThat(ok.takeLines()).anyMatch(l -> l.contains(" 001 "));

            int rate = server.hub().config().connectRate();
            for (int i = 0; i < rate - 1; i++) {
                fromGateway(server, "127.0.0.50").send("WEBIRC gw-secret-1 webchat user.example 203.0.113.10");
            }
            Embedded.Conn tooMany = fromGateway(server, "127.0.0.50");
            tooMany.send("WEBIRC gw-secret-1 webchat user.example 203.0.113.10");
            assertThat(tooMany.takeLines()).anyMatch(l -> l.contains("too many new connections"));
        }
    }

    @Test
    void aGatewaysUsersNeedTheServerPasswordToo() throws Exception {
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(List.of())
                .webirc(List.of(new ServerConfig.WebIrc("webchat", HASH, List.of("127.0.0.50"))))
                .serverPasswordHash(PasswordHasher.hash("members-only-42")).build();
        try (Embedded server = new Embedded(cfg)) {
            Embedded.Conn without = fromGateway(server, "127.0.0.50");
            without.send("WEBIRC gw-secret-1 webchat user.example 198.51.100.7", "NICK w1", "USER w 0 * :w");
            assertThat(without.takeLines()).noneMatch(l -> l.contains(" 001 ")).anyMatch(l -> l.contains(" 464 "));

            Embedded.Conn with = fromGateway(server, "127.0.0.50");
            with.send("WEBIRC gw-secret-1 webchat user.example 198.51.100.8", "PASS members-only-42", "NICK w2", "USER w 0 * :w");
            assertThat(with.takeLines()).anyMatch(l -> l.contains(" 001 "));
        }
    }
}
