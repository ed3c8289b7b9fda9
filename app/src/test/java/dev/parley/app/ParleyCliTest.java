package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ParleyCliTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void aloneItPrintsUsageListingTheCommands() {
        assertThat(run()).isZero();
        assertThat(out.toString()).contains("Usage: parley").contains("server");
    }

    @Test
    void versionNamesParley() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Parley ");
    }

    @Test
    void unknownEngineIsAUsageError() {
        assertThat(run("server", "--engine", "fibers")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown engine 'fibers'");
    }

    @Test
    void badPortIsExplained() {
        assertThat(run("server", "--port", "99999")).isEqualTo(2);
        assertThat(err.toString()).contains("port must be between 0 and 65535");
    }

    @Test
    void unreadableMotdIsExplained() {
        assertThat(run("server", "--port", "0", "--motd-file", "/nonexistent/motd.txt")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read MOTD file");
    }

    @Test
    void serverHelpListsItsOptions() {
        assertThat(run("server", "--help")).isZero();
        assertThat(out.toString()).contains("--engine", "--port", "--data-dir", "--motd-file", "--sendq");
    }
}
