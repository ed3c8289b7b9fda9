package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line: bad input gets one clear line and exit code 2. */
class ChatCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(Map<String, String> env, String... args) {
        CommandLine cl = new CommandLine(new ChatCommand(new ByteArrayInputStream(new byte[0]), () -> false, env::get));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run(Map.of(), "--help")).isZero();
        assertThat(out.toString()).contains("HOST[:PORT]", "--nick", "--join", "--account", "--password-env",
                "--password-file", "--nickserv-fallback", "--tls", "--reconnect-attempts");
    }

    @Test
    void badPortIsAUsageError() {
        assertThat(run(Map.of(), "127.0.0.1:99999", "--nick", "a")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parley chat: port must be between 1 and 65535, not 99999");
    }

    @Test
    void badNickIsAUsageError() {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "1abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'1abc' is not a valid nick");
    }

    @Test
    void missingPasswordVariableIsExplained() {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--account", "a", "--password-env", "NOPE")).isEqualTo(2);
        assertThat(err.toString()).contains("environment variable NOPE is not set");
    }

    @Test
    void accountWithoutPasswordNeedsATerminal() {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--account", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("--account needs --password-env or --password-file");
    }

    @Test
    void nickServFallbackNeedsAnAccount() {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--nickserv-fallback")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parley chat: --nickserv-fallback needs --account");
    }

    @Test
    void unreadablePasswordFileIsExplained(@TempDir Path dir) throws Exception {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--account", "a", "--password-file",
                dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("cannot read password file");
        Path empty = Files.writeString(dir.resolve("empty"), "");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--account", "a", "--password-file", empty.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("is empty");
    }

    @Test
    void badChannelAndTimingOptionsAreExplained() {
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--join", "#a b")).isEqualTo(2);
        assertThat(err.toString()).contains("is not a channel name");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--reconnect-delay", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--reconnect-delay must be a number of seconds above 0");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls-insecure")).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-insecure needs --tls");
    }

    @Test
    void tlsOptionsAreChecked(@TempDir Path dir) throws Exception {
        String pin = "ab".repeat(32);
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls-fingerprint", pin)).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-fingerprint needs --tls");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls", "--tls-fingerprint", pin, "--tls-insecure")).isEqualTo(2);
        assertThat(err.toString()).contains("give --tls-fingerprint or --tls-insecure, not both");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls", "--tls-fingerprint", "abc")).isEqualTo(2);
        assertThat(err.toString()).contains("--tls-fingerprint must be a SHA-256 fingerprint");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls", "--client-key", "k.pem")).isEqualTo(2);
        assertThat(err.toString()).contains("--client-key needs --client-cert");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls", "--client-cert",
                dir.resolve("missing.pem").toString())).isEqualTo(2);
        assertThat(err.toString()).contains("--client-cert " + dir.resolve("missing.pem") + " does not exist");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--tls", "--sasl", "external")).isEqualTo(2);
        assertThat(err.toString()).contains("--sasl external needs --tls and --client-cert");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--sasl", "scram")).isEqualTo(2);
        assertThat(err.toString()).contains("--sasl must be plain or external");
        assertThat(run(Map.of(), "127.0.0.1", "--nick", "a", "--sasl", "plain")).isEqualTo(2);
        assertThat(err.toString()).contains("--sasl plain needs --account");
    }
}
