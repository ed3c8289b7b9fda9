package dev.parley.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code parley bench}: measures an IRC server under load, the same way whatever server it is. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
            "Load-test any IRC server: connect and register many clients, have some of them send numbered,",
            "time-stamped messages to their channel, and report registration rate, deliveries per second,",
            "delivery latency, and every message lost, duplicated or reordered.",
            "Modes: --flood (closed loop, default), --rate R (open loop), --idle (hold clients; with",
            "--server-pid, report the server's resident memory per client)."},
        sortOptions = false,
        footer = {"", "Example: parley bench --port 6667 --clients 1000 --senders 16 --flood --duration 10s --server-pid 1234",
            "A network of three nodes: parley bench --servers 127.0.0.1:6667,127.0.0.1:6668,127.0.0.1:6669 --server-pid 11,12,13",
            "Over WebSocket: parley bench --websocket --port 8080 --clients 200 --flood"})
public final class BenchCommand implements Callable<Integer> {
    static final int EXIT_USAGE = 2;
    static final int EXIT_FAILURE = 1;
    /** File descriptors the JVM itself needs besides the clients' sockets. */
    static final int FD_RESERVE = 64;

    @Spec
    CommandSpec spec;

    static final String DEFAULT_HOST = "127.0.0.1";
    static final int DEFAULT_PORT = 6667;

    @Option(names = "--host", paramLabel = "H",
            description = "Server address (default: " + DEFAULT_HOST + ").")
    String host;

    @Option(names = {"-p", "--port"}, paramLabel = "P",
            description = "Server port (default: " + DEFAULT_PORT + ").")
    Integer port;

    @Option(names = "--servers", paramLabel = "LIST",
            description = {"Several servers, e.g. the nodes of one network: HOST:PORT,HOST:PORT,... Clients are spread",
                "round robin so every channel has members on every server; latency is also reported apart for",
                "deliveries within one server and across servers. Not with --host/--port."})
    String servers;

    @Option(names = {"-n", "--clients"}, paramLabel = "N", defaultValue = "200",
            description = "Clients to connect, register and join (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--channels", paramLabel = "C", defaultValue = "1",
            description = "Channels; client i joins channel i mod C (default: ${DEFAULT-VALUE}).")
    int channels;

    @Option(names = "--senders", paramLabel = "S", defaultValue = "16",
            description = "Clients that send, each to its own channel (default: ${DEFAULT-VALUE}).")
    int senders;

    @ArgGroup(exclusive = true)
    ModeOptions modeOptions;

    /** The mutually exclusive modes. */
    static final class ModeOptions {
        @Option(names = "--flood", description = "Closed loop: each sender keeps at most --window messages in flight (the default).")
        boolean flood;

        @Option(names = "--rate", paramLabel = "R",
                description = "Open loop: R messages per second in total, spread over the senders.")
        Double rate;

        @Option(names = "--idle", description = "Nobody sends: hold the clients for --duration.")
        boolean idle;
    }

    @Option(names = "--window", paramLabel = "W", defaultValue = "8",
            description = "Flood mode: messages a sender may have in flight, i.e. not yet received by every member (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = {"-d", "--duration"}, paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "Measured time, e.g. 10s, 500ms, 2m (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "2s", converter = DurationConverter.class,
            description = "Sending before measuring starts; idle mode: settle time before memory is read (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--drain", paramLabel = "D", defaultValue = "5s", converter = DurationConverter.class,
            description = "After sending stops, time to wait for messages still on their way (default: ${DEFAULT-VALUE}).")
    Duration drain;

    @Option(names = {"-k", "--connect-concurrency"}, paramLabel = "K", defaultValue = "50",
            description = "Handshakes (connect, register, join) in flight at once (default: ${DEFAULT-VALUE}).")
    int connectConcurrency;

    @Option(names = "--source-addresses", paramLabel = "LIST",
            description = "Local addresses to spread clients over, e.g. 127.0.0.1-127.0.0.8 or 127.0.0.2,127.0.0.3 (default: chosen by the system).")
    String sourceAddresses;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1",
            description = "Event-loop threads, each driving its share of the clients (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--payload", paramLabel = "BYTES", defaultValue = "32",
            description = "Filler bytes in every message (default: ${DEFAULT-VALUE}).")
    int payload;

