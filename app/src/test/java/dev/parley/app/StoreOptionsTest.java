package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --store} and its PostgreSQL options through the real parser: bad input is explained, and no password shows. */
class StoreOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** A loopback port nothing listens on. */
    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String logs(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    return "";
                }
            }).collect(Collectors.joining("\n"));
        }
    }

    @Test
    void anUnreachableDatabaseIsOneLineThatNeverShowsThePassword(@TempDir Path dir) throws Exception {
        int port = closedPort();
        int exit = run("server", "--port", "0", "--tls-port", "-1", "--data-dir", dir.toString(), "--no-console",
                "--log-dir", dir.resolve("logs").toString(),
                "--store", "postgresql://parley:s3cret-in-url@127.0.0.1:" + port + "/chat");
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley: cannot open the database postgresql://parley:****@127.0.0.1:"
                + port + "/chat: ").contains("refused").doesNotContain("\tat ", "Exception");
        String log = logs(dir.resolve("logs"));
        assertThat(log).contains("the store URL carries the database password", "postgresql://parley:****@127.0.0.1");
        assertThat(out + err.toString() + log).doesNotContain("s3cret-in-url");
    }

    @Test
    void aMissingPasswordFileIsExplained(@TempDir Path dir) throws Exception {
        int exit = run("server", "--port", "0", "--tls-port", "-1", "--data-dir", dir.toString(), "--no-console",
                "--store", "postgres://parley@127.0.0.1:" + closedPort() + "/chat",
                "--store-password-file", dir.resolve("nope").toString());
        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("parley: cannot read the store password file " + dir.resolve("nope"))
                .doesNotContain("\tat ");
    }

    @Test
    void aBadStoreIsAUsageError(@TempDir Path dir) {
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--store", "postgresql://parley:pw@db")).isEqualTo(2);
        assertThat(err.toString()).contains("the PostgreSQL store URL (--store) names no database").doesNotContain("pw@");
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--store", "oracle")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown store 'oracle' (choose sqlite, memory or a URL postgresql://");
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--store-pool-size", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("store connections (--store-pool-size)");
    }
}
