package dev.parley.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.core.util.FileSize;
import dev.parley.app.EventLog;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's commands against a real server in this JVM (no process, no pipe). */
class OperatorConsoleTest {
    private final ServerFixture fx = new ServerFixture();
    private final List<String> shutdownRequests = new ArrayList<>();
    @TempDir
    Path logDir;
    private EventLog eventLog;
    private ParleyServer server;
    private OperatorConsole console;

    @BeforeEach
    void start() throws IOException {
        eventLog = EventLog.start(logDir, FileSize.valueOf("10MB"), 7, false);
        server = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        console = new OperatorConsole(server, eventLog, reason -> {
            shutdownRequests.add(reason);
            return shutdownRequests.size() == 1;
        });
    }

    @AfterEach
    void stop() {
        console.close();
        fx.close();
        eventLog.close();
    }

    @Test
    void helpListsEveryCommand() {
        String help = console.execute("help");
        for (String name : ConsoleCommand.names()) {
            assertThat(help).contains("\n  " + name);
        }
    }

    @Test
    void statusShowsWhatAnOperatorNeeds() throws IOException {
        TestClient alice = fx.register(server, "alice");
        alice.send("JOIN #ops");
        alice.expect("366");
        String status = console.execute("status");
        assertThat(status)
                .containsPattern("(?m)^uptime +\\d+s \\(since ")
                .containsPattern("(?m)^engine +virtual$")
                .containsPattern("(?m)^address +127\\.0\\.0\\.1:" + server.port() + "$")
                .containsPattern("(?m)^paused +no$")
                .containsPattern("(?m)^connections +1$")
                .containsPattern("(?m)^users +1 registered$")
                .containsPattern("(?m)^channels +1$")
                .containsPattern("(?m)^messages +\\d+\\.\\d/s in, \\d+\\.\\d/s out \\(last \\d+ s\\); [1-9]\\d* in, [1-9]\\d* out in all$")
                .containsPattern("(?m)^sendq +\\d+ B queued in all")
                .containsPattern("(?m)^heap +[\\d.]+ (B|KiB|MiB|GiB) used of ")
                .containsPattern("(?m)^deadlock +none$");
    }

    @Test
    void pauseRefusesNewcomersWhileUsersChatAndResumeListensOnTheSamePort() throws IOException {
        int port = server.port();
        TestClient alice = fx.register(server, "alice");
        TestClient bob = fx.register(server, "bob");
        assertThat(console.execute("pause")).startsWith("paused: port " + port + " released");
        assertThat(console.execute("status")).containsPattern("(?m)^paused +yes");
        assertThat(console.execute("pause")).isEqualTo("already paused");
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
        bob.send("PRIVMSG alice :paused but here");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("paused but here");

        assertThat(console.execute("resume")).isEqualTo("resumed: listening on 127.0.0.1:" + port);
        assertThat(console.execute("resume")).isEqualTo("not paused");
        fx.register(server, "carol");
        assertThat(logged()).contains("operator paused the server", "operator resumed the server", "paused: stopped listening");
    }

    @Test
    void kickDisconnectsTheUserWithTheReasonAndPeersSeeIt() throws IOException {
        TestClient alice = fx.register(server, "alice");
        TestClient bob = fx.register(server, "bob");
        alice.send("JOIN #k");
        alice.expect("366");
        bob.send("JOIN #k");
        bob.expect("366");
        assertThat(console.execute("kick bob flooding")).isEqualTo("kicked bob (Kicked by the server operator (flooding))");
        assertThat(bob.expect("ERROR").last()).contains("Kicked by the server operator (flooding)");
        assertThat(alice.expect("QUIT").last()).isEqualTo("Kicked by the server operator (flooding)");
        assertThat(console.execute("kick bob")).isEqualTo("error: nobody is using the nick 'bob'");
        assertThat(logged()).contains("operator kicked bob");
    }

    @Test
    void banDisconnectsAMatchingUserListsAndUnbanLiftsIt() throws IOException {
        TestClient alice = fx.register(server, "alice");
        TestClient bob = fx.register(server, "bob");
        alice.send("JOIN #k");
        alice.expect("366");
        bob.send("JOIN #k");
        bob.expect("366");
        assertThat(console.execute("ban 1h ~bob@127.0.0.1 flooding")).startsWith("K-line on ~bob@127.0.0.1 set until ")
                .endsWith("; 1 user(s) disconnected");
        assertThat(bob.expect("ERROR").last()).contains("K-Lined: flooding");
        assertThat(alice.expect("QUIT").last()).isEqualTo("K-Lined");
        assertThat(console.execute("ban 203.0.113.0/24 a bad network")).startsWith("D-line on 203.0.113.0/24 set permanently");
        assertThat(console.execute("bans")).contains("K-line ~bob@127.0.0.1: flooding (by console, until ")
                .contains("D-line 203.0.113.0/24: a bad network (by console, permanent)");
        assertThat(console.execute("unban ~bob@127.0.0.1")).isEqualTo("K-line on ~bob@127.0.0.1 removed");
        assertThat(console.execute("unban ~bob@127.0.0.1")).isEqualTo("error: no K-line on ~bob@127.0.0.1");
        fx.register(server, "bob");
        assertThat(logged()).contains("operator set a K-line on ~bob@127.0.0.1");
    }

