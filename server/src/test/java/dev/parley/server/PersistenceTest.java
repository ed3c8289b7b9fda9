package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.store.SqlStore;
import dev.parley.server.store.TestPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Accounts, history and remembered hosts survive a restart on the same store: a SQLite file in
 * the data directory, or a PostgreSQL database ({@code --store postgresql://…}, the password in
 * a file).
 */
@ParameterizedClass
@EnumSource(value = ServerConfig.StoreKind.class, names = {"SQLITE", "POSTGRESQL"})
class PersistenceTest {
    private final ServerFixture fx = new ServerFixture();

    @Parameter
    ServerConfig.StoreKind kind;

    @TempDir
    Path dataDir;

    /** The PostgreSQL database of this test, or null on SQLite. */
    private TestPostgres.Database database;

    @BeforeEach
    void makeDatabase() {
        if (kind == ServerConfig.StoreKind.POSTGRESQL) {
            database = TestPostgres.newDatabase();
        }
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private ServerConfig config() throws IOException {
        ServerConfig.Builder b = ServerFixture.config(EngineKind.VIRTUAL).dataDir(dataDir);
        if (database == null) {
            return b.store(kind).build();
        }
        return b.store(database.urlText()).storePasswordFile(database.writePasswordFile(dataDir)).build();
    }

    /** The accounts the store holds, read from outside the server. */
    private List<String> storedAccounts() throws SQLException {
        List<String> names = new ArrayList<>();
        if (database == null) {
            try (SqlStore store = SqlStore.openSqlite(dataDir)) {
                names.addAll(store.accountNames());
            }
            return names;
        }
        try (Connection c = database.connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT name FROM accounts ORDER BY name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
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
        assertThat(Files.exists(dataDir.resolve(SqlStore.FILE_NAME))).as("a SQLite file only for a SQLite store")
                .isEqualTo(kind == ServerConfig.StoreKind.SQLITE);
        assertThat(storedAccounts()).containsExactly("alice", "witness");

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

    @Test
    void anAccountAndTheHistoryOfItsRegisteredChannelSurviveARestart() throws Exception {
        ParleyServer first = fx.start(config());
        TestClient alice = fx.register(first, "alice");
        alice.send("PRIVMSG NickServ :REGISTER wonderland");
        alice.expect("900");
        alice.send("JOIN #tea");
        alice.expect("366");
        alice.send("PRIVMSG ChanServ :REGISTER #tea");
        alice.expect(m -> m.command().equals("NOTICE") && m.last().contains("now registered"));
        alice.send("PRIVMSG #tea :the party is at six");
        alice.sync();
        alice.send("QUIT :later");
        alice.expectClosed();
        first.shutdown("restart");

        ParleyServer second = fx.start(config());
        TestClient back = fx.register(second, "alice");
        back.send("PRIVMSG NickServ :IDENTIFY wonderland");
        back.expect("900");
        back.send("JOIN #tea");
        assertThat(back.sync()).as("the channel's line, replayed on JOIN")
                .anyMatch(m -> m.last() != null && m.last().endsWith("the party is at six"));
        back.send("PRIVMSG NickServ :IDENTIFY wrong-password");
        assertThat(back.sync()).noneMatch(m -> m.command().equals("900"));
    }
}
