package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --udp} on the command line: what does not fit gets one clear line and exit code 2. */
class UdpOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = new CommandLine(new ChatCommand(new ByteArrayInputStream(new byte[0]), () -> false, k -> null));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheUdpOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--udp=HOST:PORT", "--udp-max-datagram");
    }

    @Test
    void ircOnlyOptionsAreRefused() {
        assertThat(run("--udp", "127.0.0.1:7000", "--nick", "a", "--tls")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parley chat: --tls does not work with --udp");
        err.getBuffer().setLength(0);
        assertThat(run("--udp", "127.0.0.1:7000", "--nick", "a", "--join", "#x", "--account", "me")).isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("parley chat: --account, --join do not work with --udp");
    }

    @Test
    void theAddressGoesInTheOptionAndNeedsAPort() {
        assertThat(run("127.0.0.1:6667", "--udp", "127.0.0.1:7000", "--nick", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("--udp takes the server address itself; leave out '127.0.0.1:6667'");
        assertThat(run("--udp", "127.0.0.1", "--nick", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("--udp needs HOST:PORT with the port of the server's UDP door, not '127.0.0.1'");
        assertThat(run("--udp", "::1", "--nick", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("not '::1'");
        assertThat(run("--udp", "[::1]:0", "--nick", "a")).isEqualTo(2);
        assertThat(err.toString()).contains("port must be between 1 and 65535, not 0");
    }

    @Test
    void badNickAndLimitsAreExplained() {
        assertThat(run("--udp", "127.0.0.1:7000", "--nick", "1abc")).isEqualTo(2);
        assertThat(err.toString()).contains("'1abc' is not a valid nick");
        assertThat(run("--udp", "127.0.0.1:7000", "--nick", "a", "--udp-max-datagram", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--udp-max-datagram must be between 128 and 65507 bytes, not 10");
        assertThat(run("--udp", "127.0.0.1:7000", "--nick", "a", "--ping-interval", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--ping-interval must be a number of seconds above 0");
    }

    @Test
    void theDatagramLimitNeedsUdp() {
        assertThat(run("127.0.0.1", "--nick", "a", "--udp-max-datagram", "600")).isEqualTo(2);
        assertThat(err.toString()).contains("--udp-max-datagram needs --udp");
    }
}
