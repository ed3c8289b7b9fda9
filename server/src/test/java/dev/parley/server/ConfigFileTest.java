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
