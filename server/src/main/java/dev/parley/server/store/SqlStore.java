package dev.parley.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import dev.parley.server.config.PostgresUrl;
import dev.parley.server.config.PrivateFiles;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.flywaydb.core.Flyway;

/**
 * The SQL store: a SQLite file in the data directory (the default), a private in-memory SQLite
 * database, or a PostgreSQL database, behind a small HikariCP pool. The schema is created and
 * upgraded by versioned Flyway migrations, one set per {@link Dialect} of the same versions
 * ({@code db/migration} for SQLite, {@code db/migration-postgresql}); every statement here runs
 * on both.
 *
 * <p>Durability: every write is a committed transaction. With SQLite's {@code synchronous=NORMAL}
 * in WAL mode a committed transaction survives the process being killed; a power cut may lose
 * the last moments. PostgreSQL's is the database's own.
 */
public final class SqlStore implements Store {
    /** The database file inside the data directory. */
    public static final String FILE_NAME = "parley.db";
    /** Connections of a SQLite file's pool unless told otherwise. */
    public static final int DEFAULT_POOL_SIZE = 4;

    private final HikariDataSource pool;
    private final Dialect dialect;

    private SqlStore(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /** {@link #openSqlite(Path, int)} with {@value #DEFAULT_POOL_SIZE} connections. */
    public static SqlStore openSqlite(Path dataDir) {
        return openSqlite(dataDir, DEFAULT_POOL_SIZE);
    }

    /**
     * Opens (creating and migrating as needed) {@code <dataDir>/parley.db}. The directory is
     * made {@code 0700} and the database files {@code 0600} ({@link PrivateFiles}).
     */
    public static SqlStore openSqlite(Path dataDir, int poolSize) {
        Path file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        try {
            // password hashes, e-mail addresses and private messages: for the server's user alone
            PrivateFiles.directory(dataDir);
            PrivateFiles.file(file); // SQLite gives its -wal and -shm files the database's permissions
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl("jdbc:sqlite:" + file);
        SqlStore store = open(Dialect.SQLITE, hc, poolSize, true, file.toString());
        try {
            PrivateFiles.filesIn(dataDir, FILE_NAME + "*", false);
        } catch (IOException e) {
            store.close();
            throw new UncheckedIOException("cannot restrict the database files in " + dataDir + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** A private in-memory SQLite database (nothing survives close): for throwaway servers and tests. */
    public static SqlStore openInMemory() {
        String name = "parley-mem-" + System.nanoTime();
        HikariConfig hc = new HikariConfig();
        // one connection: no shared-cache table locking between connections to trip over
        hc.setJdbcUrl("jdbc:sqlite:file:" + name + "?mode=memory&cache=shared");
        return open(Dialect.SQLITE, hc, 1, false, "in memory");
    }

    /**
     * Opens (migrating as needed) the PostgreSQL database at {@code url}, connecting as its user
     * with {@code password} ({@code null} for none). The database must exist; the user needs the
     * right to create tables in it. The password goes to the driver alone, never into a URL or a
     * message.
     *
     * @throws StoreException when the database cannot be reached, refuses the login or cannot be migrated
     */
    public static SqlStore openPostgres(PostgresUrl url, String password, int poolSize) {
        HikariConfig hc = new HikariConfig();
        hc.setDriverClassName("org.postgresql.Driver");
        hc.setJdbcUrl(url.jdbcUrl());
        if (url.user() != null) {
            hc.setUsername(url.user());
        }
        if (password != null) {
            hc.setPassword(password);
        }
        return open(Dialect.POSTGRESQL, hc, poolSize, true, url.shown());
    }

    private static SqlStore open(Dialect dialect, HikariConfig hc, int poolSize, boolean durable, String shown) {
        hc.setPoolName("parley-db");
        hc.setMaximumPoolSize(poolSize);
        hc.setMinimumIdle(1);
        dialect.configure(hc, durable);
        HikariDataSource ds;
        try {
            ds = new HikariDataSource(hc);
        } catch (RuntimeException e) {
            throw new StoreException("cannot open the database " + shown + ": " + rootMessage(e), e, true);
        }
        try {
            if (SchemaCheck.upToDate(ds)) {
                return new SqlStore(ds, dialect);
            }
            Flyway.configure()
                    .dataSource(ds)
                    .locations(dialect.migrations())
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw new StoreException("cannot open the database " + shown + ": " + rootMessage(e), e, true);
        }
        return new SqlStore(ds, dialect);
    }

    /**
     * What went wrong in the driver's words rather than the pool's wrapping: the message of the
     * outermost {@link SQLException}, else of the innermost cause that has one.
     */
    private static String rootMessage(Throwable e) {
        String message = e.toString();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                message = t.getMessage();
                if (t instanceof SQLException) {
                    break;
                }
            }
        }
        return message.strip();
    }

    // ---- accounts ----

    @Override
    public Optional<Account> findAccount(String name) {
        return query("SELECT name, display_name, password_hash, email, created_at, scram FROM accounts WHERE name = ?",
                ps -> ps.setString(1, name),
                rs -> new Account(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5),
                        rs.getString(6)))
                .stream().findFirst();
    }

    @Override
    public boolean createAccount(Account a) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO accounts (name, display_name, password_hash, email, created_at, scram) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.name());
            ps.setString(2, a.displayName());
            ps.setString(3, a.passwordHash());
            ps.setString(4, a.email());
            ps.setLong(5, a.createdAtMillis());
            ps.setString(6, a.scram());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("cannot create account", e);
        }
    }

    @Override
    public boolean updatePassword(String name, String passwordHash) {
        return update("UPDATE accounts SET password_hash = ? WHERE name = ?", ps -> {
            ps.setString(1, passwordHash);
            ps.setString(2, name);
        }) == 1;
    }

    @Override
    public boolean updateScram(String name, String scram) {
        return update("UPDATE accounts SET scram = ? WHERE name = ?", ps -> {
            ps.setString(1, scram);
            ps.setString(2, name);
        }) == 1;
    }

    @Override
    public boolean deleteAccount(String name) {
        update("DELETE FROM account_certs WHERE account = ?", ps -> ps.setString(1, name));
        update("DELETE FROM session_tokens WHERE account = ?", ps -> ps.setString(1, name));
        return update("DELETE FROM accounts WHERE name = ?", ps -> ps.setString(1, name)) == 1;
    }

    // ---- session tokens ----

    private static final String TOKEN_COLUMNS = "SELECT id, account, secret_hash, created_at, expires_at FROM session_tokens";

    private static SessionToken token(ResultSet rs) throws SQLException {
        return new SessionToken(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5));
    }

    @Override
    public void addToken(SessionToken t) {
        update("INSERT INTO session_tokens (id, account, secret_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)", ps -> {
            ps.setString(1, t.id());
            ps.setString(2, t.account());
            ps.setString(3, t.secretHash());
            ps.setLong(4, t.createdAtMillis());
            ps.setLong(5, t.expiresAtMillis());
        });
    }

    @Override
    public Optional<SessionToken> findToken(String id) {
        return query(TOKEN_COLUMNS + " WHERE id = ?", ps -> ps.setString(1, id), SqlStore::token).stream().findFirst();
    }

    @Override
    public List<SessionToken> tokens(String account) {
        return query(TOKEN_COLUMNS + " WHERE account = ? ORDER BY created_at, id", ps -> ps.setString(1, account), SqlStore::token);
    }

    @Override
    public boolean deleteToken(String account, String id) {
        return update("DELETE FROM session_tokens WHERE account = ? AND id = ?", ps -> {
            ps.setString(1, account);
            ps.setString(2, id);
        }) == 1;
    }

    @Override
    public int deleteTokens(String account) {
        return update("DELETE FROM session_tokens WHERE account = ?", ps -> ps.setString(1, account));
    }

    // ---- client certificates ----

    @Override
    public boolean addCert(String account, String fingerprint, long atMillis) {
        try (Connection c = pool.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO account_certs (fingerprint, account, added_at) VALUES (?, ?, ?)")) {
            ps.setString(1, fingerprint);
            ps.setString(2, account);
            ps.setLong(3, atMillis);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            if (dialect.isUniqueViolation(e)) {
                return false;
            }
            throw new StoreException("cannot bind certificate", e);
        }
    }

    @Override
    public boolean deleteCert(String account, String fingerprint) {
        return update("DELETE FROM account_certs WHERE account = ? AND fingerprint = ?", ps -> {
            ps.setString(1, account);
            ps.setString(2, fingerprint);
        }) == 1;
    }

    @Override
    public List<String> certs(String account) {
        return query("SELECT fingerprint FROM account_certs WHERE account = ? ORDER BY added_at, fingerprint",
                ps -> ps.setString(1, account), rs -> rs.getString(1));
    }

    @Override
    public Optional<String> accountForCert(String fingerprint) {
        return query("SELECT account FROM account_certs WHERE fingerprint = ?",
                ps -> ps.setString(1, fingerprint), rs -> rs.getString(1)).stream().findFirst();
    }

    @Override
    public List<String> accountNames() {
        return query("SELECT name FROM accounts", ps -> { }, rs -> rs.getString(1));
    }

    // ---- history ----

    @Override
    public void appendHistory(List<HistoryEntry> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO history (seq, target, msgid, sent_at, sender, account, command, recipient, body, tags, "
                            + "line_joins) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (seq) DO NOTHING")) {
                for (HistoryEntry e : batch) {
                    ps.setLong(1, e.seq());
                    ps.setString(2, e.target());
                    ps.setString(3, e.msgid());
                    ps.setLong(4, e.sentAtMillis());
                    ps.setString(5, e.sender());
                    ps.setString(6, e.account());
                    ps.setString(7, e.command());
                    ps.setString(8, e.recipient());
                    ps.setString(9, e.body());
                    ps.setString(10, e.tags());
                    ps.setString(11, e.lineJoins());
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store history", e);
        }
    }

    @Override
    public long maxHistorySeq() {
        List<Long> r = query("SELECT MAX(seq) FROM history", ps -> { }, rs -> rs.getLong(1));
        return r.isEmpty() ? 0 : r.get(0);
    }

    private static final String ENTRY_COLUMNS =
            "seq, target, msgid, sent_at, sender, account, command, recipient, body, tags, line_joins";

    private static HistoryEntry entry(ResultSet rs) throws SQLException {
        return new HistoryEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11));
    }

    @Override
    public Optional<HistoryEntry> findByMsgid(String msgid) {
        return query("SELECT " + ENTRY_COLUMNS + " FROM history WHERE msgid = ?", ps -> ps.setString(1, msgid),
                SqlStore::entry).stream().findFirst();
    }

    @Override
    public List<HistoryEntry> history(String target, boolean bySeq, long fromExclusive, long toExclusive, int limit,
                                      boolean newestFirst, Set<String> leftOut) {
        String key = bySeq ? "seq" : "sent_at";
        List<String> commands = List.copyOf(leftOut);
        String sql = "SELECT " + ENTRY_COLUMNS + " FROM history WHERE target = ? AND " + key + " > ? AND " + key
                + " < ?" + commandsNotIn(commands) + " ORDER BY seq " + (newestFirst ? "DESC" : "ASC") + " LIMIT ?";
        List<HistoryEntry> rows = new ArrayList<>(query(sql, ps -> {
            int i = 1;
            ps.setString(i++, target);
            ps.setLong(i++, fromExclusive);
            ps.setLong(i++, toExclusive);
            for (String command : commands) {
                ps.setString(i++, command);
            }
            ps.setInt(i, limit);
        }, SqlStore::entry));
        if (newestFirst) {
            java.util.Collections.reverse(rows);
        }
        return rows;
    }

    @Override
    public List<TargetActivity> targets(List<String> targets, String conversationsOf, long fromExclusive,
                                        long toExclusive, int limit, boolean ascending, Set<String> leftOut) {
        if (targets.isEmpty() && conversationsOf == null) {
            return List.of();
        }
        List<String> commands = List.copyOf(leftOut);
        List<String> where = new ArrayList<>();
        if (!targets.isEmpty()) {
            where.add("target IN (" + String.join(",", java.util.Collections.nCopies(targets.size(), "?")) + ")");
        }
        if (conversationsOf != null) {
            // a conversation's key names both accounts, in order: this one may be either
            where.add("target LIKE ? ESCAPE '!'");
            where.add("target LIKE ? ESCAPE '!'");
        }
        String sql = "SELECT target, MAX(sent_at) AS latest FROM history WHERE (" + String.join(" OR ", where)
                + ") AND sent_at > ? AND sent_at < ?" + commandsNotIn(commands) + " GROUP BY target ORDER BY latest "
                + (ascending ? "ASC" : "DESC")
                + " LIMIT ?";
        return query(sql, ps -> {
            int i = 1;
            for (String t : targets) {
                ps.setString(i++, t);
            }
            if (conversationsOf != null) {
                String a = likeLiteral(conversationsOf);
                String p = likeLiteral(CONVERSATION_PREFIX);
                ps.setString(i++, p + a + ",%");
                ps.setString(i++, p + "%," + a);
            }
            ps.setLong(i++, fromExclusive);
            ps.setLong(i++, toExclusive);
            for (String command : commands) {
                ps.setString(i++, command);
            }
            ps.setInt(i, limit);
        }, rs -> new TargetActivity(rs.getString(1), rs.getLong(2)));
    }

    /** A condition leaving out rows whose command is one of {@code commands} (one parameter each), or nothing. */
    private static String commandsNotIn(List<String> commands) {
        if (commands.isEmpty()) {
            return "";
        }
        return " AND command NOT IN (" + String.join(",", Collections.nCopies(commands.size(), "?")) + ")";
    }

    /** {@code text} matched literally in a LIKE pattern with {@code ESCAPE '!'}. */
    private static String likeLiteral(String text) {
        return text.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    @Override
    public int pruneHistory(String target, int keep, long before) {
        int n = 0;
        if (before > 0) {
            n += update("DELETE FROM history WHERE target = ? AND sent_at < ?", ps -> {
                ps.setString(1, target);
                ps.setLong(2, before);
            });
        }
        if (keep > 0) {
            n += update("DELETE FROM history WHERE target = ? AND seq <= (SELECT seq FROM history WHERE target = ? "
                    + "ORDER BY seq DESC LIMIT 1 OFFSET ?)", ps -> {
                        ps.setString(1, target);
                        ps.setString(2, target);
                        ps.setInt(3, keep);
                    });
        }
        return n;
    }

    @Override
    public int deleteHistoryUpTo(long seq) {
        return update("DELETE FROM history WHERE seq <= ?", ps -> ps.setLong(1, seq));
    }

    @Override
    public int keepNewestHistory(int keep) {
        return update("DELETE FROM history WHERE seq < (SELECT seq FROM history ORDER BY seq DESC LIMIT 1 OFFSET ?)",
                ps -> ps.setInt(1, keep - 1));
    }

    @Override
    public int deleteHistory(String target) {
        return update("DELETE FROM history WHERE target = ?", ps -> ps.setString(1, target));
    }

    /** Sorts after every character in UTF-8 byte order (U+10FFFF), so {@code prefix + LAST_CHARACTER} bounds a prefix range. */
    private static final String LAST_CHARACTER = new String(Character.toChars(Character.MAX_CODE_POINT));

    @Override
    public int deleteHistoryWithPrefix(String prefix) {
        return update("DELETE FROM history WHERE target >= ? AND target < ?", ps -> {
            ps.setString(1, prefix);
            ps.setString(2, prefix + LAST_CHARACTER); // a range the (target, seq) index serves
        });
    }

    @Override
    public List<String> historyTargets(String prefix) {
        return query("SELECT DISTINCT target FROM history WHERE target >= ? AND target < ?", ps -> {
            ps.setString(1, prefix);
            ps.setString(2, prefix + LAST_CHARACTER);
        }, rs -> rs.getString(1));
    }

    @Override
    public boolean deleteHistoryMessage(String msgid) {
        return update("DELETE FROM history WHERE msgid = ?", ps -> ps.setString(1, msgid)) > 0;
    }

    // ---- read markers ----

    @Override
    public List<ReadMarker> readMarkers() {
        return query("SELECT account, target, read_at FROM read_markers", ps -> { },
                rs -> new ReadMarker(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public void putReadMarker(String account, String target, long readAtMillis) {
        // a marker only moves forward
        update("INSERT INTO read_markers (account, target, read_at) VALUES (?, ?, ?) ON CONFLICT (account, target) "
                + "DO UPDATE SET read_at = excluded.read_at WHERE read_markers.read_at < excluded.read_at", ps -> {
                    ps.setString(1, account);
                    ps.setString(2, target);
                    ps.setLong(3, readAtMillis);
                });
    }

    @Override
    public void deleteReadMarker(String account, String target) {
        update("DELETE FROM read_markers WHERE account = ? AND target = ?", ps -> {
            ps.setString(1, account);
            ps.setString(2, target);
        });
    }

    @Override
    public int deleteReadMarkers(String account) {
        return update("DELETE FROM read_markers WHERE account = ?", ps -> ps.setString(1, account));
    }

    // ---- remembered hosts ----

    @Override
    public Optional<RememberedHost> lookupHost(String address) {
        return query("SELECT address, nick, seen_at FROM remembered_hosts WHERE address = ?",
                ps -> ps.setString(1, address),
                rs -> new RememberedHost(rs.getString(1), rs.getString(2), rs.getLong(3))).stream().findFirst();
    }

    @Override
    public void rememberHost(String address, String nick, long atMillis) {
        update("INSERT INTO remembered_hosts (address, nick, seen_at) VALUES (?, ?, ?) ON CONFLICT (address) "
                + "DO UPDATE SET nick = excluded.nick, seen_at = excluded.seen_at", ps -> {
                    ps.setString(1, address);
                    ps.setString(2, nick);
                    ps.setLong(3, atMillis);
                });
    }

    @Override
    public List<RememberedHost> hosts() {
        return query("SELECT address, nick, seen_at FROM remembered_hosts", ps -> { },
                rs -> new RememberedHost(rs.getString(1), rs.getString(2), rs.getLong(3)));
    }

    @Override
    public int clearHosts() {
        return update("DELETE FROM remembered_hosts", ps -> { });
    }

    @Override
    public int forgetHostsSeenBefore(long millis) {
        return update("DELETE FROM remembered_hosts WHERE seen_at < ?", ps -> ps.setLong(1, millis));
    }

    @Override
    public int hostCount() {
        List<Integer> r = query("SELECT COUNT(*) FROM remembered_hosts", ps -> { }, rs -> rs.getInt(1));
        return r.isEmpty() ? 0 : r.get(0);
    }

    // ---- registered channels ----

    /** One row of a channel's list, with the channel it belongs to. */
    private record Owned<T>(String channel, T value) {
    }

    @Override
    public List<ChannelRegistration> channelRegistrations() {
        java.util.Map<String, List<ChannelAccess>> access = new java.util.HashMap<>();
        for (Owned<ChannelAccess> row : query("SELECT channel, account, access_level, set_by, set_at FROM channel_access "
                + "ORDER BY channel, set_at, account", ps -> { }, rs -> new Owned<>(rs.getString(1),
                new ChannelAccess(rs.getString(2), rs.getString(3), rs.getString(4), rs.getLong(5))))) {
            access.computeIfAbsent(row.channel(), k -> new ArrayList<>()).add(row.value());
        }
        java.util.Map<String, List<ChannelMask>> masks = new java.util.HashMap<>();
        for (Owned<ChannelMask> row : query("SELECT channel, list_kind, mask, set_by, set_at FROM channel_masks "
                + "ORDER BY channel, ordinal", ps -> { }, rs -> new Owned<>(rs.getString(1),
                new ChannelMask(rs.getString(2).charAt(0), rs.getString(3), rs.getString(4), rs.getLong(5))))) {
            masks.computeIfAbsent(row.channel(), k -> new ArrayList<>()).add(row.value());
        }
        return query("SELECT name, display_name, founder, registered_at, history_key, flag_modes, mode_key, mode_limit, "
                + "topic, topic_by, topic_at FROM channel_registrations ORDER BY name", ps -> { },
                rs -> new ChannelRegistration(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4),
                        rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getString(9),
                        rs.getString(10), rs.getLong(11),
                        access.getOrDefault(rs.getString(1), List.of()), masks.getOrDefault(rs.getString(1), List.of())));
    }

    @Override
    public void putChannelRegistration(ChannelRegistration r) {
        try {
            putChannelRegistrationOnce(r);
        } catch (StoreException e) {
            if (!(e.getCause() instanceof SQLException sql && dialect.isUniqueViolation(sql))) {
                throw e;
            }
            // another server sharing the database stored the same registration at the same moment:
            // its rows were not there when this delete ran; once more replaces them
            putChannelRegistrationOnce(r);
        }
    }

    private void putChannelRegistrationOnce(ChannelRegistration r) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                deleteChannelRows(c, r.name());
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_registrations (name, display_name, "
                        + "founder, registered_at, history_key, flag_modes, mode_key, mode_limit, topic, topic_by, topic_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, r.name());
                    ps.setString(2, r.displayName());
                    ps.setString(3, r.founder());
                    ps.setLong(4, r.registeredAtMillis());
                    ps.setString(5, r.historyKey());
                    ps.setString(6, r.flagModes());
                    ps.setString(7, r.modeKey());
                    ps.setInt(8, r.modeLimit());
                    ps.setString(9, r.topic());
                    ps.setString(10, r.topicBy());
                    if (r.topic() == null) {
                        ps.setNull(11, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(11, r.topicAtMillis());
                    }
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_access (channel, account, "
                        + "access_level, set_by, set_at) VALUES (?, ?, ?, ?, ?)")) {
                    for (ChannelAccess a : r.access()) {
                        ps.setString(1, r.name());
                        ps.setString(2, a.account());
                        ps.setString(3, a.level());
                        ps.setString(4, a.setBy());
                        ps.setLong(5, a.setAtMillis());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO channel_masks (channel, list_kind, ordinal, "
                        + "mask, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                    int ordinal = 0;
                    for (ChannelMask m : r.masks()) {
                        ps.setString(1, r.name());
                        ps.setString(2, String.valueOf(m.list()));
                        ps.setInt(3, ordinal++);
                        ps.setString(4, m.mask());
                        ps.setString(5, m.setBy());
                        ps.setLong(6, m.setAtMillis());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot store channel registration", e);
        }
    }

    @Override
    public boolean deleteChannelRegistration(String name) {
        try (Connection c = pool.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean existed = deleteChannelRows(c, name);
                c.commit();
                return existed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("cannot delete channel registration", e);
        }
    }

    /** Deletes the rows of channel {@code name} on {@code c}, inside the caller's transaction; true when it was registered. */
    private static boolean deleteChannelRows(Connection c, String name) throws SQLException {
        for (String table : List.of("channel_access", "channel_masks")) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE channel = ?")) {
                ps.setString(1, name);
                ps.executeUpdate();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM channel_registrations WHERE name = ?")) {
            ps.setString(1, name);
            return ps.executeUpdate() > 0;
        }
    }

    // ---- server bans ----

    @Override
    public List<ServerBan> serverBans() {
        return query("SELECT kind, mask, reason, set_by, set_at, expires_at FROM server_bans ORDER BY set_at", ps -> { },
                rs -> new ServerBan(rs.getString(1).charAt(0), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getLong(5), rs.getLong(6)));
    }

    @Override
    public void putServerBan(ServerBan ban) {
        update("INSERT INTO server_bans (kind, mask, reason, set_by, set_at, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
                + "ON CONFLICT (kind, mask) DO UPDATE SET reason = excluded.reason, set_by = excluded.set_by, "
                + "set_at = excluded.set_at, expires_at = excluded.expires_at", ps -> {
                    ps.setString(1, String.valueOf(ban.kind()));
                    ps.setString(2, ban.mask());
                    ps.setString(3, ban.reason());
                    ps.setString(4, ban.setBy());
                    ps.setLong(5, ban.setAtMillis());
                    if (ban.expiresAtMillis() == 0) {
                        ps.setNull(6, java.sql.Types.BIGINT);
                    } else {
                        ps.setLong(6, ban.expiresAtMillis());
                    }
                });
    }

    @Override
    public boolean removeServerBan(char kind, String mask) {
        return update("DELETE FROM server_bans WHERE kind = ? AND mask = ?", ps -> {
            ps.setString(1, String.valueOf(kind));
            ps.setString(2, mask);
        }) > 0;
    }

    @Override
    public void close() {
        pool.close();
    }

    // ---- plumbing ----

    /** Sets statement parameters. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Maps one row. */
    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private <T> List<T> query(String sql, Binder binder, RowMapper<T> mapper) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(mapper.map(rs));
                }
                return out;
            }
        } catch (SQLException e) {
            throw new StoreException("query failed", e);
        }
    }

    private int update(String sql, Binder binder) {
        try (Connection c = pool.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("update failed", e);
        }
    }

    /** A database failure, unchecked. */
    public static final class StoreException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        StoreException(String message, Throwable cause) {
            super(message + ": " + cause.getMessage(), cause);
        }

        /** A failure whose {@code message} says all (the cause's message is not appended). */
        StoreException(String message, Throwable cause, boolean complete) {
            super(message, cause);
        }
    }
}