    @Option(names = "--nick-prefix", paramLabel = "P",
            description = "Nicks are P followed by the client number (default: 'b' and two random letters).")
    String nickPrefix;

    @Option(names = "--channel-prefix", paramLabel = "P", defaultValue = "#bench",
            description = "Channels are P followed by the channel number (default: ${DEFAULT-VALUE}).")
    String channelPrefix;

    @Option(names = "--setup-timeout", paramLabel = "D", defaultValue = "120s", converter = DurationConverter.class,
            description = "Time allowed for every client to connect, register and join; late ones are dropped (default: ${DEFAULT-VALUE}).")
    Duration setupTimeout;

    @Option(names = "--inflight-timeout", paramLabel = "D", defaultValue = "10s", converter = DurationConverter.class,
            description = "Flood mode: a message not received by everybody by then stops holding up its sender (default: ${DEFAULT-VALUE}).")
    Duration inflightTimeout;

    @Option(names = "--server-pid", paramLabel = "PID", split = ",",
            description = "The server's process id, or several comma-separated (one per server): report their CPU seconds and resident memory, summed (Linux /proc).")
    List<Long> serverPids;

    @Option(names = "--watch-pid", paramLabel = "PID", split = ",",
            description = "Other processes the servers depend on (e.g. a network's NATS servers), comma-separated: report their CPU seconds and memory, summed, apart from the servers'.")
    List<Long> watchPids;

    @Option(names = "--format", paramLabel = "F", defaultValue = "text", converter = FormatConverter.class,
            description = "Report as text or json (default: ${DEFAULT-VALUE}).")
    Format format;

    @Option(names = "--tls", description = "Connect over TLS (any certificate is accepted: the bench measures, it does not verify).")
    boolean tls;

    @Option(names = "--websocket",
            description = "Speak IRC over WebSocket (IRCv3 transport, text.ircv3.net): --port is then the server's HTTP port.")
    boolean websocket;

    @Option(names = "--websocket-path", paramLabel = "PATH", defaultValue = "/irc",
            description = "With --websocket: the WebSocket's path (default: ${DEFAULT-VALUE}).")
    String websocketPath;

    @Option(names = {"-q", "--quiet"}, description = "No progress lines on standard error.")
    boolean quiet;

    /** Report formats. */
    enum Format { TEXT, JSON }

    Mode mode() {
        if (modeOptions == null || modeOptions.flood) {
            return Mode.FLOOD;
        }
        return modeOptions.idle ? Mode.IDLE : Mode.RATE;
    }

    BenchConfig config() {
        List<InetSocketAddress> targets = targets();
        List<InetAddress> sources = sourceAddresses == null ? List.of() : SourceAddresses.parse(sourceAddresses);
        List<Long> pids = existing("--server-pid", serverPids);
        List<Long> watched = existing("--watch-pid", watchPids);
        Mode mode = mode();
        return new BenchConfig(targets, mode, clients, channels,
                mode == Mode.IDLE ? 0 : senders, mode == Mode.RATE ? modeOptions.rate : 0, window, duration, warmup, drain,
                connectConcurrency, sources, threads, payload, nickPrefix == null ? randomPrefix() : nickPrefix,
                channelPrefix, setupTimeout, inflightTimeout, pids, watched, tls,
                websocket, websocketPath);
    }

