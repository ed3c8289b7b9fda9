package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The server's log, console and shutdown options, through the real parser. */
class ServerLogOptionsTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void helpListsTheLogConsoleAndShutdownOptions() {
        assertThat(run("server", "--help")).isZero();
        assertThat(out.toString()).contains("--log-dir", "--log-traffic", "--log-file-size", "--log-history",
                "--no-console", "--shutdown-grace", "operator commands");
    }

    @Test
    void badLogFileSizeIsAUsageError(@TempDir Path dir) {
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--log-file-size", "huge")).isEqualTo(2);
        assertThat(err.toString()).contains("--log-file-size must be a size like 500KB, 10MB or 1GB, not 'huge'");
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--log-file-size", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--log-file-size must be at least 1KB");
    }

    @Test
    void badLogHistoryAndGraceAreUsageErrors(@TempDir Path dir) {
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--log-history", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--log-history must be at least 1 day");
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--shutdown-grace", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--shutdown-grace must be a positive number of seconds");
    }

    @Test
    void unwritableLogDirectoryIsExplained(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("not-a-directory");
        Files.writeString(file, "x");
        assertThat(run("server", "--port", "0", "--data-dir", dir.toString(), "--log-dir", file.resolve("logs").toString()))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot write the event log in " + file.resolve("logs"));
    }
}
