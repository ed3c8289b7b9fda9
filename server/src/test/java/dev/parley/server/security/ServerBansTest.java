package dev.parley.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import dev.parley.server.session.ConnectionGate;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** K-lines and D-lines: set by operators, enforced at once, at connect and at registration; they expire and persist. */
class ServerBansTest {
    private static final String HASH = PasswordHasher.hash("oper-pw-1");
    private final ManualClock clock = new ManualClock();

    private ServerConfig.Builder config() {
        return ServerFixture.config(EngineKind.VIRTUAL).clock(clock)
                .operators(List.of(new ServerConfig.Operator("root", HASH, List.of("*@127.0.0.*"), null)));
    }

    private static Embedded.Conn oper(Embedded server) {
        Embedded.Conn op = server.register("op");
        op.send("OPER root oper-pw-1");
        assertThat(op.expect("381")).isNotNull();
        return op;
    }

    private static Embedded.Conn connect(Embedded server, String address) throws Exception {
        return server.connect(InetAddress.getByName(address));
    }

    private static Embedded.Conn register(Embedded server, String address, String nick) throws Exception {
        Embedded.Conn c = connect(server, address);
        c.send("NICK " + nick, "USER " + nick + " 0 * :" + nick);
        return c;
    }

    @Test
    void onlyOperatorsMaySetOrListBans() {
        try (Embedded server = new Embedded(config().build())) {
            Embedded.Conn alice = server.register("alice");
            alice.send("KLINE *@127.0.0.9 :no", "DLINE 127.0.0.9 :no", "UNKLINE *@127.0.0.9", "UNDLINE 127.0.0.9", "STATS k");
            assertThat(alice.take()).extracting(IrcMessage::command).containsExactly("481", "481", "481", "481", "481");
            assertThat(server.hub().bans().list('K')).isEmpty();
        }
    }

    @Test
    void aKLineDisconnectsAMatchingUserAtOnceAndRefusesThemAtRegistration() throws Exception {
        try (Embedded server = new Embedded(config().build())) {
            Embedded.Conn op = oper(server);
            Embedded.Conn alice = register(server, "127.0.9.1", "alice");
            Embedded.Conn bob = register(server, "127.0.7.1", "bob");
            alice.send("JOIN #c");
            bob.send("JOIN #c");
            bob.take();
            alice.take();

            op.send("KLINE *@127.0.9.* :spamming the lobby");
            assertThat(alice.takeLines()).anyMatch(l -> l.startsWith("ERROR :Closing Link:") && l.contains("K-Lined: spamming the lobby"));
            assertThat(server.hub().findNick("alice")).isNull();
            IrcMessage quit = bob.expect("QUIT");
            assertThat(quit.source()).startsWith("alice!");
            assertThat(quit.last()).isEqualTo("K-Lined");
            assertThat(bob.client().isClosing()).isFalse();

            Embedded.Conn again = register(server, "127.0.9.2", "alice2");
            List<String> lines = again.takeLines();
            assertThat(lines).noneMatch(l -> l.contains(" 001 ")).anyMatch(l -> l.contains("K-Lined: spamming the lobby"));

            op.send("STATS k");
            List<IrcMessage> stats = op.take();
            assertThat(stats).filteredOn(m -> m.command().equals("216")).singleElement()
                    .satisfies(m -> assertThat(m.params()).containsSubsequence("K", "127.0.9.*", "*", "*"));
            assertThat(stats.getLast().command()).isEqualTo("219");

            op.send("UNKLINE *@127.0.9.*");
            Embedded.Conn back = register(server, "127.0.9.3", "alice3");
            assertThat(back.take()).extracting(IrcMessage::command).contains("001");
        }
    }

    @Test
    void aKLineOnTheCloakMatchesToo() throws Exception {
        try (Embedded server = new Embedded(config().build())) {
            Embedded.Conn op = oper(server);
            Embedded.Conn alice = register(server, "127.0.9.1", "alice");
            String cloak = alice.client().host();
            op.send("KLINE *@" + cloak + " :cloak ban");
            assertThat(alice.takeLines()).anyMatch(l -> l.contains("K-Lined: cloak ban"));
            assertThat(register(server, "127.0.9.1", "alice2").takeLines()).noneMatch(l -> l.contains(" 001 "));
            assertThat(register(server, "127.0.9.2", "carol").takeLines()).anyMatch(l -> l.contains(" 001 "));
        }
    }

