package dev.parley.server.config;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a server run is configured with. Every limit is a named value with a default;
 * build one with {@link #builder()}.
 */
public record ServerConfig(
        String host,
        int port,
        int portAttempts,
        int tlsPort,
        Path tlsCert,
        Path tlsKey,
        int stsDuration,
        boolean stsPreload,
        int proxyPort,
        boolean proxyTls,
        List<String> proxyFrom,
        int httpPort,
        int httpsPort,
        String httpHost,
        String httpOrigins,
        List<String> httpProxyFrom,
        int metricsPort,
        String metricsHost,
        EngineKind engine,
        String serverName,
        String networkName,
        String version,
        Path dataDir,
        Path motdFile,
        int maxConnections,
        int maxConnectionsPerAddress,
        List<String> trustedAddresses,
        int floodBurst,
        int floodRate,
        int recvQBytes,
        int nickLength,
        int userLength,
        int channelLength,
        int topicLength,
        int kickLength,
        int awayLength,
        int maxChannelsPerUser,
        int maxTargets,
        int sendQBytes,
        int maxTagBytes,
        int maxLineBytes,
        Duration pingInterval,
        Duration pingTimeout,
        Duration registrationTimeout,
        Duration shutdownGrace,
        int whowasSize,
        int modesPerCommand,
        int maxListEntries,
        int monitorLimit,
        String adminLocation,
        String adminEmail,
        List<Operator> operators,
        List<WebIrc> webirc,
        Path configFile,
        int nioLoops,
        boolean rememberHosts,
        int rememberHostsMax,
        StoreKind store,
        PostgresUrl storeUrl,
        Path storePasswordFile,
        int storePoolSize,
        boolean historyEnabled,
        int historyReplay,
        int historyKeepPerTarget,
        Duration historyMaxAge,
        int historyMaxTotal,
        Duration redactWindow,
        Duration nickProtectionGrace,
        int loginMaxFailures,
        Duration loginLockout,
        int loginMaxFailuresPerAccount,
        int hashingThreads,
        int hashingQueue,
        int accountsPerAddress,
        Duration accountWindow,
        boolean cloak,
        String cloakSuffix,
        int connectRate,
        Duration connectWindow,
        int ipv6Group,
        int rangeConnectRate,
        int rangeIpv4Prefix,
        int rangeIpv6Prefix,
        int scramIterations,
        int certsPerAccount,
        int channelsPerAccount,
        int channelAccessMax,
        boolean utf8Only,
        int multilineMaxBytes,
        int multilineMaxLines,
        String historyTagmsg,
        int minPasswordLength,
        boolean emailRequired,
        boolean registerBeforeConnect,
        boolean customAccountName,
        String serverPasswordHash,
        Duration tokenLifetime,
        int tokensPerAccount,
        Cluster cluster,
        Udp udp,
        Clock clock) {

    /**
     * Clustering: this server is one node of a network of them that share state and traffic
     * through NATS JetStream. Off unless {@code urls} is given.
     *
     * @param urls     the NATS servers, comma-separated {@code nats://host:port} URLs; null is off
     * @param nodeName this node's name, unique in the network; null: the server name
     * @param lease    how long a node stays in the network after its last heartbeat
     * @param replicas copies JetStream keeps of the network's changes (1 to 5; at most the NATS servers)
     * @param timeout  how long a change may wait for the network to agree before it fails
     * @param snapshotEvery changes between two snapshots of the network's state, from which a
     *                 starting node catches up (the changes before a snapshot are then dropped)
     * @param heldMax  messages from other nodes held at most while this node catches up with the
     *                 changes they follow; more are dropped (and counted in the log)
     */
    public record Cluster(String urls, String nodeName, Duration lease, int replicas, Duration timeout,
                          int snapshotEvery, int heldMax) {
        public static final Cluster OFF = new Cluster(null, null, Duration.ofSeconds(10), 3, Duration.ofSeconds(5), 10_000,
                100_000);

        public Cluster {
            if (urls != null) {
                urls = urls.strip();
                if (urls.isEmpty()) {
                    urls = null;
                } else {
                    for (String u : urls.split(",")) {
                        String t = u.strip();
                        if (!(t.startsWith("nats://") || t.startsWith("tls://")) || t.length() < 8) {
                            throw new IllegalArgumentException("cluster URL '" + t + "' (--cluster) must look like"
                                    + " nats://host:4222 (or tls://host:4222); separate several with commas");
                        }
                    }
                }
            }
            if (nodeName != null && !nodeName.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,31}")) {
                throw new IllegalArgumentException("node name '" + nodeName + "' (--node-name) must be 1 to 32 letters,"
                        + " digits, '-' or '_', starting with a letter or digit");
            }
            requirePositive("cluster lease", lease);
            requireRange("cluster replicas", replicas, 1, 5);
            requirePositive("cluster timeout", timeout);
            requireRange("changes between cluster snapshots", snapshotEvery, 10, 100_000_000);
            requireRange("messages held for the network's changes", heldMax, 100, 10_000_000);
        }

        public boolean enabled() {
            return urls != null;
        }

        public Cluster withUrls(String v) {
            return new Cluster(v, nodeName, lease, replicas, timeout, snapshotEvery, heldMax);
        }

        public Cluster withNodeName(String v) {
            return new Cluster(urls, v, lease, replicas, timeout, snapshotEvery, heldMax);
        }

        public Cluster withLease(Duration v) {
            return new Cluster(urls, nodeName, v, replicas, timeout, snapshotEvery, heldMax);
        }

        public Cluster withReplicas(int v) {
            return new Cluster(urls, nodeName, lease, v, timeout, snapshotEvery, heldMax);
        }

        public Cluster withSnapshotEvery(int v) {
            return new Cluster(urls, nodeName, lease, replicas, timeout, v, heldMax);
        }

        public Cluster withHeldMax(int v) {
            return new Cluster(urls, nodeName, lease, replicas, timeout, snapshotEvery, v);
        }

        public Cluster withTimeout(Duration v) {
            return new Cluster(urls, nodeName, lease, replicas, v, snapshotEvery, heldMax);
        }
    }

    /**
     * The UDP door: datagram users chat in one channel. Off unless a port is given.
     *
     * @param port            UDP port; {@code -1} is off, {@code 0} takes any free port
     * @param channel         the channel UDP participants are in
     * @param maxDatagram     bytes one datagram may carry; a longer one is refused
     * @param idleTimeout     a participant silent this long is removed
     * @param rate            datagrams per second one address may send, steady
     * @param burst           datagrams one address may send at once before the rate applies
     * @param maxParticipants UDP participants at once
     */
    public record Udp(int port, String channel, int maxDatagram, Duration idleTimeout, int rate, int burst,
            int maxParticipants) {
        public static final Udp OFF = new Udp(-1, "#udp", 512, Duration.ofSeconds(300), 10, 20, 1000);

        public Udp {
            Objects.requireNonNull(channel, "udp channel");
            requireRange("UDP port", port, -1, 65535);
            if (!dev.parley.protocol.Names.isValidChannel(channel, 50) || !channel.startsWith("#")) {
                throw new IllegalArgumentException("UDP channel must be a channel name like #udp, not '" + channel + "'");
            }
            requireRange("UDP datagram bytes", maxDatagram, 64, 8192);
            requirePositive("UDP idle timeout", idleTimeout);
            requireRange("UDP rate", rate, 1, 100_000);
            requireRange("UDP burst", burst, 1, 100_000);
            requireRange("UDP participants", maxParticipants, 1, 1_000_000);
        }

        public boolean enabled() {
            return port >= 0;
        }

        public Udp withPort(int p) {
            return new Udp(p, channel, maxDatagram, idleTimeout, rate, burst, maxParticipants);
        }

        public Udp withChannel(String c) {
            return new Udp(port, c, maxDatagram, idleTimeout, rate, burst, maxParticipants);
        }

        public Udp withMaxDatagram(int n) {
            return new Udp(port, channel, n, idleTimeout, rate, burst, maxParticipants);
        }

        public Udp withIdleTimeout(Duration d) {
            return new Udp(port, channel, maxDatagram, d, rate, burst, maxParticipants);
        }

        public Udp withRate(int perSecond) {
            return new Udp(port, channel, maxDatagram, idleTimeout, perSecond, burst, maxParticipants);
        }

        public Udp withBurst(int datagrams) {
            return new Udp(port, channel, maxDatagram, idleTimeout, rate, datagrams, maxParticipants);
        }

        public Udp withMaxParticipants(int n) {
            return new Udp(port, channel, maxDatagram, idleTimeout, rate, burst, n);
        }
    }

    /** Where accounts, history and remembered hosts live. */
    public enum StoreKind {
        /** A SQLite file in the data directory (the default): survives restarts. */
        SQLITE,
        /** An in-memory database: nothing survives a restart. */
        MEMORY,
        /** A PostgreSQL database ({@link ServerConfig#storeUrl()}): survives restarts. */
        POSTGRESQL;

        /** {@code sqlite} or {@code memory}; a PostgreSQL store is named by its URL ({@link Builder#store(String)}). */
        public static StoreKind parse(String s) {
            for (StoreKind k : List.of(SQLITE, MEMORY)) {
                if (k.name().equalsIgnoreCase(s)) {
                    return k;
                }
            }
            throw new IllegalArgumentException("unknown store '" + s
                    + "' (choose sqlite, memory or a URL postgresql://user@host:5432/database)");
        }

        /** Whether what is stored survives a restart. */
        public boolean persistent() {
            return this != MEMORY;
        }
    }

    /** The store as logs, the console and {@code --help} show it: its kind, or its URL with the password masked. */
    public String storeShown() {
        return store == StoreKind.POSTGRESQL ? storeUrl.shown() : store.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A server operator account: OPER name and password (stored only as an Argon2id hash),
     * the user@host masks it may be used from (at least one: {@code "*@*"} must be written out
     * to allow any host), and an optional visible host once opered ({@code null} or empty for none).
     */
    public record Operator(String name, String passwordHash, List<String> hosts, String vhost) {
        /** The longest operator name and user@host mask. */
        static final int MAX_NAME = 64;
        static final int MAX_MASK = 320;

        public Operator {
            Objects.requireNonNull(name, "operator name");
            Objects.requireNonNull(passwordHash, "operator password hash");
            ConfigText.word("operator name", name, MAX_NAME);
            if (!passwordHash.startsWith("$argon2id$")) {
                throw new IllegalArgumentException("operator " + name
                        + ": password-hash must be an Argon2id hash (make one with 'parley hash-password')");
            }
            if (hosts == null || hosts.isEmpty()) {
                throw new IllegalArgumentException("operator " + name
                        + ": hosts must list the user@host masks it may be used from, e.g. [\"*@127.0.0.1\"]"
                        + " ([\"*@*\"] allows any host)");
            }
            hosts = List.copyOf(hosts);
            ConfigText.words("operator " + name + ": hosts entry", hosts, MAX_MASK);
            if (vhost != null && !vhost.isEmpty()) {
                ConfigText.hostName("operator " + name + ": vhost", vhost);
            }
        }
    }

    /**
     * A WEBIRC gateway (a web chat that connects on its users' behalf): its name, the Argon2id
     * hash of its password, and the addresses or CIDR blocks it connects from.
     */
    public record WebIrc(String name, String passwordHash, List<String> hosts) {
        public WebIrc {
            Objects.requireNonNull(name, "gateway name");
            Objects.requireNonNull(passwordHash, "gateway password hash");
            ConfigText.word("webirc gateway name", name, Operator.MAX_NAME);
            if (!passwordHash.startsWith("$argon2id$")) {
                throw new IllegalArgumentException("webirc gateway " + name
                        + ": password-hash must be an Argon2id hash (make one with 'parley hash-password')");
            }
            if (hosts == null || hosts.isEmpty()) {
                throw new IllegalArgumentException("webirc gateway " + name
                        + ": hosts must list the addresses or CIDR blocks it connects from, e.g. [\"127.0.0.1\"]");
            }
            hosts = List.copyOf(hosts);
            try {
                AddressSet.parse(hosts);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("webirc gateway " + name + ": hosts must be IP addresses or CIDR blocks, got "
                        + hosts);
            }
        }

        @Override
        public String toString() {
            return "WebIrc[" + name + " " + hosts + "]"; // never the hash
        }
    }

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(engine, "engine");
        Objects.requireNonNull(serverName, "serverName");
        Objects.requireNonNull(networkName, "networkName");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(clock, "clock");
        requireRange("port", port, -1, 65535);
        requireRange("TLS port", tlsPort, -1, 65535);
        if (port < 0 && tlsPort < 0) {
            throw new IllegalArgumentException("both listeners are off (--port -1 and --tls-port -1): turn one on");
        }
        requireRange("STS duration", stsDuration, 0, Integer.MAX_VALUE);
        if (stsDuration > 0 && tlsPort < 0) {
            throw new IllegalArgumentException("--sts-duration needs the TLS listener (--tls-port): STS sends clients to it");
        }
        requireRange("PROXY port", proxyPort, -1, 65535);
        requireRange("HTTP port", httpPort, -1, 65535);
        requireRange("HTTPS port", httpsPort, -1, 65535);
        requireRange("metrics port", metricsPort, -1, 65535);
        httpHost = httpHost == null ? "" : httpHost.strip();
        metricsHost = metricsHost == null ? "" : metricsHost.strip();
        httpOrigins = httpOrigins == null ? "" : httpOrigins.strip();
        httpProxyFrom = httpProxyFrom == null ? List.of() : List.copyOf(httpProxyFrom);
        AddressSet.parse(httpProxyFrom);

        if (proxyTls && tlsPort < 0) {
            throw new IllegalArgumentException("--proxy-tls marks the TLS listener, which is off (--tls-port -1)");
        }
        proxyFrom = proxyFrom == null ? List.of() : List.copyOf(proxyFrom);
        AddressSet.parse(proxyFrom); // fails with a clear message on a bad entry
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together: give both, or neither for a self-signed certificate");
        }
        requireRange("port attempts", portAttempts, 1, 1000);
        requireRange("max connections", maxConnections, 1, 10_000_000);
        requireRange("connections per address", maxConnectionsPerAddress, 1, 10_000_000);
        trustedAddresses = trustedAddresses == null ? List.of() : List.copyOf(trustedAddresses);
        webirc = webirc == null ? List.of() : List.copyOf(webirc);
        AddressSet.parse(trustedAddresses); // fails with a clear message on a bad entry
        requireRange("flood burst", floodBurst, 1, 100_000);
        requireRange("flood rate", floodRate, 1, 100_000);
        requireRange("RecvQ bytes", recvQBytes, 512, 1 << 26);
        requireRange("nick length", nickLength, 1, 255);
        requireRange("user length", userLength, 1, 255);
        requireRange("channel length", channelLength, 2, 255);
        requireRange("topic length", topicLength, 1, 400);
        requireRange("kick length", kickLength, 1, 400);
        requireRange("away length", awayLength, 1, 400);
        requireRange("channels per user", maxChannelsPerUser, 1, 100_000);
        requireRange("targets per command", maxTargets, 1, 1000);
        requireRange("SendQ bytes", sendQBytes, 1024, Integer.MAX_VALUE);
        requireRange("tag bytes", maxTagBytes, 1, 1 << 20);
        requireRange("line bytes", maxLineBytes, 64, 1 << 20);
        requirePositive("ping interval", pingInterval);
        requirePositive("ping timeout", pingTimeout);
        requirePositive("registration timeout", registrationTimeout);
        Objects.requireNonNull(shutdownGrace, "shutdownGrace");
        requireRange("whowas size", whowasSize, 0, 1_000_000);
        requireRange("modes per command", modesPerCommand, 1, 100);
        requireRange("list entries", maxListEntries, 1, 100_000);
        requireRange("monitor limit", monitorLimit, 1, 100_000);
        requireRange("multiline max bytes", multilineMaxBytes, 512, 1_000_000);
        requireRange("multiline max lines", multilineMaxLines, 1, 10_000);
        Objects.requireNonNull(historyTagmsg, "historyTagmsg");
        for (String tag : historyTagmsgTags(historyTagmsg)) {
            if (!tag.startsWith("+") || tag.length() < 2 || tag.chars().anyMatch(ch -> ch <= ' ' || ch == ';' || ch == '=')) {
                throw new IllegalArgumentException("history TAGMSG tags must be client-only tags (+name), not \"" + tag + "\"");
            }
        }
        requireRange("selector loops", nioLoops, 0, 1024);
        Objects.requireNonNull(store, "store");
        if ((store == StoreKind.POSTGRESQL) != (storeUrl != null)) {
            throw new IllegalArgumentException(store == StoreKind.POSTGRESQL
                    ? "a PostgreSQL store needs its URL (--store postgresql://user@host:5432/database)"
                    : "a store URL is only for a PostgreSQL store");
        }
        requireRange("store connections (--store-pool-size)", storePoolSize, 1, 100);
        requireRange("history replay", historyReplay, 0, 10_000);
        requireRange("history kept per target", historyKeepPerTarget, 0, 100_000_000);
        Objects.requireNonNull(historyMaxAge, "historyMaxAge");
        requireRange("history kept in all", historyMaxTotal, 0, Integer.MAX_VALUE);
        Objects.requireNonNull(redactWindow, "redactWindow");
        if (redactWindow.isNegative()) {
            throw new IllegalArgumentException("redact window must not be negative");
        }
        requireRange("remembered hosts", rememberHostsMax, 1, 100_000_000);
        requirePositive("nick protection grace", nickProtectionGrace);
        requireRange("login failures before lockout", loginMaxFailures, 1, 1000);
        requirePositive("login lockout", loginLockout);
        requireRange("failed logins per account before lockout", loginMaxFailuresPerAccount, 1, 1_000_000);
        requireRange("hashing threads", hashingThreads, 0, 1024);
        requireRange("hashing queue", hashingQueue, 0, 1_000_000);
        requireRange("accounts per address", accountsPerAddress, 1, 1_000_000);
        requirePositive("account window", accountWindow);
        Objects.requireNonNull(cloakSuffix, "cloakSuffix");
        if (!cloakSuffix.matches("[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,30}[A-Za-z0-9])?){0,3}")) {
            throw new IllegalArgumentException("cloak suffix must be a host name part such as 'ip' or 'users.example.org', got '"
                    + cloakSuffix + "'");
        }
        requireRange("connections per address per window", connectRate, 1, 1_000_000);
        requirePositive("connection window", connectWindow);
        requireRange("IPv6 group prefix length", ipv6Group, 32, 128);
        requireRange("new connections per range per window", rangeConnectRate, 0, 1_000_000);
        requireRange("IPv4 range prefix length", rangeIpv4Prefix, 8, 32);
        requireRange("IPv6 range prefix length", rangeIpv6Prefix, 16, 128);
        requireRange("SCRAM iterations", scramIterations, 4096, 10_000_000);
        requireRange("certificates per account", certsPerAccount, 0, 1000);
        requireRange("registered channels per account", channelsPerAccount, 0, 10_000);
        requireRange("channel access entries", channelAccessMax, 1, 10_000);
        requireRange("minimum password length", minPasswordLength, 1, 300);
        if (serverPasswordHash != null && !serverPasswordHash.startsWith("$argon2id$")) {
            throw new IllegalArgumentException("server password hash (server.password-hash, --server-password-hash) must be"
                    + " an Argon2id hash as `parley hash-password` prints it, starting with $argon2id$");
        }
        Objects.requireNonNull(tokenLifetime, "tokenLifetime");
        if (tokenLifetime.isNegative()) {
            throw new IllegalArgumentException("session token lifetime must not be negative");
        }
        requireRange("session tokens per account", tokensPerAccount, 1, 1000);
        udp = udp == null ? Udp.OFF : udp;
        cluster = cluster == null ? Cluster.OFF : cluster;
        if (cluster.enabled() && udp.enabled()) {
            throw new IllegalArgumentException("the UDP door works on a single server only: in a cluster (--cluster)"
                    + " leave it off (no --udp-port)");
        }
        if (cluster.enabled() && engine == EngineKind.NIO) {
            throw new IllegalArgumentException("a cluster node (--cluster) runs the virtual or threads engine"
                    + " (--engine virtual): the nio engine's loops must not wait for the network");
        }
        if (serverPasswordHash != null && udp.enabled()) {
            throw new IllegalArgumentException("the UDP door has no PASS: with a server password (--server-password-hash)"
                    + " leave it off (no --udp-port)");
        }
        if (udp.enabled() && udp.channel().length() > channelLength) {
            throw new IllegalArgumentException("UDP channel " + udp.channel() + " is longer than the channel length ("
                    + channelLength + ")");
        }
        adminLocation = adminLocation == null ? "" : adminLocation;
        adminEmail = adminEmail == null ? "" : adminEmail;
        operators = operators == null ? List.of() : List.copyOf(operators);
        ConfigText.word("host (server.host, --host)", host, ConfigText.MAX_HOST);
        if (!serverName.matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
            throw new IllegalArgumentException("server name (server.name, --name) must be letters, digits, dots and hyphens: "
                    + ConfigText.quote(serverName));
        }
        ConfigText.hostName("server name (server.name, --name)", serverName);
        ConfigText.word("network name (server.network, --network)", networkName, MAX_NETWORK);
        ConfigText.freeText("admin location (admin.location)", adminLocation);
        ConfigText.freeText("admin email (admin.email)", adminEmail);
    }

    /** The longest network name (ISUPPORT {@code NETWORK}). */
    static final int MAX_NETWORK = 64;

    /** The client-only tags that make a TAGMSG worth storing in history ({@link #historyTagmsg}, split). */
    public java.util.Set<String> historyTagmsgTags() {
        return historyTagmsgTags(historyTagmsg);
    }

    private static java.util.Set<String> historyTagmsgTags(String list) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String t : list.split(",")) {
            if (!t.isBlank() && !t.strip().equalsIgnoreCase("none")) {
                out.add(t.strip());
            }
        }
        return java.util.Set.copyOf(out);
    }

    private static void requireRange(String what, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(what + " must be between " + min + " and " + max + ", not " + v);
        }
    }

    private static void requirePositive(String what, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive");
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Mutable builder with the defaults documented in the README. */
    public static final class Builder {
        private String host = "0.0.0.0";
        private int port = 6667;
        private int portAttempts = 10;
        private int tlsPort = 6697;
        private Path tlsCert;
        private Path tlsKey;
        private int stsDuration;
        private boolean stsPreload;
        private int proxyPort = -1;
        private int httpPort = -1;
        private int httpsPort = -1;
        private String httpHost = "";
        private String httpOrigins = "";
        private List<String> httpProxyFrom = List.of();
        private int metricsPort = -1;
        private String metricsHost = "";
        private boolean proxyTls;
        /** Proxies on this machine: a proxy elsewhere must be named. */
        private List<String> proxyFrom = List.of("127.0.0.1", "::1");
        private EngineKind engine = EngineKind.VIRTUAL;
        private String serverName = "parley.local";
        private String networkName = "Parley";
        private String version = "dev";
        private Path dataDir = Path.of("parley-data");
        private Path motdFile;
        private int maxConnections = 50_000;
        private int maxConnectionsPerAddress = 10;
        /** Nobody by default: users behind a local proxy or bouncer share its loopback address. */
        private List<String> trustedAddresses = List.of();
        private int floodBurst = 10;
        private int floodRate = 2;
        private int recvQBytes = 8192;
        private int nickLength = 30;
        private int userLength = 16;
        private int channelLength = 50;
        private int topicLength = 390;
        private int kickLength = 255;
        private int awayLength = 255;
        private int maxChannelsPerUser = 50;
        private int maxTargets = 4;
        private int sendQBytes = 256 * 1024;
        private int maxTagBytes = 8191;
        private int maxLineBytes = 510;
        private Duration pingInterval = Duration.ofSeconds(120);
        private Duration pingTimeout = Duration.ofSeconds(60);
        private Duration registrationTimeout = Duration.ofSeconds(30);
        private Duration shutdownGrace = Duration.ofSeconds(2);
        private int whowasSize = 1000;
        private int modesPerCommand = 4;
        private int maxListEntries = 100;
        private int monitorLimit = 100;
        private String adminLocation = "";
        private String adminEmail = "";
        private List<Operator> operators = List.of();
        private List<WebIrc> webirc = List.of();
        private Path configFile;
        private int nioLoops;
        private boolean rememberHosts = true;
        private int rememberHostsMax = 100_000;
        private StoreKind store = StoreKind.SQLITE;
        private PostgresUrl storeUrl;
        private Path storePasswordFile;
        private int storePoolSize = 4;
        private boolean historyEnabled = true;
        private int historyReplay = 20;
        private int historyKeepPerTarget = 10_000;
        private Duration historyMaxAge = Duration.ZERO;
        private int historyMaxTotal = 1_000_000;
        private Duration redactWindow = Duration.ZERO;
        private Duration nickProtectionGrace = Duration.ofSeconds(60);
        private int loginMaxFailures = 5;
        private Duration loginLockout = Duration.ofSeconds(30);
        private int loginMaxFailuresPerAccount = 50;
        private int hashingThreads;
        private int hashingQueue = 32;
        private int accountsPerAddress = 3;
        private Duration accountWindow = Duration.ofHours(1);
        private boolean cloak = true;
        private String cloakSuffix = "ip";
        private int connectRate = 10;
        private Duration connectWindow = Duration.ofMinutes(1);
        private int ipv6Group = 64;
        private int rangeConnectRate = 40;
        private int rangeIpv4Prefix = 24;
        private int rangeIpv6Prefix = 48;
        private int scramIterations = 10_000;
        private int certsPerAccount = 5;
        private int channelsPerAccount = 20;
        private int channelAccessMax = 100;
        private boolean utf8Only;
        private int multilineMaxBytes = 4096;
        private int multilineMaxLines = 100;
        private String historyTagmsg = "+draft/react,+react";
        private int minPasswordLength = 8;
        private boolean emailRequired;
        private boolean registerBeforeConnect = true;
        private boolean customAccountName = true;
        private String serverPasswordHash;
        private Duration tokenLifetime = Duration.ofDays(30);
        private int tokensPerAccount = 10;
        private Cluster cluster = Cluster.OFF;
        private Udp udp = Udp.OFF;
        private Clock clock = Clock.systemUTC();

        Builder() {
        }

        Builder(ServerConfig c) {
            host = c.host;
            port = c.port;
            portAttempts = c.portAttempts;
            tlsPort = c.tlsPort;
            tlsCert = c.tlsCert;
            tlsKey = c.tlsKey;
            stsDuration = c.stsDuration;
            stsPreload = c.stsPreload;
            proxyPort = c.proxyPort;
            httpPort = c.httpPort;
            httpsPort = c.httpsPort;
            httpHost = c.httpHost;
            httpOrigins = c.httpOrigins;
            httpProxyFrom = c.httpProxyFrom;
            metricsPort = c.metricsPort;
            metricsHost = c.metricsHost;
            proxyTls = c.proxyTls;
            proxyFrom = c.proxyFrom;
            engine = c.engine;
            serverName = c.serverName;
            networkName = c.networkName;
            version = c.version;
            dataDir = c.dataDir;
            motdFile = c.motdFile;
            maxConnections = c.maxConnections;
            maxConnectionsPerAddress = c.maxConnectionsPerAddress;
            trustedAddresses = c.trustedAddresses;
            floodBurst = c.floodBurst;
            floodRate = c.floodRate;
            recvQBytes = c.recvQBytes;
            nickLength = c.nickLength;
            userLength = c.userLength;
            channelLength = c.channelLength;
            topicLength = c.topicLength;
            kickLength = c.kickLength;
            awayLength = c.awayLength;
            maxChannelsPerUser = c.maxChannelsPerUser;
            maxTargets = c.maxTargets;
            sendQBytes = c.sendQBytes;
            maxTagBytes = c.maxTagBytes;
            maxLineBytes = c.maxLineBytes;
            pingInterval = c.pingInterval;
            pingTimeout = c.pingTimeout;
            registrationTimeout = c.registrationTimeout;
            shutdownGrace = c.shutdownGrace;
            whowasSize = c.whowasSize;
            modesPerCommand = c.modesPerCommand;
            maxListEntries = c.maxListEntries;
            monitorLimit = c.monitorLimit;
            adminLocation = c.adminLocation;
            adminEmail = c.adminEmail;
            operators = c.operators;
            webirc = c.webirc;
            configFile = c.configFile;
            nioLoops = c.nioLoops;
            rememberHosts = c.rememberHosts;
            rememberHostsMax = c.rememberHostsMax;
            store = c.store;
            storeUrl = c.storeUrl;
            storePasswordFile = c.storePasswordFile;
            storePoolSize = c.storePoolSize;
            historyEnabled = c.historyEnabled;
            historyReplay = c.historyReplay;
            historyKeepPerTarget = c.historyKeepPerTarget;
            historyMaxAge = c.historyMaxAge;
            historyMaxTotal = c.historyMaxTotal;
            redactWindow = c.redactWindow;
            nickProtectionGrace = c.nickProtectionGrace;
            loginMaxFailures = c.loginMaxFailures;
            loginLockout = c.loginLockout;
            loginMaxFailuresPerAccount = c.loginMaxFailuresPerAccount;
            hashingThreads = c.hashingThreads;
            hashingQueue = c.hashingQueue;
            accountsPerAddress = c.accountsPerAddress;
            accountWindow = c.accountWindow;
            cloak = c.cloak;
            cloakSuffix = c.cloakSuffix;
            connectRate = c.connectRate;
            connectWindow = c.connectWindow;
            ipv6Group = c.ipv6Group;
            rangeConnectRate = c.rangeConnectRate;
            rangeIpv4Prefix = c.rangeIpv4Prefix;
            rangeIpv6Prefix = c.rangeIpv6Prefix;
            scramIterations = c.scramIterations;
            certsPerAccount = c.certsPerAccount;
            channelsPerAccount = c.channelsPerAccount;
            channelAccessMax = c.channelAccessMax;
            utf8Only = c.utf8Only;
            multilineMaxBytes = c.multilineMaxBytes;
            multilineMaxLines = c.multilineMaxLines;
            historyTagmsg = c.historyTagmsg;
            minPasswordLength = c.minPasswordLength;
            emailRequired = c.emailRequired;
            registerBeforeConnect = c.registerBeforeConnect;
            customAccountName = c.customAccountName;
            serverPasswordHash = c.serverPasswordHash;
            tokenLifetime = c.tokenLifetime;
            tokensPerAccount = c.tokensPerAccount;
            cluster = c.cluster;
            udp = c.udp;
            clock = c.clock;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder port(int v) { port = v; return this; }
        public Builder portAttempts(int v) { portAttempts = v; return this; }
        /** The TLS listener's port; {@code -1} is off, {@code 0} takes any free port. */
        public Builder tlsPort(int v) { tlsPort = v; return this; }
        /** The certificate chain (PEM); null for a self-signed certificate kept in the data directory. */
        public Builder tlsCert(Path v) { tlsCert = v; return this; }
        /** The certificate's private key (PEM: PKCS#8, or traditional RSA or EC). */
        public Builder tlsKey(Path v) { tlsKey = v; return this; }
        /** Seconds a client should insist on TLS (IRCv3 STS); 0 advertises no policy. */
        public Builder stsDuration(int v) { stsDuration = v; return this; }
        /** Whether the STS policy says the server agrees to be preloaded into clients. */
        public Builder stsPreload(boolean v) { stsPreload = v; return this; }
        /** A plain listener whose connections start with a PROXY protocol header; -1 is off. */
        public Builder proxyPort(int v) { proxyPort = v; return this; }
        /** The HTTP listener (web chat page, WebSocket, metrics, health); -1 off, 0 any free port. */
        public Builder httpPort(int v) { httpPort = v; return this; }
        /** The HTTPS listener, with the TLS certificate; -1 off, 0 any free port. */
        public Builder httpsPort(int v) { httpsPort = v; return this; }
        /** The address the HTTP and HTTPS listeners bind; empty: the IRC host. */
        public Builder httpHost(String v) { httpHost = v; return this; }
        /** Origins (comma-separated) browsers may open WebSockets from besides the page's own; {@code *} for any. */
        public Builder httpOrigins(String v) { httpOrigins = v; return this; }
        /** Reverse proxies whose X-Forwarded-For names the client's address. */
        public Builder httpProxyFrom(List<String> v) { httpProxyFrom = v; return this; }
        /** A listener of its own for /metrics; -1: /metrics is served on the HTTP listener. */
        public Builder metricsPort(int v) { metricsPort = v; return this; }
        /** The address the metrics listener binds; empty: the HTTP host. */
        public Builder metricsHost(String v) { metricsHost = v; return this; }
        /** Whether the TLS listener's connections start with a PROXY protocol header. */
        public Builder proxyTls(boolean v) { proxyTls = v; return this; }
        /** Addresses and CIDR blocks PROXY headers are accepted from. */
        public Builder proxyFrom(List<String> v) { proxyFrom = v; return this; }
        public Builder engine(EngineKind v) { engine = v; return this; }
        public Builder serverName(String v) { serverName = v; return this; }
        public Builder networkName(String v) { networkName = v; return this; }
        public Builder version(String v) { version = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder motdFile(Path v) { motdFile = v; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder maxConnectionsPerAddress(int v) { maxConnectionsPerAddress = v; return this; }
        /** Addresses and CIDR blocks excused from the per-address limit and from flood control. */
        public Builder trustedAddresses(List<String> v) { trustedAddresses = v; return this; }
        public Builder floodBurst(int v) { floodBurst = v; return this; }
        public Builder floodRate(int v) { floodRate = v; return this; }
        public Builder recvQBytes(int v) { recvQBytes = v; return this; }
        public Builder nickLength(int v) { nickLength = v; return this; }
        public Builder userLength(int v) { userLength = v; return this; }
        public Builder channelLength(int v) { channelLength = v; return this; }
        public Builder topicLength(int v) { topicLength = v; return this; }
        public Builder kickLength(int v) { kickLength = v; return this; }
        public Builder awayLength(int v) { awayLength = v; return this; }
        public Builder maxChannelsPerUser(int v) { maxChannelsPerUser = v; return this; }
        public Builder maxTargets(int v) { maxTargets = v; return this; }
        public Builder sendQBytes(int v) { sendQBytes = v; return this; }
        public Builder maxTagBytes(int v) { maxTagBytes = v; return this; }
        public Builder maxLineBytes(int v) { maxLineBytes = v; return this; }
        public Builder pingInterval(Duration v) { pingInterval = v; return this; }
        public Builder pingTimeout(Duration v) { pingTimeout = v; return this; }
        public Builder registrationTimeout(Duration v) { registrationTimeout = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder whowasSize(int v) { whowasSize = v; return this; }
        public Builder modesPerCommand(int v) { modesPerCommand = v; return this; }
        public Builder maxListEntries(int v) { maxListEntries = v; return this; }
        /** Nicks one client may watch with MONITOR (ISUPPORT {@code MONITOR}). */
        public Builder monitorLimit(int v) { monitorLimit = v; return this; }
        public Builder adminLocation(String v) { adminLocation = v; return this; }
        public Builder adminEmail(String v) { adminEmail = v; return this; }
        public Builder operators(List<Operator> v) { operators = v; return this; }
        /** WEBIRC gateways ({@code [[webirc]]} tables). */
        public Builder webirc(List<WebIrc> v) { webirc = v; return this; }
        public Builder configFile(Path v) { configFile = v; return this; }
        /** Selector loops for the nio engine; 0 means one per available core. */
        public Builder nioLoops(int v) { nioLoops = v; return this; }
        public Builder rememberHosts(boolean v) { rememberHosts = v; return this; }
        public Builder rememberHostsMax(int v) { rememberHostsMax = v; return this; }
        /** {@code SQLITE} or {@code MEMORY}; for PostgreSQL, {@link #store(PostgresUrl)}. */
        public Builder store(StoreKind v) { store = v; storeUrl = null; return this; }
        /** A PostgreSQL store at {@code url}. */
        public Builder store(PostgresUrl url) { store = StoreKind.POSTGRESQL; storeUrl = Objects.requireNonNull(url); return this; }
        /** {@code sqlite}, {@code memory}, or a PostgreSQL URL ({@link PostgresUrl#parse}). */
        public Builder store(String v) {
            return PostgresUrl.isUrl(v) ? store(PostgresUrl.parse(v)) : store(StoreKind.parse(v));
        }
        public Builder storePasswordFile(Path v) { storePasswordFile = v; return this; }
        public Builder storePoolSize(int v) { storePoolSize = v; return this; }
        public Builder historyEnabled(boolean v) { historyEnabled = v; return this; }
        public Builder historyReplay(int v) { historyReplay = v; return this; }
        public Builder historyKeepPerTarget(int v) { historyKeepPerTarget = v; return this; }
        public Builder historyMaxAge(Duration v) { historyMaxAge = v; return this; }
        public Builder historyMaxTotal(int v) { historyMaxTotal = v; return this; }
        /** How long after sending a user may still REDACT their own message; zero: no limit. */
        public Builder redactWindow(Duration v) { redactWindow = v; return this; }
        public Builder nickProtectionGrace(Duration v) { nickProtectionGrace = v; return this; }
        public Builder loginMaxFailures(int v) { loginMaxFailures = v; return this; }
        public Builder loginLockout(Duration v) { loginLockout = v; return this; }
        /** Failed logins to one account, from all addresses together, before that account's lockout. */
        public Builder loginMaxFailuresPerAccount(int v) { loginMaxFailuresPerAccount = v; return this; }
        /** Threads hashing passwords (Argon2) at once, server-wide; 0 means one per available core. */
        public Builder hashingThreads(int v) { hashingThreads = v; return this; }
        /** Password checks that may wait for a hashing thread; past it the client is told to try later. */
        public Builder hashingQueue(int v) { hashingQueue = v; return this; }
        /** Accounts one address may register per {@link #accountWindow}. */
        public Builder accountsPerAddress(int v) { accountsPerAddress = v; return this; }
        public Builder accountWindow(Duration v) { accountWindow = v; return this; }
        /** Other users see a keyed-hash cloak instead of a client's address. */
        public Builder cloak(boolean v) { cloak = v; return this; }
        /** The last part of every cloak, e.g. {@code ip}. */
        public Builder cloakSuffix(String v) { cloakSuffix = v; return this; }
        /** New connections one address (IPv6: one {@link #ipv6Group} network) may open per {@link #connectWindow}; trusted addresses are excused. */
        public Builder connectRate(int v) { connectRate = v; return this; }
        public Builder connectWindow(Duration v) { connectWindow = v; return this; }
        /** The prefix length an IPv6 address counts by in the per-address limits (one user is usually given a /64). */
        public Builder ipv6Group(int v) { ipv6Group = v; return this; }
        /** New connections one range may open per {@link #connectWindow}; 0 turns the range limit off. */
        public Builder rangeConnectRate(int v) { rangeConnectRate = v; return this; }
        /** The IPv4 range {@link #rangeConnectRate} counts by, as a prefix length. */
        public Builder rangeIpv4Prefix(int v) { rangeIpv4Prefix = v; return this; }
        /** The IPv6 range {@link #rangeConnectRate} counts by, as a prefix length. */
        public Builder rangeIpv6Prefix(int v) { rangeIpv6Prefix = v; return this; }
        /**
         * PBKDF2 iterations of the SCRAM-SHA-256 verifiers made when a password is set (RFC 7677: at
         * least 4096). The client repeats them at every SCRAM login; a stolen database costs an
         * attacker as many per guess.
         */
        public Builder scramIterations(int v) { scramIterations = v; return this; }
        /** Client certificates one account may bind (NickServ CERT ADD); 0 turns CERT ADD off. */
        public Builder certsPerAccount(int v) { certsPerAccount = v; return this; }
        /** Channels one account may have registered with ChanServ as founder; 0 turns ChanServ REGISTER off. */
        public Builder channelsPerAccount(int v) { channelsPerAccount = v; return this; }
        /** Accounts one registered channel's access list may hold. */
        public Builder channelAccessMax(int v) { channelAccessMax = v; return this; }
        /**
         * Refuse lines that are not valid UTF-8 ({@code FAIL <command> INVALID_UTF8}) and say so in
         * ISUPPORT ({@code UTF8ONLY}); off, invalid sequences are read as U+FFFD.
         */
        public Builder utf8Only(boolean v) { utf8Only = v; return this; }
        /** Most bytes of text one draft/multiline batch may carry (the lines and the line feeds joining them). */
        public Builder multilineMaxBytes(int v) { multilineMaxBytes = v; return this; }
        /** Most lines one draft/multiline batch may carry. */
        public Builder multilineMaxLines(int v) { multilineMaxLines = v; return this; }
        /** Client-only tags (comma-separated) that make a TAGMSG worth storing in history. */
        public Builder historyTagmsg(String v) { historyTagmsg = v; return this; }
        /** Shortest password an account may have (REGISTER, NickServ REGISTER and PASSWORD). */
        public Builder minPasswordLength(int v) { minPasswordLength = v; return this; }
        /** A new account needs an e-mail address (draft/account-registration {@code email-required}). */
        public Builder emailRequired(boolean v) { emailRequired = v; return this; }
        /** REGISTER is served before connection registration completes ({@code before-connect}). */
        public Builder registerBeforeConnect(boolean v) { registerBeforeConnect = v; return this; }
        /** REGISTER may name an account other than the current nick ({@code custom-account-name}). */
        public Builder customAccountName(boolean v) { customAccountName = v; return this; }
        /** The Argon2id hash of the server password every client must send with PASS; null for none. */
        public Builder serverPasswordHash(String v) { serverPasswordHash = v; return this; }
        /** How long a session token logs in after it is issued; zero turns tokens off. */
        public Builder tokenLifetime(Duration v) { tokenLifetime = v; return this; }
        /** Session tokens one account may hold; issuing one more revokes the oldest. */
        public Builder tokensPerAccount(int v) { tokensPerAccount = v; return this; }
        public Builder cluster(Cluster v) { cluster = v; return this; }
        /** The cluster settings so far, for settings that change one of its values. */
        Cluster cluster() { return cluster; }
        public Builder udp(Udp v) { udp = v; return this; }
        /** The UDP door as set so far, for settings that change one of its values. */
        Udp udp() { return udp; }
        public Builder clock(Clock v) { clock = v; return this; }

        public ServerConfig build() {
            return new ServerConfig(host, port, portAttempts, tlsPort, tlsCert, tlsKey, stsDuration, stsPreload, proxyPort, proxyTls, proxyFrom, httpPort, httpsPort, httpHost, httpOrigins, httpProxyFrom, metricsPort, metricsHost, engine, serverName, networkName, version, dataDir,
                    motdFile, maxConnections, maxConnectionsPerAddress, trustedAddresses, floodBurst, floodRate,
                    recvQBytes, nickLength, userLength, channelLength, topicLength, kickLength,
                    awayLength, maxChannelsPerUser, maxTargets, sendQBytes, maxTagBytes, maxLineBytes, pingInterval,
                    pingTimeout, registrationTimeout, shutdownGrace, whowasSize, modesPerCommand, maxListEntries, monitorLimit, adminLocation,
                    adminEmail, operators, webirc, configFile, nioLoops, rememberHosts, rememberHostsMax, store, storeUrl, storePasswordFile, storePoolSize, historyEnabled, historyReplay, historyKeepPerTarget,
                    historyMaxAge, historyMaxTotal, redactWindow, nickProtectionGrace, loginMaxFailures, loginLockout,
                    loginMaxFailuresPerAccount, hashingThreads, hashingQueue, accountsPerAddress, accountWindow, cloak, cloakSuffix, connectRate, connectWindow, ipv6Group, rangeConnectRate, rangeIpv4Prefix, rangeIpv6Prefix, scramIterations, certsPerAccount, channelsPerAccount, channelAccessMax, utf8Only, multilineMaxBytes, multilineMaxLines, historyTagmsg,
                    minPasswordLength, emailRequired, registerBeforeConnect, customAccountName, serverPasswordHash,
                    tokenLifetime, tokensPerAccount, cluster, udp, clock);
        }
    }
}
