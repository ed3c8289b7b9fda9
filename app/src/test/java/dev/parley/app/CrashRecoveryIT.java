package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server is killed with SIGKILL while clients register accounts and chat, then restarted
 * on the same data directory: every acknowledged account is there, the database opens, and the
 * history that survived is an in-order prefix of what was sent (what was lost is at most what
 * was still queued for the writer).
 */
class CrashRecoveryIT {
    private static final Pattern READY = Pattern.compile("^Parley \\S+ listening on 127\\.0\\.0\\.1:(\\d+) .*$");

    private static Process start(Path dataDir) throws Exception {
        Path jar = Path.of("target", "parley.jar").toAbsolutePath();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "server", "--host", "127.0.0.1", "--port", "0", "--data-dir", dataDir.toString(), "--trusted", "127.0.0.0/8",
                "--engine", "nio", "--accounts-per-address", "1000"))
                .redirectErrorStream(true)
                .start();
    }

    private static int awaitPort(Process p) throws Exception {
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = r.readLine()) != null) {
            Matcher m = READY.matcher(line);
            if (m.matches()) {
                Thread drain = new Thread(() -> r.lines().forEach(l -> { }));
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("server exited before it was ready");
    }

    @Test
    void acknowledgedAccountsSurviveSigkillAndHistoryIsAnOrderedPrefix(@TempDir Path dataDir) throws Exception {
        int accounts = 5;
        int messages = 200;
        Process p = start(dataDir);
        try {
            int port = awaitPort(p);
            for (int i = 0; i < accounts; i++) {
                try (TestClient c = TestClient.register(port, "user" + i)) {
                    c.send("PRIVMSG NickServ :REGISTER password-" + i);
                    c.expect("900"); // acknowledged
                }
            }
            try (TestClient talker = TestClient.register(port, "talker"); TestClient witness = TestClient.register(port, "witness")) {
                talker.send("PRIVMSG NickServ :REGISTER talker-password");
                talker.expect("900");
                witness.send("PRIVMSG NickServ :REGISTER witness-password");
                witness.expect("900");
                for (int i = 0; i < messages; i++) {
                    talker.send("PRIVMSG witness :m" + i); // a private conversation: its history outlives the process
                }
                for (int i = 0; i < messages; i++) {
                    witness.expect("PRIVMSG");
                }
                p.destroyForcibly(); // SIGKILL
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            p.destroyForcibly();
        }

        Process again = start(dataDir);
        try {
            int port = awaitPort(again);
            for (int i = 0; i < accounts; i++) {
                try (TestClient c = TestClient.register(port, "again" + i)) {
                    c.send("PRIVMSG NickServ :IDENTIFY user" + i + " password-" + i);
                    assertThat(c.expect("900").param(2)).isEqualTo("user" + i);
                }
            }
            try (TestClient reader = TestClient.register(port, "reader")) {
                reader.send("CAP REQ :batch server-time message-tags");
                reader.send("PRIVMSG NickServ :IDENTIFY witness witness-password");
                reader.expect("900");
                // page by page from the start (a page holds at most 100): m0, m1, … with no gap
                List<String> replayed = new ArrayList<>();
                String after = "timestamp=1970-01-01T00:00:00.000Z";
                while (true) {
                    reader.send("CHATHISTORY AFTER talker " + after + " 100");
                    List<IrcMessage> page = reader.sync().stream()
                            .filter(x -> x.command().equals("PRIVMSG") && x.source() != null && x.source().startsWith("talker!"))
                            .toList();
                    page.forEach(x -> replayed.add(x.last()));
                    if (page.size() < 100) {
                        break;
                    }
                    after = "msgid=" + page.get(page.size() - 1).tags().get("msgid");
                }
                for (int i = 0; i < replayed.size(); i++) {
                    assertThat(replayed.get(i)).isEqualTo("m" + i);
                }
                assertThat(replayed.size()).isLessThanOrEqualTo(messages);
            }
        } finally {
            again.destroy();
            again.waitFor(20, TimeUnit.SECONDS);
        }
    }
}
