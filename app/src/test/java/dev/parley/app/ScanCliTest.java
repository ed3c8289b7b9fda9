package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code parley scan} reached through the root command. */
class ScanCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void rootUsageListsScan() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("scan");
    }

    @Test
    void scanFindsALocalListener() throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = listener.getLocalPort();

            int code = run("scan", "127.0.0.1", "-p", String.valueOf(port), "--timeout", "10000", "--no-progress");

            assertThat(code).isZero();
            assertThat(out.toString()).startsWith("Port " + port + " open").contains("1 open, 0 closed, 0 filtered");
        }
    }

    @Test
    void badPortIsAOneLineUsageError() {
        assertThat(run("scan", "-p", "70000", "127.0.0.1")).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("parley scan: port 70000 out of range 1-65535" + System.lineSeparator());
    }
}