    @Test
    void dLinedAddressesAndBlocksCannotConnect() throws Exception {
        try (Embedded server = new Embedded(config().build())) {
            Embedded.Conn op = oper(server);
            Embedded.Conn carol = register(server, "127.0.8.20", "carol");
            op.send("DLINE 127.0.8.0/24 :range ban", "DLINE 2001:db8::/32 :v6 range ban");
            assertThat(carol.takeLines()).anyMatch(l -> l.contains("D-Lined: range ban"));
            ConnectionGate gate = new ConnectionGate(server.hub());
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.8.7"))).isEqualTo(ConnectionGate.Refusal.BANNED);
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db8:1::5"))).isEqualTo(ConnectionGate.Refusal.BANNED);
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.9.7"))).isNull();
            assertThat(gate.tryEnter(InetAddress.getByName("2001:db9::5"))).isNull();

            op.send("STATS d");
            assertThat(op.take()).filteredOn(m -> m.command().equals("225")).extracting(m -> m.param(2))
                    .containsExactly("127.0.8.0/24", "2001:db8:0:0:0:0:0:0/32");
            op.send("DLINE 300.1.2.3 :bad", "DLINE 10.0.0.0/33 :bad");
            assertThat(op.take()).extracting(IrcMessage::last).allMatch(t -> t.contains("not set"));
            assertThat(server.hub().bans().list('D')).hasSize(2);
        }
    }

    @Test
    void aTimedBanExpiresOnTheClock() throws Exception {
        try (Embedded server = new Embedded(config().build())) {
            Embedded.Conn op = oper(server);
            op.send("KLINE 30m *@127.0.9.* :half an hour", "DLINE 2h 127.0.6.0/24 :two hours", "KLINE 90 *@127.0.5.1 :ninety minutes");
            assertThat(register(server, "127.0.9.1", "a").takeLines()).noneMatch(l -> l.contains(" 001 "));
            clock.advance(Duration.ofMinutes(31));
            assertThat(register(server, "127.0.9.1", "b").takeLines()).anyMatch(l -> l.contains(" 001 "));
            assertThat(register(server, "127.0.5.1", "c").takeLines()).noneMatch(l -> l.contains(" 001 "));
            ConnectionGate gate = new ConnectionGate(server.hub());
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.6.1"))).isEqualTo(ConnectionGate.Refusal.BANNED);
            clock.advance(Duration.ofMinutes(90));
            assertThat(gate.tryEnter(InetAddress.getByName("127.0.6.1"))).isNull();
            assertThat(register(server, "127.0.5.1", "d").takeLines()).anyMatch(l -> l.contains(" 001 "));
            op.send("STATS k");
            assertThat(op.take()).extracting(IrcMessage::command).doesNotContain("216");
        }
    }

    @Test
    void bansSurviveARestart(@TempDir Path dir) throws Exception {
        ServerConfig cfg = config().store(ServerConfig.StoreKind.SQLITE).dataDir(dir).build();
        try (Embedded server = new Embedded(cfg, true)) {
            Embedded.Conn op = oper(server);
            op.send("DLINE ::ffff:0:0/96 :mapped", "DLINE 127.0.4.0/24 :range", "KLINE 1d ~bad@* :bad user");
            op.take();
        }
        try (Embedded server = new Embedded(cfg, true)) {
            assertThat(new ConnectionGate(server.hub()).tryEnter(InetAddress.getByName("127.0.4.4")))
                    .isEqualTo(ConnectionGate.Refusal.BANNED);
            Embedded.Conn op = oper(server);
            op.send("STATS k");
            assertThat(op.take()).filteredOn(m -> m.command().equals("216")).hasSize(1);
            Embedded.Conn bad = connect(server, "127.0.3.3");
            bad.send("NICK bad", "USER bad 0 * :bad");
            assertThat(bad.takeLines()).anyMatch(l -> l.contains("K-Lined: bad user"));
        }
    }
}