    @Test
    void announceReachesEveryRegisteredUser() throws IOException {
        TestClient alice = fx.register(server, "alice");
        TestClient bob = fx.register(server, "bob");
        assertThat(console.execute("announce Restart at 10:00 UTC")).isEqualTo("announced to 2 users");
        for (TestClient c : List.of(alice, bob)) {
            var notice = c.expect("NOTICE");
            assertThat(notice.source()).isEqualTo("irc.test");
            assertThat(notice.param(0)).isEqualTo(c.nick());
            assertThat(notice.last()).isEqualTo("Restart at 10:00 UTC");
        }
        assertThat(logged()).contains("operator announced to 2 users: Restart at 10:00 UTC");
    }

    @Test
    void usersAndChannelsAreListed() throws IOException {
        assertThat(console.execute("users")).isEqualTo("no users connected");
        assertThat(console.execute("channels")).isEqualTo("no channels");
        TestClient zed = fx.register(server, "zed");
        TestClient amy = fx.register(server, "amy");
        fx.connect(server).send("NICK halfway");
        zed.send("JOIN #b");
        zed.expect("366");
        zed.send("TOPIC #b :all about b");
        zed.expect("TOPIC");
        amy.send("JOIN #a");
        amy.expect("366");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.hub().findNick("halfway") != null);

        List<String> users = console.execute("users").lines().toList();
        assertThat(users.get(0)).startsWith("nick").contains("user@host", "account", "channels", "idle", "sendq");
        assertThat(users.get(1)).startsWith("amy ").contains("~amy@127.0.0.1");
        assertThat(users.get(2)).startsWith("zed ");
        assertThat(users.get(3)).startsWith("halfway (registering)");
        assertThat(users.get(4)).isEqualTo("2 registered, 1 registering");
        assertThat(console.execute("users 1").lines().toList())
                .hasSize(3).last().asString().endsWith("; 2 more not shown (users N shows more)");

        List<String> channels = console.execute("channels").lines().toList();
        assertThat(channels.get(0)).startsWith("channel").contains("members", "modes", "topic");
        assertThat(channels.get(1)).matches("#a +1 +\\+nt");
        assertThat(channels.get(2)).matches("#b +1 +\\+nt +all about b");
        assertThat(channels.get(3)).isEqualTo("2 channels");
    }

    @Test
    void clearIdentitiesForgetsRememberedHosts() throws IOException {
        fx.register(server, "alice").send("QUIT :bye");
        await().atMost(Duration.ofSeconds(20)).until(() -> server.hub().hostMemory().size() == 1);
        assertThat(console.execute("clear-identities")).isEqualTo("forgot 1 remembered hosts");
        assertThat(server.hub().hostMemory().size()).isZero();
        assertThat(logged()).contains("forgot 1 remembered hosts");
    }

    @Test
    void logsShowsTheLastLinesAndClearLogsEmptiesTheFiles() throws IOException {
        for (int i = 1; i <= 5; i++) {
            console.execute("announce number " + i);
        }
        List<String> last = console.execute("logs 2").lines().toList();
        assertThat(last).hasSize(3);
        assertThat(last.get(0)).isEqualTo("--- last 2 lines of " + eventLog.file() + " ---");
        assertThat(last.get(1)).endsWith("operator announced to 0 users: number 4");
        assertThat(last.get(2)).endsWith("operator announced to 0 users: number 5");
        assertThat(console.execute("logs")).contains("number 1", "number 5");

        Files.writeString(logDir.resolve("parley.2020-01-01.0.log.gz"), "old");
        assertThat(console.execute("clear-logs")).endsWith("emptied, 1 rolled files deleted");
        assertThat(logDir.resolve("parley.2020-01-01.0.log.gz")).doesNotExist();
        List<String> after = console.execute("logs 100").lines().toList();
        assertThat(after).hasSize(2);
        assertThat(after.get(0)).startsWith("--- last 1 line of ");
        assertThat(after.get(1)).contains("operator cleared the log files");
        console.execute("announce after clearing");
        assertThat(console.execute("logs 100").lines()).hasSize(3);
        assertThat(Files.readString(eventLog.file())).doesNotContain("number 1").contains("after clearing");
    }

    @Test
    void shutdownAsksOnceWithTheReason() {
        assertThat(console.execute("shutdown")).isEqualTo("shutting down: Server shutting down");
        assertThat(console.execute("shutdown Going for maintenance")).isEqualTo("already shutting down");
        assertThat(shutdownRequests).containsExactly("Server shutting down", "Going for maintenance");
    }

    @Test
    void mistakesGetOneLine() {
        assertThat(console.execute("reboot")).isEqualTo("error: unknown command 'reboot'; type 'help' for the list");
        assertThat(console.execute("logs many")).isEqualTo("error: logs takes one number from 1 to 10000, not 'many'");
        assertThat(console.execute("")).isEmpty();
    }

    private String logged() throws IOException {
        return Files.readString(eventLog.file());
    }
}
