package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The table of settings is consistent with itself, with the config file reader and with the builder's defaults. */
class SettingsTest {
    @Test
    void everyOptionNameAndFileKeyBelongsToExactlyOneSetting() {
        Map<String, Long> names = Settings.ALL.stream().flatMap(s -> s.options().stream())
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        assertThat(names).allSatisfy((name, count) -> assertThat(count).as(name).isEqualTo(1));
        Map<String, Long> keys = Settings.ALL.stream().map(Setting::fileKey).filter(Objects::nonNull)
                .collect(Collectors.groupingBy(k -> k, Collectors.counting()));
        assertThat(keys).allSatisfy((key, count) -> assertThat(count).as(key).isEqualTo(1));
    }

    @Test
    void theConfigFileAcceptsExactlyTheSettingsKeysAndOperators() {
        Map<String, Set<String>> expected = new HashMap<>();
        for (Setting s : Settings.ALL) {
            if (s.section() != null) {
                expected.computeIfAbsent(s.section(), x -> new java.util.HashSet<>()).add(s.key());
            }
        }
        expected.put("operator", Set.of("name", "password-hash", "hosts", "vhost"));
        expected.put("webirc", Set.of("name", "password-hash", "hosts"));
        assertThat(ConfigFile.knownKeys()).isEqualTo(expected);
    }

    @Test
    void everySettingIsComplete() {
        for (Setting s : Settings.ALL) {
            String what = s.options().isEmpty() ? s.fileKey() : s.longOption();
            if (s.section() != null) {
                assertThat(s.configures()).as("%s is in the file, so it must configure the server", what).isTrue();
            }
            if (!s.options().isEmpty()) {
                assertThat(s.help()).as("help of %s", what).isNotBlank();
                assertThat(s.label() == null).as("%s has a label unless it is a flag", what)
                        .isEqualTo(s.type() == Setting.Type.BOOL);
            }
            assertThat(s.meaning()).as("meaning of %s", what).isNotBlank().doesNotContain("\n", "|");
        }
    }

    @Test
    void defaultsAreTheBuildersAndReadBackToThem() throws Exception {
        ServerConfig defaults = ServerConfig.builder().build();
        ServerConfig.Builder b = ServerConfig.builder().port(1).nickLength(9).rememberHosts(false).udp(ServerConfig.Udp.OFF.withRate(1));
        for (Setting s : Settings.ALL) {
            if (s.configures() && s.defaultValue() != null && !s.options().isEmpty()) {
                s.apply().accept(b, s.fromOption(cliValue(s)));
            }
        }
        ServerConfig read = b.build();
        assertThat(read.port()).isEqualTo(defaults.port());
        assertThat(read.nickLength()).isEqualTo(defaults.nickLength());
        assertThat(read.udp()).isEqualTo(defaults.udp());
        assertThat(read).isEqualTo(defaults);
    }

    /** The default as the option parser would hand it over. */
    private static Object cliValue(Setting s) {
        String d = s.defaultValue();
        return switch (s.type()) {
            case INT, DAYS -> Integer.parseInt(d);
            case SECONDS -> Long.parseLong(d);
            case PATH -> java.nio.file.Path.of(d);
            case BOOL -> !Boolean.parseBoolean(d) == s.longOption().startsWith("--no-");
            case ADDRESSES -> List.of(d.split(","));
            case ENGINE -> EngineKind.parse(d);
            case TEXT -> d;
        };
    }
}
