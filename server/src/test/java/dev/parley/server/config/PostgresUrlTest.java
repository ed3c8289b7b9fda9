package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PostgreSQL URL {@code --store} takes: its forms, the password kept out of it, and where the password comes from. */
class PostgresUrlTest {
    @Test
    void theUsualFormsBecomeAJdbcUrlWithoutCredentials() {
        PostgresUrl u = PostgresUrl.parse("postgresql://parley@db.example.org:5433/chat?sslmode=require");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.org:5433/chat?sslmode=require");
        assertThat(u.user()).isEqualTo("parley");
        assertThat(u.password()).isNull();
        assertThat(u.shown()).isEqualTo("postgresql://parley@db.example.org:5433/chat?sslmode=require");

        assertThat(PostgresUrl.parse("postgres://parley@localhost/chat").jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/chat");
        PostgresUrl jdbc = PostgresUrl.parse("jdbc:postgresql://[::1]:5432,10.0.0.2:5432/chat?user=parley&targetServerType=primary");
        assertThat(jdbc.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5432,10.0.0.2:5432/chat?targetServerType=primary");
        assertThat(jdbc.user()).isEqualTo("parley");
        assertThat(PostgresUrl.isUrl("sqlite")).isFalse();
        assertThat(PostgresUrl.isUrl("PostgreSQL://x/y")).isTrue();
    }

    @Test
    void aPasswordInTheUrlIsDecodedKeptApartAndMasked() {
        PostgresUrl u = PostgresUrl.parse("postgresql://chat%40ops:p%40ss%3Aw0rd+x@db:5432/my%20db");
        assertThat(u.user()).isEqualTo("chat@ops");
        assertThat(u.password()).isEqualTo("p@ss:w0rd+x");
        assertThat(u.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/my%20db").doesNotContain("w0rd");
        assertThat(u.shown()).isEqualTo("postgresql://chat%40ops:****@db:5432/my%20db");
        assertThat(u.toString()).isEqualTo(u.shown());

        PostgresUrl q = PostgresUrl.parse("jdbc:postgresql://db/chat?user=parley&password=hunter2&ssl=true");
        assertThat(q.password()).isEqualTo("hunter2");
        assertThat(q.jdbcUrl() + q.shown() + q).doesNotContain("hunter2");
        assertThat(q.shown()).isEqualTo("postgresql://parley:****@db/chat?ssl=true");

        ServerConfig c = ServerConfig.builder().store("postgres://parley:hunter2@db/chat").build();
        assertThat(c.store()).isEqualTo(ServerConfig.StoreKind.POSTGRESQL);
        assertThat(c.storeShown()).isEqualTo("postgresql://parley:****@db/chat");
        assertThat(c.toString()).doesNotContain("hunter2");
    }

    @Test
    void aBadUrlIsRefusedSayingWhy() {
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://parley:secret@db:5432"))
                .hasMessageContaining("names no database").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql:///chat")).hasMessageContaining("names no host");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db a/chat")).hasMessageContaining("host part");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://db/chat?sslpassword=x"))
                .hasMessageContaining("sslpassword");
        assertThatThrownBy(() -> PostgresUrl.parse("postgresql://u:%zz@db/chat")).hasMessageContaining("percent escape");
        assertThatThrownBy(() -> ServerConfig.builder().store("mysql://db/chat"))
                .hasMessageContaining("unknown store 'mysql://db/chat'");
        assertThatThrownBy(() -> ServerConfig.builder().store(ServerConfig.StoreKind.POSTGRESQL).build())
                .hasMessageContaining("needs its URL");
    }

    @Test
    void thePasswordComesFromTheFileElseTheEnvironmentElseTheUrl(@TempDir Path dir) throws Exception {
        PostgresUrl withPassword = PostgresUrl.parse("postgresql://parley:from-url@db/chat");
        Path file = Files.writeString(dir.resolve("pw"), "from-file\r\nsecond line\n");
        Map<String, String> env = Map.of(PostgresUrl.PASSWORD_VARIABLE, "from-env");

        assertThat(withPassword.resolvePassword(file, env::get))
                .isEqualTo(new PostgresUrl.Password("from-file", PostgresUrl.PasswordSource.FILE));
        assertThat(withPassword.resolvePassword(null, env::get))
                .isEqualTo(new PostgresUrl.Password("from-env", PostgresUrl.PasswordSource.ENVIRONMENT));
        assertThat(withPassword.resolvePassword(null, name -> null))
                .isEqualTo(new PostgresUrl.Password("from-url", PostgresUrl.PasswordSource.URL));
        assertThat(PostgresUrl.parse("postgresql://parley@db/chat").resolvePassword(null, name -> null).source())
                .isEqualTo(PostgresUrl.PasswordSource.NONE);
        assertThat(withPassword.resolvePassword(file, env::get).toString()).doesNotContain("from-file");

        assertThatThrownBy(() -> withPassword.resolvePassword(dir.resolve("missing"), env::get))
                .isInstanceOf(UncheckedIOException.class).hasMessageContaining("cannot read the store password file");
        Path empty = Files.writeString(dir.resolve("empty"), "\n");
        assertThatThrownBy(() -> withPassword.resolvePassword(empty, env::get)).hasMessageContaining("is empty");
    }
}
