package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.ConfigFile;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
    @TempDir
    Path dir;

    private ServerConfig load(String toml) throws Exception {
        Path f = dir.resolve("parley.toml");
        Files.writeString(f, toml);
        return ConfigFile.apply(f, ServerConfig.builder()).build();
    }

    @Test
    void readsEverySection() throws Exception {
        String hash = PasswordHasher.hash("pw");
        ServerConfig c = load("""
                [server]
                name = "irc.example.org"
                network = "Example"
                port = 7000
                engine = "threads"
                motd-file = "motd.txt"
                data-dir = "data"
                [admin]
                location = "Basement"
                email = "admin@example.org"
                [limits]
                nick-length = 20
                sendq = 65536
                ping-interval = 30
                max-channels = 10
                [[operator]]
                name = "root"
                password-hash = "%s"
                hosts = ["*@127.0.0.1", "*@::1"]
                vhost = "staff.example.org"
                """.formatted(hash));
        assertThat(c.serverName()).isEqualTo("irc.example.org");
        assertThat(c.networkName()).isEqualTo("Example");
        assertThat(c.port()).isEqualTo(7000);
        assertThat(c.engine()).isEqualTo(EngineKind.THREADS);
        assertThat(c.motdFile()).isEqualTo(dir.resolve("motd.txt").toAbsolutePath());
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data").toAbsolutePath());
        assertThat(c.adminEmail()).isEqualTo("admin@example.org");
        assertThat(c.nickLength()).isEqualTo(20);
        assertThat(c.sendQBytes()).isEqualTo(65536);
        assertThat(c.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(c.maxChannelsPerUser()).isEqualTo(10);
        assertThat(c.operators()).singleElement().satisfies(op -> {
            assertThat(op.name()).isEqualTo("root");
            assertThat(op.hosts()).containsExactly("*@127.0.0.1", "*@::1");
            assertThat(op.vhost()).isEqualTo("staff.example.org");
            assertThat(PasswordHasher.verify(op.passwordHash(), "pw")).isTrue();
        });
    }

    @Test
    void unknownKeysAndSectionsAreNamed() {
        assertThatThrownBy(() -> load("[server]\nprot = 1\n")).hasMessageContaining("unknown key 'prot' in [server]");
        assertThatThrownBy(() -> load("[serve]\nport = 1\n")).hasMessageContaining("unknown section [serve]");
    }

    @Test
    void wrongTypesAndImpossibleValuesAreNamed() {
        assertThatThrownBy(() -> load("[server]\nport = \"x\"\n")).hasMessageContaining("server.port must be a whole number");
        assertThatThrownBy(() -> load("[limits]\nnick-length = 9999\n"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nick length");
        assertThatThrownBy(() -> load("[server]\nengine = \"fibers\"\n")).hasMessageContaining("unknown engine");
    }

    @Test
    void operatorPasswordsMustBeHashed() {
        assertThatThrownBy(() -> load("[[operator]]\nname = \"root\"\npassword-hash = \"hunter2\"\n"))
                .hasMessageContaining("must be an Argon2id hash");
    }

    @Test
    void anOperatorWithoutHostsIsRefused() {
        String hash = PasswordHasher.hash("s3cret-pw");
        assertThatThrownBy(() -> load("[[operator]]\nname = \"root\"\npassword-hash = \"%s\"\n".formatted(hash)))
                .isInstanceOf(ConfigFile.ConfigException.class)
                .hasMessageContaining("parley.toml")
                .hasMessageContaining("operator root: hosts must list the user@host masks it may be used from")
                .hasMessageContaining("[\"*@*\"] allows any host");
        assertThatThrownBy(() -> load("[[operator]]\nname = \"root\"\npassword-hash = \"%s\"\nhosts = []\n"
                .formatted(hash)))
                .hasMessageContaining("operator root: hosts must list");
        assertThatThrownBy(() -> load("[[operator]]\nname = \"root\"\npassword-hash = \"%s\"\nhosts = [7]\n"
                .formatted(hash)))
                .hasMessageContaining("operator root: hosts must be a list of masks");
        assertThatThrownBy(() -> new ServerConfig.Operator("root", hash, null, null))
                .hasMessageContaining("hosts must list");
        assertThat(new ServerConfig.Operator("root", hash, List.of("*@*"), null).hosts()).containsExactly("*@*");
    }

    @Test
    void operatorNamesMasksAndVhostsMustBeUsable() throws Exception {
        String hash = PasswordHasher.hash("s3cret-pw");
        String op = "[[operator]]\nname = \"%s\"\npassword-hash = \"" + hash + "\"\nhosts = [\"%s\"]\nvhost = \"%s\"\n";
        assertThatThrownBy(() -> load(op.formatted("root", "*@127.0.0.1", "staff parley")))
                .isInstanceOf(ConfigFile.ConfigException.class)
                .hasMessageContaining("operator root: vhost must be a host name").hasMessageContaining("'staff parley'");
        assertThatThrownBy(() -> load(op.formatted("root", "*@127.0.0.1", "staff.parley\\r\\nQUIT")))
                .hasMessageContaining("operator root: vhost must be a host name")
                .hasMessageContaining("'staff.parley\\x0d\\x0aQUIT'");
        assertThatThrownBy(() -> load(op.formatted("root", "*@127.0.0.1", "-staff")))
                .hasMessageContaining("vhost must be a host name");
        assertThatThrownBy(() -> load(op.formatted("root", "*@127.0.0.1", "a".repeat(254))))
                .hasMessageContaining("vhost must be at most 253 characters");
        assertThatThrownBy(() -> load(op.formatted("root", "*@127.0.0.1 *@10.*", "staff.parley")))
                .hasMessageContaining("operator root: hosts entry must be one word");
        assertThatThrownBy(() -> load(op.formatted("ro ot", "*@127.0.0.1", "staff.parley")))
                .hasMessageContaining("operator name must be one word");
        assertThatThrownBy(() -> load(op.formatted("root\\u001b[2J", "*@127.0.0.1", "staff.parley")))
                .hasMessageContaining("operator name must be one word").hasMessageContaining("root\\x1b[2J");
        assertThat(load(op.formatted("root", "*@127.0.0.1", "staff-1.parley.example")).operators().getFirst().vhost())
                .isEqualTo("staff-1.parley.example");
        assertThat(load(op.formatted("root", "*@127.0.0.1", "")).operators().getFirst().vhost()).isEmpty();
    }

    @Test
    void textSettingsWithControlCharactersAreRefusedNamingTheKey() throws Exception {
        assertThatThrownBy(() -> load("[server]\nnetwork = \"Par\\u0000ley\"\n"))
                .hasMessageContaining("network name (server.network, --network) must be one word")
                .hasMessageContaining("'Par\\x00ley'");
        assertThatThrownBy(() -> load("[server]\nnetwork = \"Par\\tley\"\n"))
                .hasMessageContaining("network name (server.network, --network)");
        assertThatThrownBy(() -> load("[server]\nnetwork = \"Par\\u0085ley\"\n"))
                .hasMessageContaining("network name (server.network, --network)");
        assertThatThrownBy(() -> load("[server]\nnetwork = \"\"\n"))
                .hasMessageContaining("network name (server.network, --network)");
        assertThatThrownBy(() -> load("[server]\nname = \"irc.example.org\\n\"\n"))
                .hasMessageContaining("server name (server.name, --name)").hasMessageContaining("'irc.example.org\\x0a'");
        assertThatThrownBy(() -> load("[server]\nhost = \"127.0.0.1\\n\"\n"))
                .hasMessageContaining("host (server.host, --host)");
        assertThatThrownBy(() -> load("[admin]\nlocation = \"Basement\\r\\nERROR :x\"\n"))
                .hasMessageContaining("admin location (admin.location) must not contain control characters")
                .hasMessageContaining("'Basement\\x0d\\x0aERROR :x'");
        assertThatThrownBy(() -> load("[admin]\nemail = \"admin@example.org\\n\"\n"))
                .hasMessageContaining("admin email (admin.email) must not contain control characters");
        assertThatThrownBy(() -> load("[admin]\nlocation = \"%s\"\n".formatted("x".repeat(301))))
                .hasMessageContaining("admin location (admin.location) must be at most 300 characters");
        ServerConfig fine = load("""
                [server]
                network = "Libera.Chat"
                [admin]
                location = "Basement, 2nd door: été ☃"
                email = "Alice <admin@example.org>"
                """);
        assertThat(fine.networkName()).isEqualTo("Libera.Chat");
        assertThat(fine.adminLocation()).isEqualTo("Basement, 2nd door: été ☃");
        assertThat(fine.adminEmail()).isEqualTo("Alice <admin@example.org>");
    }

    @Test
    void brokenTomlIsReportedWithTheFileName() {
        assertThatThrownBy(() -> load("[server\nport = 1\n")).hasMessageContaining("parley.toml");
    }

    @Test
    void passwordHashesVerifyOnlyTheirPassword() {
        String h = PasswordHasher.hash("correct horse");
        assertThat(h).startsWith("$argon2id$v=19$m=19456,t=2,p=1$");
        assertThat(PasswordHasher.verify(h, "correct horse")).isTrue();
        assertThat(PasswordHasher.verify(h, "correct horsE")).isFalse();
        assertThat(PasswordHasher.hash("correct horse")).isNotEqualTo(h);
        assertThat(PasswordHasher.verify("$argon2id$garbage", "x")).isFalse();
        assertThat(PasswordHasher.verify("$argon2id$v=19$m=19456,t=2,p=1$!!$??", "x")).isFalse();
    }
}
