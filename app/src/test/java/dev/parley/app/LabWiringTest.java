package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LabWiringTest {
    @Test
    void parleyLabListsTheDemosAndRunsOne() {
        StringWriter out = new StringWriter();
        CommandLine cl = Parley.commandLine();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("lab")).isZero();
        assertThat(out.toString()).contains("race", "philosophers", "io-models");
        assertThat(cl.execute("lab", "race", "--threads", "2", "--increments", "100", "--json")).isZero();
        assertThat(out.toString()).contains("\"demo\" : \"race\"");
    }
}
