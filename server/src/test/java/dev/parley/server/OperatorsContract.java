package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.ConfigFile;
import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** OPER, KILL, WALLOPS, REHASH, and the operator's vhost (chghost). */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class OperatorsContract extends EngineTestBase {
    OperatorsContract(EngineKind engine) {
        super(engine);
    }

    private static String hash;

    @BeforeAll
    static void hashOnce() {
        hash = PasswordHasher.hash("s3cret");
    }

    private ServerConfig.Builder withOper() {
        return config().operators(List.of(
                new ServerConfig.Operator("root", hash, List.of("*@127.0.0.1"), "staff.parley"),
                new ServerConfig.Operator("remote", hash, List.of("*@10.*"), null)));
    }

    @Test
    void operNeedsTheRightNameHostAndPassword() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        alice.send("OPER nobody s3cret");
        alice.expect("491");
        alice.send("OPER remote s3cret");
        alice.expect("491");
        alice.send("OPER root wrong");
        alice.expect("464");
        alice.send("OPER root s3cret");
        alice.expect("381");
        assertThat(alice.expect("MODE").params()).containsExactly("alice", "+o");
        alice.send("WHOIS alice");
        alice.expect("313");
        alice.send("MODE alice -o");
        assertThat(alice.expect("MODE").params()).containsExactly("alice", "-o");
    }

    @Test
    void operatorVhostIsAnnouncedWithChghost() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = joined(s, "alice", "#staff");
        TestClient watcher = fx.connect(s);
        watcher.send("CAP LS 302");
        watcher.send("CAP REQ chghost");
        watcher.send("NICK watcher");
        watcher.send("USER watcher 0 * :W");
        watcher.send("CAP END");
        watcher.send("JOIN #staff");
        watcher.expect("366");
        alice.send("OPER root s3cret");
        IrcMessage chg = watcher.expect("CHGHOST");
        assertThat(chg.source()).matches("alice!~alice@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        assertThat(chg.params()).containsExactly("~alice", "staff.parley");
    }

    @Test
    void killIsForOperatorsAndTellsThePeers() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = joined(s, "alice", "#k");
        TestClient bob = joined(s, "bob", "#k");
        bob.send("KILL alice :no");
        bob.expect("481");
        alice.send("OPER root s3cret");
        alice.expect("381");
        alice.send("KILL ghost :x");
        alice.expect("401");
        alice.send("KILL bob :spamming");
        IrcMessage kill = bob.expect("KILL");
        assertThat(kill.last()).isEqualTo("spamming");
        bob.expectClosed();
        IrcMessage quit = alice.expect("QUIT");
        assertThat(quit.last()).isEqualTo("Killed (alice (spamming))");
    }

    @Test
    void wallopsReachUsersWithModeW() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        TestClient listener = fx.register(s, "listener");
        TestClient deaf = fx.register(s, "deaf");
        listener.send("MODE listener +w");
        listener.expect("MODE");
        alice.send("WALLOPS :hello");
        alice.expect("481");
        alice.send("OPER root s3cret");
        alice.expect("381");
        alice.send("WALLOPS :maintenance at noon");
        IrcMessage w = listener.expect("WALLOPS");
        assertThat(w.last()).isEqualTo("maintenance at noon");
        assertThat(deaf.sync()).noneMatch(m -> m.command().equals("WALLOPS"));
    }

    @Test
    void rehashReloadsTheConfigFileWithoutDroppingAnyone(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        Path motd = dir.resolve("motd.txt");
        Files.writeString(motd, "first motd\n");
        Files.writeString(toml, """
                [server]
                motd-file = "motd.txt"
                [[operator]]
                name = "root"
                password-hash = "%s"
                hosts = ["*@127.0.0.1"]
                """.formatted(hash));
        ConfigSource source = ConfigFile.source(toml, config(), b -> b);
        ParleyServer s = fx.start(source);
        TestClient alice = fx.register(s, "alice");
        TestClient bob = joined(s, "bob", "#stay");
        alice.send("REHASH");
        alice.expect("481");
        alice.send("OPER root s3cret");
        alice.expect("381");
        Files.writeString(motd, "second motd\n");
        Files.writeString(toml, Files.readString(toml) + "[admin]\nemail = \"new@example.org\"\n");
        alice.send("REHASH");
        assertThat(alice.expect("382").param(1)).endsWith("parley.toml");
        alice.send("MOTD");
        assertThat(alice.expect("372").last()).isEqualTo("- second motd");
        alice.send("ADMIN");
        assertThat(alice.expect("259").last()).isEqualTo("new@example.org");
        Files.writeString(toml, "[limits]\nnick-length = \"long\"\n");
        alice.send("REHASH");
        alice.expect("382");
        assertThat(alice.expect("NOTICE").last()).contains("REHASH failed").contains("nick-length");
        alice.send("ADMIN");
        assertThat(alice.expect("259").last()).isEqualTo("new@example.org");
        bob.send("PRIVMSG #stay :still connected");
        assertThat(bob.sync()).isNotNull();
        assertThat(bob.isClosed()).isFalse();
    }

    @Test
    void rehashChangesTheConnectionLimitAndTheLoginThrottle(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        String operator = """
                [[operator]]
                name = "root"
                password-hash = "%s"
                hosts = ["*@127.0.0.1"]
                """.formatted(hash);
        Files.writeString(toml, "[limits]\nmax-connections = 2\n[accounts]\nlogin-attempts = 5\n" + operator);
        ParleyServer s = fx.start(ConfigFile.source(toml, config(), b -> b));
        TestClient alice = fx.register(s, "alice");
        alice.send("OPER root s3cret");
        alice.expect("381");
        TestClient bob = fx.register(s, "bob");
        TestClient refused = fx.connect(s);
        assertThat(refused.expect("ERROR").last()).contains("too many connections, try again later");
        refused.expectClosed();

        Files.writeString(toml, "[limits]\nmax-connections = 3\n[accounts]\nlogin-attempts = 1\n" + operator);
        alice.send("REHASH");
        alice.expect("382");
        assertThat(alice.sync()).extracting(IrcMessage::command).doesNotContain("NOTICE");
        TestClient carol = fx.register(s, "carol"); // the third place REHASH made
        assertThat(s.sessions().gate().connections()).isEqualTo(3);
        TestClient fourth = fx.connect(s);
        assertThat(fourth.expect("ERROR").last()).contains("too many connections, try again later");
        fourth.expectClosed();

        // login-attempts = 1 now: one wrong OPER password locks the address out
        bob.send("OPER root wrong");
        bob.expect("464");
        bob.send("OPER root s3cret");
        assertThat(bob.expect("NOTICE").last()).startsWith("OPER refused: too many failed attempts, try again in ");

        // lowered below those connected: nobody is dropped, newcomers wait until some leave
        Files.writeString(toml, "[limits]\nmax-connections = 1\n" + operator);
        alice.send("REHASH");
        alice.expect("382");
        TestClient late = fx.connect(s);
        assertThat(late.expect("ERROR").last()).contains("too many connections, try again later");
        late.expectClosed();
        carol.send("PRIVMSG alice :still here");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("still here");
    }

    @Test
    void rehashSaysWhichSettingsChangeOnlyOnRestart(@TempDir Path dir) throws Exception {
        Path toml = dir.resolve("parley.toml");
        String operator = """
                [[operator]]
                name = "root"
                password-hash = "%s"
                hosts = ["*@127.0.0.1"]
                """.formatted(hash);
        Files.writeString(toml, operator);
        ParleyServer s = fx.start(ConfigFile.source(toml, config(), b -> b));
        int whowas = s.hub().config().whowasSize();
        TestClient alice = fx.register(s, "alice");
        alice.send("OPER root s3cret");
        alice.expect("381");
        Files.writeString(toml, "[server]\nname = \"other.name\"\n[limits]\nwhowas = " + (whowas + 1)
                + "\nmax-connections = 77\n[accounts]\nhashing-queue = 5\n" + operator);
        alice.send("REHASH");
        alice.expect("382");
        assertThat(alice.expect("NOTICE").last()).isEqualTo("REHASH: these settings change only on restart, they keep"
                + " their running values: server.name, limits.whowas, accounts.hashing-queue");
        assertThat(s.hub().config().maxConnections()).isEqualTo(77);
        assertThat(s.hub().config().whowasSize()).isEqualTo(whowas);
        assertThat(s.hub().config().hashingQueue()).isEqualTo(config().build().hashingQueue());
    }

    @Test
    void operIsThrottledPerAddressAndSaysTryLaterWhenHashingIsFull() throws Exception {
        ParleyServer s = start(withOper().loginMaxFailures(2).hashingThreads(1).hashingQueue(1));
        TestClient alice = fx.register(s, "alice");
        try (FullHashing full = FullHashing.of(s.hub().hashing(), 1)) {
            alice.send("OPER root s3cret");
            assertThat(alice.expect("NOTICE").last()).isEqualTo("OPER failed: the server is busy, try again later");
        }
        alice.send("OPER root wrong");
        alice.expect("464");
        alice.send("OPER nobody wrong");
        alice.expect("491");
        alice.send("OPER root s3cret");
        assertThat(alice.expect("NOTICE").last()).startsWith("OPER refused: too many failed attempts, try again in ");
        alice.send("WHOIS alice");
        assertThat(alice.sync()).extracting(IrcMessage::command).doesNotContain("313", "381");
    }
}
