package dev.parley.app;

import ch.qos.logback.core.util.FileSize;
import dev.parley.app.console.OperatorConsole;
import dev.parley.app.console.ServerConsole;
import dev.parley.server.config.ConfigFile;
import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.EngineKind;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.diag.TrafficLog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code parley server}: runs the chat server until stopped from its console, by Ctrl-C or by
 * SIGTERM, writing the event log as it goes.
 */
@Command(name = "server",
        mixinStandardHelpOptions = true,
        versionProvider = Version.Provider.class,
        description = {"Run the IRC-compatible chat server.",
                "While it runs, type operator commands on standard input ('help' lists them)."},
        sortOptions = false)
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Read settings from a TOML file (see parley.example.toml); options given here win. REHASH re-reads it.")
    Path configFile;

    @Option(names = "--host", paramLabel = "H", defaultValue = "0.0.0.0",
            description = "Address to listen on (default: ${DEFAULT-VALUE}, every interface).")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "P", defaultValue = "6667",
            description = "Port to listen on; 0 takes any free port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--port-attempts", paramLabel = "N", defaultValue = "10",
            description = "When the port is taken, try this many ports upward in all (default: ${DEFAULT-VALUE}).")
    int portAttempts;

    @Option(names = "--engine", paramLabel = "E", defaultValue = "virtual", converter = EngineConverter.class,
            description = "I/O engine: virtual (a virtual thread per client), threads (a platform thread per client) or nio (selector loops). Default: ${DEFAULT-VALUE}.")
    EngineKind engine;

    @Option(names = "--nio-loops", paramLabel = "N", defaultValue = "0",
            description = "Selector loops for the nio engine; 0 means one per core (default: ${DEFAULT-VALUE}).")
    int nioLoops;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "parley-data",
            description = "Where the server keeps its data (default: ./${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "parley.local",
            description = "Server name shown to clients (default: ${DEFAULT-VALUE}).")
    String name;

    @Option(names = "--network", paramLabel = "NAME", defaultValue = "Parley",
            description = "Network name shown to clients (default: ${DEFAULT-VALUE}).")
    String network;

    @Option(names = "--motd-file", paramLabel = "F",
            description = "Message of the day, one line per line (default: <data-dir>/motd.txt if it exists).")
    Path motdFile;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "50000",
            description = "Connections held at once; more are told to try later (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--max-connections-per-address", paramLabel = "N", defaultValue = "10",
            description = "Connections from one address; trusted addresses are excused (default: ${DEFAULT-VALUE}).")
    int maxPerAddress;

    @Option(names = "--trusted", paramLabel = "CIDR", split = ",", defaultValue = "127.0.0.0/8,::1",
            description = "Addresses or CIDR blocks excused from the per-address limit and from flood control; 'none' for none (default: ${DEFAULT-VALUE}).")
    java.util.List<String> trusted;

    @Option(names = "--flood-burst", paramLabel = "N", defaultValue = "10",
            description = "Commands a client may send at once before its commands are paced (default: ${DEFAULT-VALUE}).")
    int floodBurst;

    @Option(names = "--flood-rate", paramLabel = "N", defaultValue = "2",
            description = "Commands a second a client is served once its burst is spent; the rest wait (default: ${DEFAULT-VALUE}).")
    int floodRate;

    @Option(names = "--recvq", paramLabel = "BYTES", defaultValue = "8192",
            description = "Waiting input a client may have before it is dropped with 'Excess Flood' (default: ${DEFAULT-VALUE}).")
    int recvQ;

    @Option(names = "--max-targets", paramLabel = "N", defaultValue = "4",
            description = "Targets one PRIVMSG/NOTICE/TAGMSG/WHOIS may name (default: ${DEFAULT-VALUE}).")
    int maxTargets;

    @Option(names = "--channel-length", paramLabel = "N", defaultValue = "50",
            description = "Longest channel name (default: ${DEFAULT-VALUE}).")
    int channelLength;

    @Option(names = "--topic-length", paramLabel = "N", defaultValue = "390",
            description = "Longest topic; longer ones are cut (default: ${DEFAULT-VALUE}).")
    int topicLength;

    @Option(names = "--kick-length", paramLabel = "N", defaultValue = "255",
            description = "Longest kick reason; longer ones are cut (default: ${DEFAULT-VALUE}).")
    int kickLength;

    @Option(names = "--away-length", paramLabel = "N", defaultValue = "255",
            description = "Longest away message; longer ones are cut (default: ${DEFAULT-VALUE}).")
    int awayLength;

    @Option(names = "--sendq", paramLabel = "BYTES", defaultValue = "262144",
            description = "Output a client may have waiting before it is dropped (default: ${DEFAULT-VALUE}).")
    int sendQ;

    @Option(names = "--ping-interval", paramLabel = "SECONDS", defaultValue = "120",
            description = "Idle time before the server pings a client (default: ${DEFAULT-VALUE}).")
    long pingInterval;

    @Option(names = "--ping-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Time a client has to answer a ping (default: ${DEFAULT-VALUE}).")
    long pingTimeout;

    @Option(names = "--registration-timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Time a new connection has to register (default: ${DEFAULT-VALUE}).")
    long registrationTimeout;

    @Option(names = "--max-channels", paramLabel = "N", defaultValue = "50",
            description = "Channels one user may be in (default: ${DEFAULT-VALUE}).")
    int maxChannels;

    @Option(names = "--store", paramLabel = "KIND", defaultValue = "sqlite",
            description = "Where accounts and history live: sqlite (a file in the data dir) or memory (lost on exit). Default: ${DEFAULT-VALUE}.")
    String store;

    @Option(names = "--history-replay", paramLabel = "N", defaultValue = "20",
            description = "Lines of channel history replayed on JOIN; 0 turns replay off (default: ${DEFAULT-VALUE}).")
    int historyReplay;

    @Option(names = "--history-keep", paramLabel = "N", defaultValue = "10000",
            description = "Messages kept per channel or conversation; 0 keeps all (default: ${DEFAULT-VALUE}).")
    int historyKeep;

    @Option(names = "--history-max-age", paramLabel = "DAYS", defaultValue = "0",
            description = "Delete history older than this many days; 0 keeps it (default: ${DEFAULT-VALUE}).")
    int historyMaxAgeDays;

    @Option(names = "--nick-protection-grace", paramLabel = "SECONDS", defaultValue = "60",
            description = "Time to identify before someone using a registered nick is renamed (default: ${DEFAULT-VALUE}).")
    long nickGrace;

    @Option(names = "--login-attempts", paramLabel = "N", defaultValue = "5",
            description = "Failed logins per account or address before logins are refused for a while (default: ${DEFAULT-VALUE}).")
    int loginAttempts;

    @Option(names = "--login-lockout", paramLabel = "SECONDS", defaultValue = "30",
            description = "First lockout after too many failed logins; doubles with each further failure (default: ${DEFAULT-VALUE}).")
    long loginLockout;

    @Option(names = "--no-remember-hosts", negatable = false,
            description = "Do not remember the last nick seen from each address (no 'Welcome back' greeting).")
    boolean noRememberHosts;

    @Option(names = "--nick-length", paramLabel = "N", defaultValue = "30",
            description = "Longest nickname (default: ${DEFAULT-VALUE}).")
    int nickLength;

    @Option(names = "--shutdown-grace", paramLabel = "SECONDS", defaultValue = "2",
            description = "On shutdown, time clients get to receive what is queued for them before they are cut off (default: ${DEFAULT-VALUE}).")
    long shutdownGrace;

    @Option(names = "--udp-port", paramLabel = "P",
            description = "Open the UDP door on this port (off unless given; 0 takes any free port).")
    Integer udpPort;

    @Option(names = "--udp-channel", paramLabel = "#NAME", defaultValue = "#udp",
            description = "Channel UDP participants chat in (default: ${DEFAULT-VALUE}).")
    String udpChannel;

    @Option(names = "--udp-max-datagram", paramLabel = "BYTES", defaultValue = "512",
            description = "Longest datagram accepted; longer ones are refused (default: ${DEFAULT-VALUE}).")
    int udpMaxDatagram;

    @Option(names = "--udp-idle-timeout", paramLabel = "SECONDS", defaultValue = "300",
            description = "A UDP participant silent this long is removed; 'ping' keeps it (default: ${DEFAULT-VALUE}).")
    long udpIdleTimeout;

    @Option(names = "--udp-rate", paramLabel = "N", defaultValue = "10",
            description = "Datagrams per second one address may send, after the burst (default: ${DEFAULT-VALUE}).")
    int udpRate;

    @Option(names = "--udp-burst", paramLabel = "N", defaultValue = "20",
            description = "Datagrams one address may send at once (default: ${DEFAULT-VALUE}).")
    int udpBurst;

    @Option(names = "--udp-max-participants", paramLabel = "N", defaultValue = "1000",
            description = "UDP participants at once (default: ${DEFAULT-VALUE}).")
    int udpMaxParticipants;

    @Option(names = "--log-dir", paramLabel = "DIR",
            description = "Where the event log is written (default: <data-dir>/logs).")
    Path logDir;

    @Option(names = "--log-traffic", negatable = false,
            description = "Also log every line received and sent, to the log file only; passwords are redacted. Slows the server.")
    boolean logTraffic;

    @Option(names = "--log-file-size", paramLabel = "SIZE", defaultValue = "10MB",
            description = "Start a new log file past this size, e.g. 500KB, 10MB, 1GB (default: ${DEFAULT-VALUE}).")
    String logFileSize;

    @Option(names = "--log-history", paramLabel = "DAYS", defaultValue = "14",
            description = "Delete rolled log files older than this many days (default: ${DEFAULT-VALUE}).")
    int logHistoryDays;

    @Option(names = "--log-total-size", paramLabel = "SIZE", defaultValue = "1GB",
            description = "Delete the oldest rolled log files while all of them together are larger than this (default: ${DEFAULT-VALUE}).")
    String logTotalSize;

    @Option(names = "--no-console", negatable = false,
            description = "Do not read operator commands from standard input.")
    boolean noConsole;

    /** The options given on the command line (or, without a config file, their defaults) applied to {@code b}. */
    ServerConfig.Builder applyOptions(ServerConfig.Builder b, boolean onlyGiven) {
        var given = spec.commandLine().getParseResult();
        java.util.function.Predicate<String> use = name -> !onlyGiven || given.hasMatchedOption(name);
        if (use.test("--host")) b.host(host);
        if (use.test("--port")) b.port(port);
        if (use.test("--port-attempts")) b.portAttempts(portAttempts);
        if (use.test("--engine")) b.engine(engine);
        if (use.test("--data-dir")) b.dataDir(dataDir);
        if (use.test("--name")) b.serverName(name);
        if (use.test("--network")) b.networkName(network);
        if (motdFile != null) b.motdFile(motdFile);
        if (use.test("--max-connections")) b.maxConnections(maxConnections);
        if (use.test("--sendq")) b.sendQBytes(sendQ);
        if (use.test("--max-connections-per-address")) b.maxConnectionsPerAddress(maxPerAddress);
        if (use.test("--trusted")) {
            b.trustedAddresses(trusted.size() == 1 && trusted.get(0).equalsIgnoreCase("none") ? java.util.List.of() : trusted);
        }
        if (use.test("--flood-burst")) b.floodBurst(floodBurst);
        if (use.test("--flood-rate")) b.floodRate(floodRate);
        if (use.test("--recvq")) b.recvQBytes(recvQ);
        if (use.test("--max-targets")) b.maxTargets(maxTargets);
        if (use.test("--channel-length")) b.channelLength(channelLength);
        if (use.test("--topic-length")) b.topicLength(topicLength);
        if (use.test("--kick-length")) b.kickLength(kickLength);
        if (use.test("--away-length")) b.awayLength(awayLength);
        if (use.test("--ping-interval")) b.pingInterval(seconds(pingInterval, "--ping-interval"));
        if (use.test("--ping-timeout")) b.pingTimeout(seconds(pingTimeout, "--ping-timeout"));
        if (use.test("--registration-timeout")) b.registrationTimeout(seconds(registrationTimeout, "--registration-timeout"));
        if (use.test("--max-channels")) b.maxChannelsPerUser(maxChannels);
        if (use.test("--nick-length")) b.nickLength(nickLength);
        if (use.test("--nio-loops")) b.nioLoops(nioLoops);
        if (noRememberHosts) b.rememberHosts(false);
        if (use.test("--store")) b.store(ServerConfig.StoreKind.parse(store));
        if (use.test("--history-replay")) b.historyReplay(historyReplay);
        if (use.test("--history-keep")) b.historyKeepPerTarget(historyKeep);
        if (use.test("--history-max-age")) {
            if (historyMaxAgeDays < 0) {
                throw new UserFacingException("--history-max-age must be 0 or more days", Parley.EXIT_USAGE);
            }
            b.historyMaxAge(Duration.ofDays(historyMaxAgeDays));
        }
        if (use.test("--nick-protection-grace")) b.nickProtectionGrace(seconds(nickGrace, "--nick-protection-grace"));
        if (use.test("--login-attempts")) b.loginMaxFailures(loginAttempts);
        if (use.test("--login-lockout")) b.loginLockout(seconds(loginLockout, "--login-lockout"));
        if (use.test("--shutdown-grace")) b.shutdownGrace(seconds(shutdownGrace, "--shutdown-grace"));
        ServerConfig.Udp udp = b.build().udp();
        if (udpPort != null) udp = udp.withPort(udpPort);
        if (use.test("--udp-channel")) udp = udp.withChannel(udpChannel);
        if (use.test("--udp-max-datagram")) udp = udp.withMaxDatagram(udpMaxDatagram);
        if (use.test("--udp-idle-timeout")) udp = udp.withIdleTimeout(seconds(udpIdleTimeout, "--udp-idle-timeout"));
        if (use.test("--udp-rate")) udp = udp.withRate(udpRate);
        if (use.test("--udp-burst")) udp = udp.withBurst(udpBurst);
        if (use.test("--udp-max-participants")) udp = udp.withMaxParticipants(udpMaxParticipants);
        b.udp(udp);
        return b;
    }

    /** Where the configuration comes from: defaults, then the file, then options given here. */
    ConfigSource configSource() {
        ServerConfig.Builder defaults = ServerConfig.builder().version(Version.get());
        try {
            ConfigSource source;
            if (configFile == null) {
                source = ConfigSource.fixed(withDefaultMotd(applyOptions(defaults, false)).build());
            } else {
                if (!Files.isReadable(configFile)) {
                    throw new UserFacingException("cannot read config file " + configFile);
                }
                source = ConfigFile.source(configFile, defaults, b -> withDefaultMotd(applyOptions(b, true)));
            }
            return source;
        } catch (ConfigFile.ConfigException e) {
            throw new UserFacingException(e.getMessage(), Parley.EXIT_USAGE);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException(e.getMessage(), Parley.EXIT_USAGE);
        }
    }

    /** Without a MOTD file named anywhere, {@code <data-dir>/motd.txt} is used when it exists. */
    private static ServerConfig.Builder withDefaultMotd(ServerConfig.Builder b) {
        ServerConfig probe = b.build();
        if (probe.motdFile() == null && Files.isRegularFile(probe.dataDir().resolve("motd.txt"))) {
            b.motdFile(probe.dataDir().resolve("motd.txt"));
        }
        return b;
    }

    private static Duration seconds(long s, String option) {
        if (s <= 0) {
            throw new UserFacingException(option + " must be a positive number of seconds", Parley.EXIT_USAGE);
        }
        return Duration.ofSeconds(s);
    }

    @Override
    public Integer call() throws Exception {
        ConfigSource source = configSource();
        ServerConfig cfg = source.initial();
        if (cfg.motdFile() != null && !Files.isReadable(cfg.motdFile())) {
            throw new UserFacingException("cannot read MOTD file " + cfg.motdFile());
        }
        EventLog eventLog = startEventLog(cfg);
        TrafficLog.setEnabled(logTraffic);
        ParleyServer server;
        try {
            server = ParleyServer.start(source);
        } catch (UncheckedIOException e) {
            eventLog.close();
            throw new UserFacingException(e.getMessage());
        } catch (IOException e) {
            eventLog.close();
            throw new UserFacingException(e.getMessage());
        }
        Thread hook = new Thread(() -> server.shutdown("Server shutting down"), "parley-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        GracefulShutdown shutdown = new GracefulShutdown(server);
        ServerConsole console = null;
        if (!noConsole) {
            OperatorConsole operator = new OperatorConsole(server, eventLog, shutdown::request);
            console = ServerConsole.onStandardInput(operator, () -> shutdown.signal("Ctrl-C", 130));
            shutdown.beforeForcedExit(console::close);
        }
        shutdown.handleSignals(); // after the terminal is set up, so these handlers win; before the ready line
        String shownHost = cfg.host().equals("0.0.0.0") || cfg.host().equals("::") ? cfg.host() : server.address().getHostString();
        System.out.println("Parley " + Version.get() + " listening on " + shownHost + ":" + server.port()
                + " (engine " + server.engine().name() + ")");
        if (server.udpDoor() != null) {
            System.out.println("UDP door on " + shownHost + ":" + server.udpDoor().port() + " into " + cfg.udp().channel());
        }
        System.out.flush();
        if (console != null) {
            console.start();
        }
        server.awaitStop();
        if (console != null) {
            console.close();
        }
        return 0;
    }

    /** Starts the log file in {@code --log-dir}, or {@code <data-dir>/logs}. */
    EventLog startEventLog(ServerConfig cfg) {
        Path dir = logDir != null ? logDir : cfg.dataDir().resolve("logs");
        FileSize size;
        try {
            size = FileSize.valueOf(logFileSize);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--log-file-size must be a size like 500KB, 10MB or 1GB, not '" + logFileSize + "'",
                    Parley.EXIT_USAGE);
        }
        if (size.getSize() < 1024) {
            throw new UserFacingException("--log-file-size must be at least 1KB", Parley.EXIT_USAGE);
        }
        FileSize total;
        try {
            total = FileSize.valueOf(logTotalSize);
        } catch (IllegalArgumentException e) {
            throw new UserFacingException("--log-total-size must be a size like 500MB or 1GB, not '" + logTotalSize + "'",
                    Parley.EXIT_USAGE);
        }
        if (total.getSize() < size.getSize()) {
            throw new UserFacingException("--log-total-size must be at least --log-file-size (" + logFileSize + ")",
                    Parley.EXIT_USAGE);
        }
        if (logHistoryDays < 1) {
            throw new UserFacingException("--log-history must be at least 1 day", Parley.EXIT_USAGE);
        }
        try {
            return EventLog.start(dir, size, logHistoryDays, total, logTraffic);
        } catch (IOException e) {
            throw new UserFacingException("cannot write the event log in " + dir + ": " + e.getMessage());
        }
    }

    /** Turns {@code --engine} text into an {@link EngineKind} with a helpful error. */
    static final class EngineConverter implements ITypeConverter<EngineKind> {
        @Override
        public EngineKind convert(String value) {
            return EngineKind.parse(value);
        }
    }
}
