package dev.parley.server.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.BitSet;
import javax.sql.DataSource;

/**
 * Whether a database already holds every migration this build ships, so a restart can skip
 * Flyway (and the thousand classes it loads) and go straight to serving. Anything else — a
 * new database, an older schema, a failed migration, a schema newer than this build, or a
 * history table that cannot be read — leaves the decision to Flyway, which migrates or
 * refuses with its own message.
 *
 * <p>Runs once, on the thread that opens the store.
 */
final class SchemaCheck {
    /**
     * The highest migration version in {@code db/migration} and {@code db/migration-postgresql};
     * {@code SchemaCheckTest} fails when a migration is added without raising it.
     */
    static final int LATEST_VERSION = 7;

    private SchemaCheck() {
    }

    /** True when versions 1 to {@link #LATEST_VERSION}, and no others, are recorded as applied. */
    static boolean upToDate(DataSource ds) {
        try (Connection c = ds.getConnection();
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT version, success FROM flyway_schema_history")) {
            BitSet applied = new BitSet();
            while (rs.next()) {
                String version = rs.getString(1);
                if (version == null) {
                    continue; // Flyway's own baseline/schema rows carry no version
                }
                int v;
                try {
                    v = Integer.parseInt(version.strip());
                } catch (NumberFormatException e) {
                    return false;
                }
                if (!rs.getBoolean(2) || v < 1 || v > LATEST_VERSION) {
                    return false;
                }
                applied.set(v);
            }
            return applied.cardinality() == LATEST_VERSION && applied.nextClearBit(1) == LATEST_VERSION + 1;
        } catch (SQLException e) {
            return false; // no history table yet, or it cannot be read: Flyway decides
        }
    }
}
