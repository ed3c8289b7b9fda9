package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.Setting;
import dev.parley.server.config.Settings;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine;

/** The options of {@code parley server} are exactly the settings of {@link Settings}, and start at the builder's defaults. */
class SettingsCliTest {
    private final CommandLine server = Parley.commandLine().getSubcommands().get("server");

    private List<OptionSpec> settingOptions() {
        return server.getCommandSpec().options().stream()
                .filter(o -> !o.usageHelp() && !o.versionHelp()).toList();
    }

    @Test
    void everyServerOptionIsExactlyOneSetting() {
        for (OptionSpec o : settingOptions()) {
            List<Setting> matching = Settings.ALL.stream()
                    .filter(s -> s.options().equals(Arrays.asList(o.names()))).toList();
            assertThat(matching).as("settings for option %s", o.longestName()).hasSize(1);
            Setting s = matching.get(0);
            String help = s.defaultValue() == null ? s.help() : s.help().replace("${DEFAULT-VALUE}", s.defaultValue());
            assertThat(o.description()).containsExactly(help);
            if (s.label() != null) {
                assertThat(o.paramLabel()).isEqualTo(s.label());
            }
            if (s.type() != Setting.Type.BOOL) {
                assertThat(o.defaultValue()).as("default of %s", o.longestName()).isEqualTo(s.defaultValue());
            }
        }
        long withOptions = Settings.ALL.stream().filter(s -> !s.options().isEmpty()).count();
        assertThat(settingOptions()).hasSize((int) withOptions);
    }

    @Test
    void withoutOptionsTheServerGetsTheBuildersDefaults() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs();
        assertThat(cmd.configSource().initial()).isEqualTo(ServerConfig.builder().version(Version.get()).build());
    }

    @Test
    void badSecondsAndDaysAreUsageErrorsNamingTheOption() {
        java.io.StringWriter err = new java.io.StringWriter();
        CommandLine cl = Parley.commandLine();
        cl.setErr(new java.io.PrintWriter(err, true));
        assertThat(cl.execute("server", "--port", "0", "--ping-timeout", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--ping-timeout must be a positive number of seconds");
        assertThat(cl.execute("server", "--port", "0", "--history-max-age", "-1")).isEqualTo(2);
        assertThat(err.toString()).contains("--history-max-age must be 0 or more days");
    }
}