    /** The servers: --servers, or the one of --host and --port. */
    private List<InetSocketAddress> targets() {
        if (servers != null) {
            if (host != null || port != null) {
                throw new IllegalArgumentException("--servers cannot be combined with --host or --port:"
                        + " name every server in --servers as HOST:PORT");
            }
            return ServerList.parse(servers);
        }
        String h = host == null ? DEFAULT_HOST : host;
        int p = port == null ? DEFAULT_PORT : port;
        InetAddress address;
        try {
            address = InetAddress.getByName(h);
        } catch (IOException e) {
            throw new IllegalArgumentException("unknown host '" + h + "'");
        }
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("--port must be between 1 and 65535, not " + p);
        }
        return List.of(new InetSocketAddress(address, p));
    }

    private static List<Long> existing(String option, List<Long> pids) {
        if (pids == null) {
            return List.of();
        }
        for (long pid : pids) {
            if (pid <= 0 || !ProcStats.exists(pid)) {
                throw new IllegalArgumentException(option + " " + pid + ": no such process (nothing in /proc/" + pid + ")");
            }
        }
        return List.copyOf(pids);
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        BenchConfig cfg;
        try {
            cfg = config();
        } catch (IllegalArgumentException e) {
            err.println("parley bench: " + e.getMessage());
            return EXIT_USAGE;
        }
        long fds = maxFileDescriptors();
        if (fds > 0 && cfg.clients() + FD_RESERVE > fds) {
            err.println("parley bench: " + cfg.clients() + " clients need about " + (cfg.clients() + FD_RESERVE)
                    + " file descriptors, but this process may open " + fds
                    + " (ulimit -n); raise the limit or run fewer clients per process");
            return EXIT_FAILURE;
        }
        warnAboutPorts(cfg, err);
        BenchResult result;
        try {
            result = new LoadRun(cfg, quiet ? null : err).run();
        } catch (LoadRun.NoClientsException e) {
            err.println("parley bench: " + e.getMessage());
            return EXIT_FAILURE;
        }
        out.print(format == Format.JSON ? json(result) + System.lineSeparator() : ResultText.format(result));
        out.flush();
        return 0;
    }

    static String json(BenchResult r) throws JsonProcessingException {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r);
    }

    private static String randomPrefix() {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        return "b" + (char) ('a' + rnd.nextInt(26)) + (char) ('a' + rnd.nextInt(26));
    }

    private static long maxFileDescriptors() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean u) {
            return u.getMaxFileDescriptorCount();
        }
        return -1;
    }

    /** One local address has one range of ephemeral ports; say so when the clients will not fit. */
    private static void warnAboutPorts(BenchConfig cfg, PrintWriter err) {
        try {
            String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
            long ports = Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
            long addresses = Math.max(1, cfg.sourceAddresses().size());
            if (cfg.clients() > ports * addresses) {
                err.println("parley bench: warning: " + cfg.clients() + " clients but only " + ports
                        + " ephemeral ports per source address; use more --source-addresses");
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux: no warning
        }
    }

    /** Reads 10s, 500ms, 2m, 1h or a plain number of seconds. */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.endsWith("ms")) {
                    return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
                }
                long unit = switch (v.isEmpty() ? ' ' : v.charAt(v.length() - 1)) {
                    case 's' -> 1000;
                    case 'm' -> 60_000;
                    case 'h' -> 3_600_000;
                    default -> 0;
                };
                String number = unit == 0 ? v : v.substring(0, v.length() - 1);
                double amount = Double.parseDouble(number);
                return Duration.ofMillis(Math.round(amount * (unit == 0 ? 1000 : unit)));
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a duration (examples: 10s, 500ms, 2m)");
            }
        }
    }

    /** Reads text or json. */
    static final class FormatConverter implements ITypeConverter<Format> {
        @Override
        public Format convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "text" -> Format.TEXT;
                case "json" -> Format.JSON;
                default -> throw new picocli.CommandLine.TypeConversionException(
                        "'" + value + "' is not a format (choose text or json)");
            };
        }
    }
}
