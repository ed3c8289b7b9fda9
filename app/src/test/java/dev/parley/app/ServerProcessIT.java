package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.TestClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar as a user would and talks to it over loopback. */
class ServerProcessIT {
    private static final Pattern READY = Pattern.compile("^Parley (\\S+) listening on 127\\.0\\.0\\.1:(\\d+) \\(engine (\\w+)\\)$");

    @Test
    void packagedServerAnnouncesItselfChatsAndStopsGracefullyOnSigterm(@TempDir Path dir) throws Exception {
        Path jar = Path.of("target", "parley.jar").toAbsolutePath();
        assertThat(jar).exists();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path motd = dir.resolve("motd.txt");
        Files.writeString(motd, "hello from the process test\n");
        Process p = new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED", "-jar", jar.toString(),
                "server", "--host", "127.0.0.1", "--port", "0", "--engine", "threads", "--data-dir", dir.toString()))
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher ready = null;
            String line;
            StringBuilder seen = new StringBuilder();
            while ((line = r.readLine()) != null) {
                seen.append(line).append('\n');
                Matcher m = READY.matcher(line);
                if (m.matches()) {
                    ready = m;
                    break;
                }
            }
            assertThat(ready).as("ready line in:\n%s", seen).isNotNull();
            assertThat(ready.group(3)).isEqualTo("threads");
            int port = Integer.parseInt(ready.group(2));
            Thread drain = new Thread(() -> r.lines().forEach(l -> { }));
            drain.setDaemon(true);
            drain.start();

            try (TestClient alice = TestClient.connect(port); TestClient bob = TestClient.connect(port)) {
                alice.send("NICK alice");
                alice.send("USER alice 0 * :Alice");
                assertThat(alice.expect("372").last()).isEqualTo("- hello from the process test");
                bob.send("NICK bob");
                bob.send("USER bob 0 * :Bob");
                bob.expect("376");
                alice.send("JOIN #it");
                alice.expect("366");
                bob.send("JOIN #it");
                bob.expect("366");
                bob.send("PRIVMSG #it :over the wire");
                IrcMessage m = alice.expect("PRIVMSG");
                assertThat(m.last()).isEqualTo("over the wire");

                p.destroy(); // SIGTERM
                assertThat(alice.expect("ERROR").last()).contains("Server shutting down");
                assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).isZero();
            }
        } finally {
            p.destroyForcibly();
        }
    }
}
