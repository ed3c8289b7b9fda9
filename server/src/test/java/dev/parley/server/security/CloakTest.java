package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Other users see a cloak; the user itself and operators see the real address; bans match both. */
class CloakTest {
    static final String CLOAK = "[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip";

    @Test
    void othersSeeTheCloakInJoinWhoWhoisNamesAndHistory() {
        try (Embedded server = new Embedded()) {
            Embedded.Conn alice = server.register("alice");
            Embedded.Conn bob = server.register("bob");
            String real = alice.client().realHost();
            bob.send("CAP REQ :userhost-in-names");
            bob.send("JOIN #c");
            alice.send("JOIN #c");
            IrcMessage join = bob.expect(m -> m.command().equals("JOIN") && m.source().startsWith("alice!"), "alice JOIN");
            assertThat(join.source()).matches("alice!~alice@" + CLOAK).doesNotContain(real);
            alice.send("PRIVMSG #c :hello");
            bob.send("WHOIS alice", "WHO #c", "WHO #c %tcuihsnfar,1", "NAMES #c");
            List<String> lines = bob.takeLines();
            assertThat(String.join("\n", lines)).doesNotContain(real);
            assertThat(lines).noneMatch(l -> l.contains(" 378 "));
            assertThat(lines).anyMatch(l -> l.contains(" 311 bob alice ~alice " + alice.client().host() + " "));
            assertThat(lines).anyMatch(l -> l.contains(" 353 ") && l.contains("alice!~alice@" + alice.client().host()));

            server.hub().history().awaitFlushed();
            bob.send("CHATHISTORY LATEST #c * 10"); // read back from the store
            assertThat(String.join("\n", bob.takeLines())).contains("hello").doesNotContain(real);
        }
    }

    @Test
    void theUserItselfAndOperatorsSeeTheRealAddress() {
        String hash = PasswordHasher.hash("oper-pw-1");
        ServerConfig cfg = ServerFixture.config(EngineKind.VIRTUAL)
                .operators(List.of(new ServerConfig.Operator("root", hash, List.of("*@127.0.0.*"), null))).build();
        try (Embedded server = new Embedded(cfg)) {
            Embedded.Conn alice = server.register("alice");
            Embedded.Conn op = server.register("op");
            String real = alice.client().realHost();
            alice.send("WHOIS alice");
            assertThat(alice.expect("378").last()).contains(real);
            op.send("OPER root oper-pw-1");
            assertThat(op.expect("381")).isNotNull();
            op.send("WHOIS alice");
            assertThat(op.expect("378").last()).isEqualTo("is connecting from *@" + real + " " + real);
        }
    }

    @Test
    void aChannelBanMatchesTheCloakAndTheRealAddress() throws Exception {
        try (Embedded server = new Embedded()) {
            Embedded.Conn op = server.register("op");
            op.send("JOIN #c");
            Embedded.Conn alice = server.connect(InetAddress.getByName("127.0.5.1"));
            alice.send("NICK alice", "USER alice 0 * :a");
            op.send("MODE #c +b *!*@" + alice.client().host());
            alice.send("JOIN #c");
            assertThat(alice.expect("474")).isNotNull();
            op.send("MODE #c -b *!*@" + alice.client().host(), "MODE #c +b *!*@127.0.5.*");
            alice.send("JOIN #c");
            assertThat(alice.expect("474")).isNotNull();
        }
    }

    @Test
    void theSameAddressGetsTheSameCloakAcrossRestartsAndAnotherAddressAnother(@TempDir Path dir) throws Exception {
        InetAddress a = InetAddress.getByName("127.0.3.4");
        InetAddress b = InetAddress.getByName("127.0.3.5");
        InetAddress v6 = InetAddress.getByName("::1");
        String first;
        String first6;
        try (Embedded server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).store(ServerConfig.StoreKind.SQLITE)
                .dataDir(dir).build(), true)) {
            first = server.hub().shownHost(a);
            first6 = server.hub().shownHost(v6);
            assertThat(server.hub().shownHost(b)).isNotEqualTo(first).matches(CLOAK)
                    .endsWith(first.substring(first.indexOf('.'))); // the same /24, the same network parts
        }
        assertThat(Files.readString(dir.resolve("cloak.key"))).isNotBlank();
        try (Embedded server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).store(ServerConfig.StoreKind.SQLITE)
                .dataDir(dir).build(), true)) {
            assertThat(server.hub().shownHost(a)).isEqualTo(first);
            assertThat(server.hub().shownHost(v6)).isEqualTo(first6).matches(CLOAK);
        }
    }

    @Test
    void withoutCloakingEveryoneSeesTheAddress() {
        try (Embedded server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).cloak(false).build())) {
            Embedded.Conn alice = server.register("alice");
            assertThat(alice.client().prefix()).endsWith("@" + alice.client().realHost());
        }
    }
}
