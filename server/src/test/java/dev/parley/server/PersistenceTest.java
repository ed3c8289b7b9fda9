package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.store.SqlStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Accounts, history and remembered hosts survive a restart on the same data directory. */
class PersistenceTest {
    private final ServerFixture fx = new ServerFixture();

    @TempDir
    Path dataDir;

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ServerConfig config() {
        return ServerFixture.config(EngineKind.VIRTUAL).store(ServerConfig.StoreKind.SQLITE).dataDir(dataDir).build();
    }

    @Test
    void accountsPrivateHistoryAndHostsSurviveARestartButChannelHistoryDoesNot() throws Exception {
        ParleyServer first = fx.start(config());
        TestClient alice = fx.register(first, "alice");
        alice.send("PRIVMSG NickServ :REGISTER wonderland");
        alice.expect("900");
        alice.send("JOIN #diary");
        alice.expect("366");
        TestClient witness = fx.register(first, "witness");
        witness.send("CAP REQ :server-time");
        witness.send("PRIVMSG NickServ :REGISTER looking-glass");
        witness.expect("900");
        List<String> times = new ArrayList<>();
        alice.send("PRIVMSG #diary :a channel line");
        for (int i = 1; i <= 5; i++) {
            alice.send("PRIVMSG witness :entry " + i);
        }
        for (int i = 1; i <= 5; i++) {
            times.add(witness.expect("PRIVMSG").tags().get("time"));
        }
        alice.send("QUIT :see you tomorrow");
        alice.expectClosed();
        first.shutdown("restart");
        assertThat(Files.exists(dataDir.resolve(SqlStore.FILE_NAME))).isTrue();

        ParleyServer second = fx.start(config());
        TestClient back = fx.connect(second);
        back.send("CAP LS 302");
        back.send("CAP REQ :batch server-time message-tags");
        back.send("NICK alice");
        back.send("USER alice 0 * :Alice");
        back.send("CAP END");
        IrcMessage hello = back.expect(m -> m.command().equals("NOTICE") && m.last().startsWith("Welcome back"));
        assertThat(hello.last()).contains("alice");
        back.send("PRIVMSG NickServ :IDENTIFY wonderland");
        back.expect("900");
        back.send("CHATHISTORY LATEST witness * 10");
        IrcMessage start = back.expect("BATCH");
        assertThat(start.param(1)).isEqualTo("chathistory");
        for (int i = 1; i <= 5; i++) {
            IrcMessage line = back.next();
            assertThat(line.last()).isEqualTo("entry " + i);
            assertThat(line.tags().get("time")).isEqualTo(times.get(i - 1));
        }
        assertThat(back.expect("BATCH").param(0)).startsWith("-");

        back.send("JOIN #diary");
        back.send("CHATHISTORY LATEST #diary * 10");
        List<IrcMessage> after = back.sync();
        assertThat(after).as("the channel of the earlier run, and its history, are gone")
                .noneMatch(m -> m.command().equals("PRIVMSG"));
    }

    @Test
    void readMarkersOfAnAccountSurviveARestart() throws Exception {
        ParleyServer first = fx.start(config());
        TestClient alice = fx.register(first, "alice");
        alice.send("PRIVMSG NickServ :REGISTER wonderland");
        alice.expect("900");
        alice.send("MARKREAD #diary timestamp=2024-03-01T10:00:00.000Z");
        alice.expect("MARKREAD");
        alice.send("MARKREAD witness timestamp=2024-03-02T11:00:00.500Z");
        alice.expect("MARKREAD");
        alice.send("QUIT :see you tomorrow");
        alice.expectClosed();
        first.shutdown("restart");

        ParleyServer second = fx.start(config());
        TestClient back = fx.connect(second);
        back.send("CAP LS 302");
        back.send("CAP REQ :draft/read-marker");
        back.send("NICK alice");
        back.send("USER alice 0 * :Alice");
        back.send("CAP END");
        back.expect(m -> m.command().equals("376") || m.command().equals("422"));
        back.send("PRIVMSG NickServ :IDENTIFY wonderland");
        back.expect("900");
        back.send("MARKREAD witness");
        assertThat(back.expect("MARKREAD").params()).containsExactly("witness", "timestamp=2024-03-02T11:00:00.500Z");
        back.send("JOIN #diary");
        assertThat(back.expect("MARKREAD").params()).containsExactly("#diary", "timestamp=2024-03-01T10:00:00.000Z");
    }
}
