package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code parley.example.toml} and the README's option tables are made from {@link Settings}.
 * When one is out of date, regenerate both with
 * {@code mvn -o -q -pl protocol,server -am test -Dtest=SettingsDocsTest -Dsurefire.failIfNoSpecifiedTests=false -Dparley.regenerate=true}.
 */
class SettingsDocsTest {
    private static final Path EXAMPLE = Path.of("..", "parley.example.toml");
    private static final Path README = Path.of("..", "README.md");
    private static final String REGENERATE = "out of date with dev.parley.server.config.Settings; regenerate with:"
            + " mvn -o -q -pl protocol,server -am test -Dtest=SettingsDocsTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dparley.regenerate=true";
    private static final boolean WRITE = Boolean.getBoolean("parley.regenerate");

    @Test
    void theExampleFileIsMadeFromTheSettings() throws Exception {
        String made = SettingsDocs.exampleToml();
        if (WRITE) {
            Files.writeString(EXAMPLE, made);
        }
        assertThat(Files.readString(EXAMPLE)).as("parley.example.toml is " + REGENERATE).isEqualTo(made);
    }

    @Test
    void theReadmeTablesAreMadeFromTheSettings() throws Exception {
        String readme = Files.readString(README);
        for (Setting.Doc doc : List.of(Setting.Doc.OPTIONS, Setting.Doc.LOG, Setting.Doc.UDP, Setting.Doc.CLUSTER)) {
            assertThat(readme).as("README.md has a table of %s settings", doc)
                    .contains("<!-- settings: " + doc.name().toLowerCase(java.util.Locale.ROOT) + " -->\n");
        }
        String made = SettingsDocs.updateReadme(readme);
        if (WRITE) {
            Files.writeString(README, made);
            readme = Files.readString(README);
        }
        assertThat(readme).as("README.md's option tables are " + REGENERATE).isEqualTo(made);
    }

    @Test
    void theExampleFileHoldsEveryKeyAndLoads() throws Exception {
        String example = Files.readString(EXAMPLE);
        for (Setting s : Settings.ALL) {
            if (s.section() != null) {
                assertThat(example).as(s.fileKey()).containsPattern("(?m)^(# )?" + Pattern.quote(s.key()) + " = ");
            }
        }
        ServerConfig c = ConfigFile.apply(EXAMPLE, ServerConfig.builder()).build();
        assertThat(c.serverName()).isEqualTo("parley.local");
    }

    /** The hand-written table under "Limits and protection" names real options with their real defaults. */
    @Test
    void theLimitsTableAgreesWithTheSettings() throws Exception {
        String readme = Files.readString(README);
        int start = readme.indexOf("## Limits and protection");
        assertThat(start).isPositive();
        String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
        Pattern code = Pattern.compile("`([^`]*)`");
        List<String> named = new ArrayList<>();
        for (String row : section.lines().filter(l -> l.startsWith("| ")).toList()) {
            String[] cells = row.split(" \\| ");
            if (cells.length < 3) {
                continue;
            }
            List<Setting> settings = new ArrayList<>();
            for (Matcher m = code.matcher(cells[1]); m.find(); ) {
                String token = m.group(1);
                if (token.startsWith("--")) {
                    settings.add(Settings.byOption(token));
                } else if (cells[1].contains("`" + token + "` (file only)")) {
                    settings.add(Settings.inSection("limits").stream().filter(s -> s.key().equals(token))
                            .findFirst().orElseThrow(() -> new AssertionError("no [limits] key " + token)));
                }
            }
            List<String> defaults = new ArrayList<>();
            for (Matcher m = code.matcher(cells[2]); m.find(); ) {
                defaults.add(m.group(1));
            }
            if (settings.isEmpty()) {
                continue;
            }
            assertThat(defaults).as("defaults in the row: %s", row)
                    .isEqualTo(settings.stream().map(Setting::defaultValue).toList());
            settings.forEach(s -> named.add(s.fileKey()));
        }
        for (Setting s : Settings.ALL) {
            if (s.doc() == Setting.Doc.LIMITS) {
                assertThat(named).as("%s is listed under Limits and protection", s.fileKey()).contains(s.fileKey());
            }
        }
    }
}
