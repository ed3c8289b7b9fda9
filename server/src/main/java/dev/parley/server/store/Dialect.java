package dev.parley.server.store;

import com.zaxxer.hikari.HikariConfig;
import java.sql.SQLException;

/**
 * What differs between the databases {@link SqlStore} runs on. The statements themselves are
 * the same on both (upserts are {@code INSERT … ON CONFLICT}, which SQLite and PostgreSQL both
 * read); what differs is the schema's column types (so each has its own migrations, of the same
 * versions), how the pool's connections are set up, and how a duplicate key is reported.
 */
enum Dialect {
    /** SQLite: a file in the data directory, or a private in-memory database. */
    SQLITE("classpath:db/migration") {
        @Override
        void configure(HikariConfig hc, boolean durable) {
            hc.addDataSourceProperty("journal_mode", durable ? "WAL" : "MEMORY");
            hc.addDataSourceProperty("synchronous", "NORMAL");
            hc.addDataSourceProperty("busy_timeout", "10000");
            if (!durable) {
                // one connection, never retired: the in-memory database lives exactly as long as it
                hc.setMaxLifetime(0);
                hc.setIdleTimeout(0);
            }
        }

        @Override
        boolean isUniqueViolation(SQLException e) {
            String msg = String.valueOf(e.getMessage());
            return msg.contains("UNIQUE constraint failed") || msg.contains("PRIMARY KEY");
        }
    },
    /**
     * PostgreSQL: a database the operator made, reached over the network. Its text columns use
     * the {@code "C"} collation, so they sort and compare by code point as SQLite's do, whatever
     * the database's locale.
     */
    POSTGRESQL("classpath:db/migration-postgresql") {
        @Override
        void configure(HikariConfig hc, boolean durable) {
            hc.addDataSourceProperty("ApplicationName", "parley");
            hc.addDataSourceProperty("connectTimeout", "10"); // seconds, for an address that never answers
            hc.addDataSourceProperty("tcpKeepAlive", "true");
            hc.setConnectionTimeout(15_000);
        }

        @Override
        boolean isUniqueViolation(SQLException e) {
            return "23505".equals(e.getSQLState());
        }
    };

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** Where Flyway finds this dialect's migrations. */
    String migrations() {
        return migrations;
    }

    /** Sets up the pool's connections; {@code durable} is false for an in-memory database. */
    abstract void configure(HikariConfig hc, boolean durable);

    /** Whether {@code e} reports a duplicate primary or unique key. */
    abstract boolean isUniqueViolation(SQLException e);
}
