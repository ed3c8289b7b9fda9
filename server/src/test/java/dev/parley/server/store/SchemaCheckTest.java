package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

/** A restart skips the migrations only when the database already holds every one of them. */
class SchemaCheckTest {
    private static final Pattern VERSION = Pattern.compile("V(\\d+)__.*\\.sql");

    @Test
    void theLatestVersionIsTheHighestMigrationOfEachDialect() throws IOException {
        for (String dir : new String[] {"db/migration", "db/migration-postgresql"}) {
            try (Stream<Path> files = Files.list(Path.of("src/main/resources", dir))) {
                int highest = files.map(p -> VERSION.matcher(p.getFileName().toString()))
                        .filter(Matcher::matches)
                        .mapToInt(m -> Integer.parseInt(m.group(1)))
                        .max().orElseThrow();
                assertThat(SchemaCheck.LATEST_VERSION).as(dir).isEqualTo(highest);
            }
        }
    }

    @Test
    void aNewDatabaseIsMigratedAndAReopenedOneKeepsItsData(@TempDir Path dir) throws SQLException {
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + dir.resolve("parley.db"));
        assertThat(SchemaCheck.upToDate(raw)).as("no database yet").isFalse();

        try (SqlStore store = SqlStore.openSqlite(dir)) {
            assertThat(store.createAccount(new Account("alice", "Alice", "$argon2id$x", null, 1, null))).isTrue();
        }
        assertThat(SchemaCheck.upToDate(raw)).isTrue();
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            assertThat(store.findAccount("alice")).isPresent();
        }
    }

    @Test
    void aFailedOrMissingMigrationLeavesTheDecisionToFlyway(@TempDir Path dir) throws SQLException {
        try (SqlStore store = SqlStore.openSqlite(dir)) {
            assertThat(store.accountNames()).isEmpty();
        }
        SQLiteDataSource raw = new SQLiteDataSource();
        raw.setUrl("jdbc:sqlite:" + dir.resolve("parley.db"));
        try (Connection c = raw.getConnection(); Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE flyway_schema_history SET success = 0 WHERE version = '"
                    + SchemaCheck.LATEST_VERSION + "'");
            assertThat(SchemaCheck.upToDate(raw)).as("a failed migration").isFalse();
            st.executeUpdate("DELETE FROM flyway_schema_history WHERE version = '" + SchemaCheck.LATEST_VERSION + "'");
            assertThat(SchemaCheck.upToDate(raw)).as("a missing migration").isFalse();
            st.executeUpdate("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script,"
                    + " installed_by, execution_time, success) VALUES (99, '" + (SchemaCheck.LATEST_VERSION + 1)
                    + "', 'later', 'SQL', 'V99__later.sql', 'x', 0, 1)");
            assertThat(SchemaCheck.upToDate(raw)).as("a schema newer than this build").isFalse();
        }
    }
}
