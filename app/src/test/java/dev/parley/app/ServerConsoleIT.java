package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.TestClient;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server driven through its console on a pipe, and stopped by signals. */
class ServerConsoleIT {

    @Test
    void operatorManagesTheServerFromTheConsole(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start("--engine", "nio", "--data-dir", dir.toString());
             TestClient alice = TestClient.register(server.port(), "alice");
             TestClient bob = TestClient.register(server.port(), "bob")) {
            int port = server.port();
            alice.send("JOIN #ops");
            alice.expect("366");
            bob.send("JOIN #ops");
            bob.expect("366");

            server.type("status");
            server.awaitLine(l -> l.matches("engine +nio"));
            server.awaitLine(l -> l.matches("paused +no"));
            server.awaitLine(l -> l.matches("users +2 registered"));

            server.type("pause");
            server.awaitLine(l -> l.startsWith("paused: port " + port + " released"));
            assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
            bob.send("PRIVMSG #ops :still chatting while paused");
            assertThat(alice.expect("PRIVMSG").last()).isEqualTo("still chatting while paused");
            server.type("status");
            server.awaitLine(l -> l.startsWith("paused") && l.contains("yes"));

            server.type("resume");
            server.awaitLine(l -> l.equals("resumed: listening on 127.0.0.1:" + port));
            try (TestClient carol = TestClient.register(port, "carol")) {
                server.type("announce Maintenance at noon");
                server.awaitLine(l -> l.equals("announced to 3 users"));
                for (TestClient c : List.of(alice, bob, carol)) {
                    assertThat(c.expect("NOTICE").last()).isEqualTo("Maintenance at noon");
                }

                server.type("kick carol enough for today");
                server.awaitLine(l -> l.startsWith("kicked carol"));
                assertThat(carol.expect("ERROR").last()).contains("Kicked by the server operator (enough for today)");
            }

            server.type("users");
            server.awaitLine(l -> l.equals("2 registered, 0 registering"));
            server.type("channels");
            server.awaitLine(l -> l.matches("#ops +2 +\\+nt"));
            server.type("frobnicate");
            server.awaitLine(l -> l.equals("error: unknown command 'frobnicate'; type 'help' for the list"));

            Path logFile = dir.resolve("logs").resolve("parley.log");
            server.type("logs 200");
            int shown = logHeader(server.awaitLine(l -> l.startsWith("--- last ")));
            List<String> tail = server.next(shown);
            assertThat(tail).anyMatch(l -> l.contains("listening on 127.0.0.1:" + port))
                    .anyMatch(l -> l.contains("registered 127.0.0.1 as alice"))
                    .anyMatch(l -> l.contains("paused: stopped listening"))
                    .anyMatch(l -> l.contains("resumed: listening on 127.0.0.1:" + port))
                    .anyMatch(l -> l.contains("operator kicked carol"))
                    .anyMatch(l -> l.contains("disconnected carol"));
            assertThat(Files.readAllLines(logFile)).containsAll(tail);

            server.type("clear-logs");
            server.awaitLine(l -> l.startsWith("log files cleared"));
            server.type("logs 200");
            shown = logHeader(server.awaitLine(l -> l.startsWith("--- last ")));
            assertThat(server.next(shown)).anyMatch(l -> l.contains("operator cleared the log files"))
                    .noneMatch(l -> l.contains("registered 127.0.0.1 as alice"));

            server.type("shutdown Back in five minutes");
            assertThat(alice.expect("ERROR").last()).contains("Back in five minutes");
            assertThat(bob.expect("ERROR").last()).contains("Back in five minutes");
            assertThat(server.awaitExit()).isZero();
            assertThat(Files.readString(logFile)).contains("operator asked for shutdown: Back in five minutes")
                    .contains("server stopped")
                    .doesNotContain("registered 127.0.0.1 as alice");
        }
    }

    @Test
    void sigtermShutsDownLikeTheConsoleAndEndOfInputDoesNotStopTheServer(@TempDir Path dir) throws Exception {
        Path logs = dir.resolve("elsewhere");
        try (ServerProcess server = ServerProcess.start("--engine", "threads", "--data-dir", dir.toString(),
                "--log-dir", logs.toString(), "--log-traffic")) {
            server.closeInput();
            server.awaitLine(l -> l.contains("console input ended; the server keeps running"));
            try (TestClient alice = TestClient.connect(server.port())) {
                alice.send("PASS hunter2");
                alice.send("NICK alice");
                alice.send("USER alice 0 * :Alice");
                alice.expect(m -> m.command().equals("376") || m.command().equals("422"));
                alice.send("PRIVMSG NickServ :IDENTIFY letmein");
                assertThat(alice.expect("NOTICE").last()).isEqualTo("Invalid account or password.");

                server.process().destroy(); // SIGTERM
                IrcMessage error = alice.expect("ERROR");
                assertThat(error.last()).contains("Server shutting down");
                assertThat(server.awaitExit()).isZero();
            }
            String log = Files.readString(logs.resolve("parley.log"));
            assertThat(log).contains("SIGTERM: shutting down gracefully", "server stopped")
                    .contains("<- PASS <redacted>", "<- NICK alice", "-> :parley.local 001 alice",
                            "<- PRIVMSG NickServ <redacted>", "-> ERROR :Closing Link")
                    .doesNotContain("hunter2")
                    .doesNotContain("letmein");
            assertThat(dir.resolve("logs")).doesNotExist();
        }
    }

    @Test
    void aSecondSignalForcesTheExitWhileClientsAreStillBeingWaitedFor(@TempDir Path dir) throws Exception {
        try (ServerProcess server = ServerProcess.start("--data-dir", dir.toString(), "--shutdown-grace", "600");
             TestClient alice = TestClient.register(server.port(), "alice")) {
            server.signal("TERM");
            assertThat(alice.expect("ERROR").last()).contains("Server shutting down");
            // alice keeps her socket open, so the graceful shutdown would wait for her up to the grace period
            server.awaitLine(l -> l.contains("SIGTERM: shutting down gracefully"));
            server.signal("INT");
            assertThat(server.awaitExit()).isEqualTo(130);
            assertThat(Files.readString(dir.resolve("logs").resolve("parley.log"))).contains("SIGINT again: forcing the exit");
        }
    }

    private static int logHeader(String header) {
        return Integer.parseInt(header.split(" ")[2]);
    }
}
