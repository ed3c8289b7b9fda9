package dev.parley.server.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.server.config.PostgresUrl;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * A throwaway PostgreSQL server for tests: at most one per JVM, started on first use, shared by
 * every test class, stopped and deleted by a shutdown hook. Each {@link #newDatabase()} makes a
 * new empty database on it, owned by a password-protected role, so tests never see each other's
 * rows.
 *
 * <pre>{@code
 * TestPostgres.Database db = TestPostgres.newDatabase(); // skips the test when PostgreSQL is not installed
 * try (SqlStore store = SqlStore.openPostgres(db.url(), db.password(), 2)) { … }
 * ServerConfig.builder().store(db.url()).storePasswordFile(db.writePasswordFile(dir)) …
 * }</pre>
 *
 * <p>It runs the PostgreSQL binaries installed on the machine (Debian's {@code postgresql}
 * package: the newest {@code /usr/lib/postgresql/<version>/bin}, or the directory
 * {@code PARLEY_TEST_PG_BIN} names), in a temporary directory, on a free loopback port, with
 * durability off (tests never survive a crash). PostgreSQL refuses to run as root: then it runs
 * as the {@code postgres} user through {@code runuser}. Without the binaries a test asking for a
 * database is skipped with a message, unless {@code PARLEY_REQUIRE_POSTGRES=1} (CI sets it,
 * after installing the package): then it fails.
 */
public final class TestPostgres {
    /** How long starting the server may take. */
    private static final int START_SECONDS = 60;
    private static final String OWNER = "parley_test";
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private static Server server;
    private static RuntimeException failed;

    private TestPostgres() {
    }

    /**
     * A database made for a test, empty until a store migrates it.
     *
     * @param port     the loopback port the server listens on
     * @param name     the database's name
     * @param user     the role that owns it
     * @param password that role's password
     */
    public record Database(int port, String name, String user, String password) {
        /** {@code postgresql://user@127.0.0.1:port/name}: the URL {@code --store} takes, without the password. */
        public String urlText() {
            return "postgresql://" + user + "@127.0.0.1:" + port + "/" + name;
        }

        /** {@link #urlText()} parsed. */
        public PostgresUrl url() {
            return PostgresUrl.parse(urlText());
        }

        /** Writes the password to {@code dir/store-password} for {@code --store-password-file}, and returns that file. */
        public Path writePasswordFile(Path dir) throws IOException {
            return Files.writeString(dir.resolve("store-password"), password + "\n");
        }

        /** A plain JDBC connection as the owner, to look at the tables from outside the store. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/" + name, user, password);
        }
    }

    /** Whether PostgreSQL binaries are installed here. */
    public static boolean installed() {
        return binaries() != null;
    }

    /**
     * A new empty database on the shared server, which starts now if it has not yet. Skips the
     * calling test (a JUnit assumption) when PostgreSQL is not installed and
     * {@code PARLEY_REQUIRE_POSTGRES} is not {@code 1}.
     */
    public static Database newDatabase() {
        if (!"1".equals(System.getenv("PARLEY_REQUIRE_POSTGRES"))) {
            assumeTrue(installed(), "PostgreSQL is not installed (apt-get install postgresql, or set PARLEY_TEST_PG_BIN)");
        }
        Server s = server();
        String name = "parley_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = s.superuser(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name + " OWNER " + OWNER);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
        }
        return new Database(s.port, name, OWNER, s.ownerPassword);
    }

    /**
     * Stops the shared test PostgreSQL (its data kept) for as long as {@code meanwhile} runs, then
     * starts it again on the same port: what a database restart or failover looks like to a client.
     */
    public static void whileStopped(Runnable meanwhile) throws IOException {
        Server s = server();
        s.stopKeepingData();
        try {
            meanwhile.run();
        } finally {
            s.startAgain();
        }
    }

    private static synchronized Server server() {
        if (failed != null) {
            throw failed;
        }
        if (server == null) {
            try {
                server = Server.start();
            } catch (RuntimeException e) {
                failed = e;
                throw e;
            }
        }
        return server;
    }

    /** The newest installed {@code bin} directory holding {@code initdb}, {@code pg_ctl} and {@code postgres}, or null. */
    static Path binaries() {
        String given = System.getenv("PARLEY_TEST_PG_BIN");
        if (given != null && !given.isBlank()) {
            return complete(Path.of(given)) ? Path.of(given) : null;
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(root)) {
            return null;
        }
        try (Stream<Path> versions = Files.list(root)) {
            return versions.filter(v -> v.getFileName().toString().matches("\\d+"))
                    .max(Comparator.comparingInt(v -> Integer.parseInt(v.getFileName().toString())))
                    .map(v -> v.resolve("bin")).filter(TestPostgres::complete).orElse(null);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean complete(Path bin) {
        return Stream.of("initdb", "pg_ctl", "postgres").allMatch(b -> Files.isExecutable(bin.resolve(b)));
    }

    /** The running server: its directory, port and passwords. */
    private static final class Server {
        private final Path bin;
        private final Path dir;
        private final boolean asPostgresUser;
        private final String superuserPassword = UUID.randomUUID().toString();
        private final String ownerPassword = UUID.randomUUID().toString();
        private int port;

        private Server(Path bin, Path dir, boolean asPostgresUser) {
            this.bin = bin;
            this.dir = dir;
            this.asPostgresUser = asPostgresUser;
        }

        static Server start() {
            Path bin = binaries();
            if (bin == null) {
                throw new IllegalStateException("PostgreSQL is not installed: no /usr/lib/postgresql/<version>/bin "
                        + "(apt-get install postgresql) and no PARLEY_TEST_PG_BIN");
            }
            boolean root = "root".equals(System.getProperty("user.name"));
            Server s;
            try {
                s = new Server(bin, Files.createTempDirectory("parley-pg-"), root);
                Runtime.getRuntime().addShutdownHook(new Thread(s::stop, "parley-test-postgres-stop"));
                s.initdb();
                s.startOnFreePort();
                try (Connection c = s.superuser(); Statement st = c.createStatement()) {
                    st.execute("CREATE ROLE " + OWNER + " LOGIN PASSWORD '" + s.ownerPassword + "'");
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the test PostgreSQL: " + e.getMessage(), e);
            } catch (SQLException e) {
                throw new IllegalStateException("cannot set up the test PostgreSQL: " + e.getMessage(), e);
            }
            return s;
        }

        private void initdb() throws IOException {
            Path pwfile = dir.resolve("superuser-password");
            Files.writeString(pwfile, superuserPassword + "\n", StandardCharsets.UTF_8);
            if (asPostgresUser) {
                giveToPostgres(dir);
                giveToPostgres(pwfile);
            }
            run(START_SECONDS, "initdb", "-D", dir.resolve("data").toString(), "-U", "postgres",
                    "--pwfile=" + pwfile, "--auth=scram-sha-256", "--encoding=UTF8", "--no-locale", "--no-sync");
        }

        /** Starts the server on a free port; another process may take the port first, so a few tries. */
        private void startOnFreePort() throws IOException {
            IOException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = probe.getLocalPort();
                }
                try {
                    startOnPort();
                    return;
                } catch (IOException e) {
                    last = e;
                }
            }
            throw last;
        }

        /** Stops the server (fast shutdown: its data kept). */
        synchronized void stopKeepingData() throws IOException {
            run(30, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "fast", "-w", "stop");
        }

        /** Starts a server stopped by {@link #stopKeepingData} again on the same port. */
        synchronized void startAgain() throws IOException {
            startOnPort();
        }

        /** Starts the server on {@link #port}, waiting until it takes connections. */
        private void startOnPort() throws IOException {
            run(START_SECONDS + 10, "pg_ctl", "-D", dir.resolve("data").toString(), "-l",
                    dir.resolve("server.log").toString(), "-w", "-t", Integer.toString(START_SECONDS), "-o",
                    "-p " + port + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=" + dir
                            + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
                            + " -c max_connections=200",
                    "start");
        }

        Connection superuser() throws SQLException {
            return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres",
                    superuserPassword);
        }

        void stop() {
            try {
                if (Files.isDirectory(dir.resolve("data"))) {
                    run(30, "pg_ctl", "-D", dir.resolve("data").toString(), "-m", "immediate", "-w", "stop");
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("test PostgreSQL did not stop: " + e.getMessage());
            } finally {
                deleteTree(dir);
            }
        }

        /** Runs one of the PostgreSQL programs (as {@code postgres} when we are root), within {@code seconds}. */
        private void run(int seconds, String program, String... args) throws IOException {
            List<String> command = new ArrayList<>();
            if (asPostgresUser) {
                command.addAll(List.of("runuser", "-u", "postgres", "--"));
            }
            command.add(bin.resolve(program).toString());
            command.addAll(List.of(args));
            Path out = Files.createTempFile(dir, program, ".out");
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(out.toFile()).start();
            try {
                if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new IOException(program + " did not finish within " + seconds + " s: " + tail(out));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
                throw new IOException(program + " interrupted", e);
            }
            if (p.exitValue() != 0) {
                throw new IOException(program + " failed (exit " + p.exitValue() + "): " + tail(out)
                        + (Files.exists(dir.resolve("server.log")) ? " / server log: " + tail(dir.resolve("server.log")) : ""));
            }
        }

        private static String tail(Path file) {
            try {
                String text = Files.readString(file).strip();
                return text.length() > 2000 ? "…" + text.substring(text.length() - 2000) : text;
            } catch (IOException e) {
                return "(no output)";
            }
        }

        private static void giveToPostgres(Path path) throws IOException {
            UserPrincipalLookupService users = FileSystems.getDefault().getUserPrincipalLookupService();
            UserPrincipal user = users.lookupPrincipalByName("postgres");
            GroupPrincipal group = users.lookupPrincipalByGroupName("postgres");
            PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
            view.setOwner(user);
            view.setGroup(group);
        }

        private static void deleteTree(Path root) {
            try (Stream<Path> all = Files.walk(root)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a temporary directory: the system cleans it up in the end
            }
        }
    }
}
