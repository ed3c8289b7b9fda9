package dev.parley.server;

import dev.parley.server.cluster.ClusterNode;
import dev.parley.server.command.CommandTable;
import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.PostgresUrl;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.config.TlsSource;
import dev.parley.server.core.Hub;
import dev.parley.server.diag.DeadlockWatchdog;
import dev.parley.server.engine.BlockingEngine;
import dev.parley.server.engine.Engine;
import dev.parley.server.engine.NioEngine;
import dev.parley.server.session.Sessions;
import dev.parley.server.store.SqlStore;
import dev.parley.server.http.HttpDoor;
import dev.parley.server.http.Metrics;
import dev.parley.server.udp.UdpDoor;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Parley server: a hub and the engine that feeds it. {@link #start} binds the port
 * (trying the next ones when it is taken), {@link #close} shuts down gracefully: stop
 * accepting, tell every client, wait for output to drain up to the grace period, then force,
 * then run the {@linkplain #onShutdown shutdown steps} in order.
 *
 * <p>{@link #pause} and {@link #resume} stop and restart listening on the same address while
 * connected clients carry on.
 */
public final class ParleyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    private final ServerConfig config;
    private final Hub hub;
    private final Sessions sessions;
    private final Engine engine;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** The plain listener's address, or null when it is off. */
    private volatile InetSocketAddress address;
    /** The TLS listener's address, or null when it is off. */
    private volatile InetSocketAddress tlsAddress;
    /** The PROXY protocol listener's address, or null when it is off. */
    private volatile InetSocketAddress proxyAddress;
    /** The TLS material, or null when the TLS listener is off. */
    private final TlsSource tls;
    private volatile UdpDoor udpDoor;
    private volatile HttpDoor httpDoor;
    /** This server as a node of a cluster, or null. */
    private volatile ClusterNode cluster;
    private volatile Metrics metrics;
    private volatile boolean closing;
    private volatile boolean paused;
    private final List<AutoCloseable> shutdownSteps = new CopyOnWriteArrayList<>();
    private final DeadlockWatchdog watchdog = new DeadlockWatchdog();

    private ParleyServer(ConfigSource source) {
        this.hub = new Hub(source);
        this.config = hub.config();
        try {
            hub.attachStore(openStore(config));
        } catch (RuntimeException e) {
            hub.close();
            throw e;
        }
        try {
            this.tls = config.tlsPort() >= 0 || config.httpsPort() >= 0 ? TlsSource.load(config) : null;
        } catch (RuntimeException e) {
            hub.closeStore();
            hub.close();
            throw e;
        }
        if (tls != null) {
            hub.onRehash(tls::reload); // REHASH re-reads the certificate; a broken one fails it
        }
        this.sessions = new Sessions(hub, CommandTable.standard());
        this.engine = switch (config.engine()) {
            case THREADS -> BlockingEngine.platformThreads(sessions);
            case VIRTUAL -> BlockingEngine.virtualThreads(sessions);
            case NIO -> NioEngine.create(sessions);
        };
    }

    /**
     * Opens the configured store. A PostgreSQL password comes from {@code --store-password-file},
     * else {@code $PARLEY_STORE_PASSWORD}, else the URL; no log line shows it.
     */
    private static SqlStore openStore(ServerConfig config) {
        return switch (config.store()) {
            case SQLITE -> SqlStore.openSqlite(config.dataDir(), config.storePoolSize());
            case MEMORY -> SqlStore.openInMemory();
            case POSTGRESQL -> {
                PostgresUrl url = config.storeUrl();
                PostgresUrl.Password password = url.resolvePassword(config.storePasswordFile(), System::getenv);
                if (url.password() != null) {
                    if (password.source() == PostgresUrl.PasswordSource.URL) {
                        LOG.warn("the store URL carries the database password: it is masked in the log, but the process"
                                + " list, shell history and config file show it; prefer --store-password-file or {}",
                                PostgresUrl.PASSWORD_VARIABLE);
                    } else {
                        LOG.warn("the store URL carries a password, which is not used: the {} gives it",
                                password.source() == PostgresUrl.PasswordSource.FILE ? "password file" : "environment");
                    }
                }
                LOG.info("opening the PostgreSQL store {} ({} connections, password {})", url.shown(),
                        config.storePoolSize(), switch (password.source()) {
                            case FILE -> "from " + config.storePasswordFile();
                            case ENVIRONMENT -> "from $" + PostgresUrl.PASSWORD_VARIABLE;
                            case URL -> "from the URL";
                            case NONE -> "none";
                        });
                yield SqlStore.openPostgres(url, password.value(), config.storePoolSize());
            }
        };
    }

    /** Starts a server and returns once it accepts connections. */
    public static ParleyServer start(ServerConfig config) throws IOException {
        return start(ConfigSource.fixed(config));
    }

    /** Starts a server whose configuration can be reloaded (REHASH) from {@code source}. */
    public static ParleyServer start(ConfigSource source) throws IOException {
        ParleyServer server = new ParleyServer(source);
        ServerConfig config = server.config;
        try {
            if (config.cluster().enabled()) {
                server.cluster = new ClusterNode(server.hub, config.cluster(), defaultNodeName(config.serverName()));
                server.hub.useNetwork(server.cluster);
                try {
                    server.cluster.start(Duration.ofSeconds(60));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while joining the network", e);
                }
                server.onShutdown(server.cluster); // after this node's users quit, before the store closes
                server.cluster.onServing(server::clusterServing);
            }
            if (config.port() >= 0) {
                server.address = server.bind(config.port(), null, false);
            }
            if (config.proxyPort() >= 0) {
                server.proxyAddress = server.bind(config.proxyPort(), null, true);
            }
            if (server.tls != null && config.tlsPort() >= 0) {
                server.tlsAddress = server.bind(config.tlsPort(), server.tls, config.proxyTls());
                server.hub.tlsPort(server.tlsAddress.getPort());
            }
            if (config.udp().enabled()) {
                server.udpDoor = UdpDoor.open(server.sessions, config.host(), config.udp());
                server.onShutdown(server.udpDoor); // first step: byes were queued by disconnectAll
            }
            if (config.httpPort() >= 0 || config.httpsPort() >= 0) {
                server.metrics = new Metrics(server.hub, server.engine.name());
                server.httpDoor = new HttpDoor(server.sessions, server.tls, server.metrics,
                        () -> !server.paused && !server.closing, server::isReady, server::unhealthy);
                server.httpDoor.start();
                server.onShutdown(server.httpDoor);
                server.onShutdown(server.metrics);
            }
        } catch (IOException | RuntimeException e) {
            if (server.httpDoor != null) {
                server.httpDoor.close();
            }
            if (server.cluster != null) {
                server.cluster.close();
            }
            server.engine.close();
            server.hub.closeStore();
            server.hub.close();
            throw e;
        }
        server.watchdog.watch(server.hub.lock());
        server.watchdog.start();
        LOG.info("Parley {} started: engine {}, server name {}", config.version(), server.engine.name(), config.serverName());
        if (server.address != null) {
            LOG.info("listening on {}:{}", config.host(), server.address.getPort());
        }
        if (server.tlsAddress != null) {
            LOG.info("listening for TLS on {}:{}{}", config.host(), server.tlsAddress.getPort(),
                    config.proxyTls() ? " (behind a PROXY header)" : "");
        }
        if (server.proxyAddress != null) {
            LOG.info("listening for PROXY protocol connections on {}:{}", config.host(), server.proxyAddress.getPort());
        }
        return server;
    }

    /** Binds {@code port}, or with the port taken the next ones, {@code portAttempts} in all. */
    private InetSocketAddress bind(int port, TlsSource tlsSource, boolean proxy) throws IOException {
        int attempts = port == 0 ? 1 : config.portAttempts();
        BindException last = null;
        for (int i = 0; i < attempts && port + i <= 65535; i++) {
            try {
                InetSocketAddress bound = engine.listen(new InetSocketAddress(config.host(), port + i), tlsSource, proxy);
                if (i > 0) {
                    LOG.warn("port {} is taken; using {}", port, bound.getPort());
                }
                return bound;
            } catch (BindException e) {
                last = e;
            }
        }
        String range = attempts == 1 ? Integer.toString(port) : port + "-" + Math.min(65535, port + attempts - 1);
        BindException e = new BindException("cannot listen on " + config.host() + " port " + range
                + ": " + (last == null ? "no port tried" : last.getMessage()));
        if (last != null) {
            e.initCause(last);
        }
        throw e;
    }

    /** The plain listener's address, or the TLS listener's when the plain one is off. */
    public InetSocketAddress address() {
        return address != null ? address : tlsAddress;
    }

    /** The port actually listened on (plain, or TLS when the plain listener is off). */
    public int port() {
        return address().getPort();
    }

    /** The PROXY protocol listener's port, or -1 when it is off. */
    public int proxyPort() {
        return proxyAddress == null ? -1 : proxyAddress.getPort();
    }

    /** The TLS listener's port, or -1 when it is off. */
    public int tlsPort() {
        return tlsAddress == null ? -1 : tlsAddress.getPort();
    }

    /** The TLS material new connections get, or null when the TLS listener is off. */
    public TlsSource tls() {
        return tls;
    }

    /**
     * Reads the TLS certificate and key again (REHASH, the console's reload): new connections
     * get them, connected clients keep theirs. Returns the new fingerprint, or null when TLS is
     * off; throws with the reason when the files cannot be used, and the old certificate stays.
     */
    public String reloadTls() {
        if (tls == null) {
            return null;
        }
        return tls.reload(hub.config()).fingerprint();
    }

    /** The UDP door, or null when it is off. */
    public UdpDoor udpDoor() {
        return udpDoor;
    }

    public Hub hub() {
        return hub;
    }

    /** Opens sessions for the engines and admits connections. */
    public Sessions sessions() {
        return sessions;
    }

    public Engine engine() {
        return engine;
    }

    public ServerConfig config() {
        return config;
    }

    /** Checks for deadlocked threads every 10 s; the console's status shows what it found. */
    public DeadlockWatchdog deadlockWatchdog() {
        return watchdog;
    }

    /** Blocks until the server has shut down. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Graceful shutdown with the reason clients are told. */
    public void shutdown(String reason) {
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
        }
        LOG.info("shutting down: {}", reason);
        engine.stopListening();
        if (udpDoor != null) {
            udpDoor.refuseJoins();
        }
        hub.disconnectAll(reason);
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        while (connectionCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Duration.ofMillis(20));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        int forced = connectionCount();
        engine.close();
        if (httpDoor != null) {
            httpDoor.dropAll();
        }
        runShutdownSteps();
        hub.closeStore();
        hub.close();
        watchdog.close();
        LOG.info("server stopped{}", forced > 0 ? " (" + forced + " connections forced closed)" : "");
        stopped.countDown();
    }

    @Override
    public void close() {
        shutdown("Server shutting down");
    }

    /**
     * Adds a step to {@link #shutdown}: steps run in the order added, after every client has
     * been told and its connection closed, before the hub stops (flush history, close the
     * database…). A failing step is logged and the next one still runs.
     */
    public void onShutdown(AutoCloseable step) {
        shutdownSteps.add(step);
    }

    private void runShutdownSteps() {
        for (AutoCloseable step : shutdownSteps) {
            try {
                step.close();
            } catch (Exception e) {
                LOG.error("shutdown step {} failed", step, e);
            }
        }
    }

    /** Connections open now: the engine's and the WebSocket ones. */
    public int connectionCount() {
        HttpDoor h = httpDoor;
        return engine.connectionCount() + (h == null ? 0 : h.connectionCount());
    }

    /** The HTTP door (web page, WebSocket, metrics, health), or null when no HTTP port is set. */
    public HttpDoor httpDoor() {
        return httpDoor;
    }

    /** Ready for users: listening, not paused, not shutting down, the store open. */
    public boolean isReady() {
        ClusterNode c = cluster;
        return !paused && !closing && hub.history() != null && (c == null || c.isServing());
    }

    /** Whether this server stopped listening because its node was cut off from the network. */
    private boolean pausedByCluster;

    /** The node was cut off (stop listening: new users go to other nodes) or serves again (listen again). */
    private synchronized void clusterServing(boolean serving) {
        if (closing) {
            return;
        }
        try {
            if (!serving && !paused) {
                pausedByCluster = pause();
            } else if (serving && pausedByCluster) {
                pausedByCluster = false;
                resume();
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot listen again after the network came back: {}", e.getMessage());
        }
    }

    /** This server as a node of a cluster, or null on a single server. */
    public ClusterNode cluster() {
        return cluster;
    }

    /** A node's name when none is given: the server name's first label. */
    static String defaultNodeName(String serverName) {
        int dot = serverName.indexOf('.');
        String n = (dot > 0 ? serverName.substring(0, dot) : serverName).replaceAll("[^A-Za-z0-9_-]", "-");
        return n.length() > 32 ? n.substring(0, 32) : n;
    }

    /** Why the server is not healthy (a deadlock found), or null. */
    private String unhealthy() {
        var deadlocks = watchdog.current();
        return deadlocks.isEmpty() ? null : "deadlock: " + deadlocks.get(0).summary();
    }

    /** True once {@link #shutdown} has begun. */
    public boolean isShuttingDown() {
        return closing;
    }

    /** True while paused: not listening, connected clients still served. */
    public boolean isPaused() {
        return paused;
    }

    /**
     * Stops listening: the port is released and new connections are refused, while connected
     * clients keep chatting. Returns false when already paused.
     *
     * @throws IllegalStateException when the server is shutting down
     */
    public synchronized boolean pause() {
        if (closing) {
            throw new IllegalStateException("the server is shutting down");
        }
        if (paused) {
            return false;
        }
        engine.stopListening();
        paused = true;
        LOG.info("paused: stopped listening on {}:{}; {} connections stay", config.host(), port(),
                hub.connectionCount());
        return true;
    }

    /**
     * Listens again on the address and port used before {@link #pause}. Returns false when not
     * paused. When the port has been taken meanwhile, throws and stays paused.
     *
     * @throws IllegalStateException when the server is shutting down
     */
    public synchronized boolean resume() throws IOException {
        if (closing) {
            throw new IllegalStateException("the server is shutting down");
        }
        if (!paused) {
            return false;
        }
        int at = port();
        try {
            if (address != null) {
                at = address.getPort();
                address = engine.listen(new InetSocketAddress(config.host(), at));
            }
            if (tlsAddress != null) {
                at = tlsAddress.getPort();
                tlsAddress = engine.listen(new InetSocketAddress(config.host(), at), tls, config.proxyTls());
            }
            if (proxyAddress != null) {
                at = proxyAddress.getPort();
                proxyAddress = engine.listen(new InetSocketAddress(config.host(), at), null, true);
            }
        } catch (IOException e) {
            engine.stopListening();
            LOG.warn("cannot listen again on {}:{}: {}", config.host(), at, e.getMessage());
            BindException failed = new BindException("cannot listen again on " + config.host() + " port "
                    + at + ": " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
        paused = false;
        LOG.info("resumed: listening on {}:{}", config.host(), port());
        return true;
    }
}
