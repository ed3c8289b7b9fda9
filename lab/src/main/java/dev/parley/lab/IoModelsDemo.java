package dev.parley.lab;

import ch.qos.logback.classic.Level;
import dev.parley.server.ParleyServer;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab io-models}: the same chat load against each of the server's I/O engines. */
@Command(name = "io-models",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "A small chat load against each of Parley's I/O engines, started in this process: "
                + "deliveries per second and latency for each.")
final class IoModelsDemo extends Demo {
    @Option(names = "--clients", paramLabel = "N", defaultValue = "100",
            description = "Clients that register and join one channel (default: ${DEFAULT-VALUE}).")
    int clients;

    @Option(names = "--senders", paramLabel = "S", defaultValue = "10",
            description = "Clients among them that send (default: ${DEFAULT-VALUE}).")
    int senders;

    @Option(names = "--messages", paramLabel = "M", defaultValue = "200",
            description = "Messages each sender sends (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--engines", paramLabel = "E", split = ",",
            description = "Engines to measure, comma-separated (default: every engine the server has).")
    List<String> engines;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Longest a run against one engine may take (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** One engine's numbers; {@code peakThreads} is the most platform threads alive in this JVM meanwhile. */
    record EngineRun(String engine, IrcLoad.Result load, int peakThreads) {
    }

    private List<EngineKind> kinds = List.of();

    @Override
    String title() {
        return "thread per client, virtual threads, and the other I/O models, under one load";
    }

    @Override
    String shows() {
        return "For each engine, a Parley server is started in this process on 127.0.0.1 (any free port). "
                + clients + " clients register and join one channel; " + senders + " of them send " + messages
                + " messages each as fast as they can, so every message is delivered to the " + (clients - 1)
                + " other members. The run counts deliveries per second and the time from send to receive.";
    }

    @Override
    void validate() {
        require("--clients", clients, 2, 5000);
        require("--senders", senders, 1, clients);
        require("--messages", messages, 1, 1_000_000);
        require("--timeout", timeoutSeconds, 1, 3600);
        if (engines == null || engines.isEmpty()) {
            kinds = List.of(EngineKind.values());
        } else {
            List<EngineKind> chosen = new ArrayList<>();
            for (String e : engines) {
                try {
                    chosen.add(EngineKind.parse(e.strip()));
                } catch (IllegalArgumentException ex) {
                    throw new BadInput(ex.getMessage());
                }
            }
            kinds = List.copyOf(chosen);
        }
    }

    @Override
    void run(Report report) throws Exception {
        Table t = new Table("engines", clients + " clients in one channel, " + senders + " senders x " + messages
                + " messages:")
                .col("engine", "engine").col("delivered", "delivered").col("expected", "expected")
                .col("seconds", "seconds").col("deliveriesPerSecond", "deliveries/s")
                .col("p50Micros", "p50 µs").col("p99Micros", "p99 µs").col("maxMicros", "max µs")
                .col("peakThreads", "peak threads");
        ch.qos.logback.classic.Logger serverLog = logbackLogger();
        Level before = serverLog == null ? null : serverLog.getLevel();
        if (serverLog != null) {
            serverLog.setLevel(Level.WARN);     // keep the server's start/stop lines out of the results
        }
        try {
            for (EngineKind kind : kinds) {
                report.progress("engine " + kind.label() + ": starting the server, connecting " + clients + " clients…");
                EngineRun r;
                try {
                    r = measure(kind, clients, senders, messages, Duration.ofSeconds(timeoutSeconds));
                } catch (IOException e) {
                    report.say("Engine " + kind.label() + ": " + e.getMessage());
                    report.failed();
                    continue;
                }
                IrcLoad.Result load = r.load();
                Histogram h = load.latencyMicros();
                boolean any = h.getTotalCount() > 0;
                t.row(r.engine(), load.delivered(), load.expected(), load.seconds(), load.deliveriesPerSecond(),
                        any ? h.getValueAtPercentile(50) : null, any ? h.getValueAtPercentile(99) : null,
                        any ? h.getMaxValue() : null, r.peakThreads());
                if (!load.complete()) {
                    report.say("Engine " + r.engine() + ": only " + load.delivered() + " of " + load.expected()
                            + " deliveries arrived in time" + (load.dropped() > 0 ? " (" + load.dropped()
                                    + " clients were disconnected)" : "") + ".");
                    report.failed();
                }
            }
        } finally {
            if (serverLog != null) {
                serverLog.setLevel(before);
            }
        }
        report.table(t);
        report.say("Load generator and server share this JVM and its " + Runtime.getRuntime().availableProcessors()
                + " cores; peak threads counts platform threads only (virtual threads are not threads the OS sees).");
    }

    @Override
    String why() {
        return "Every delivery wakes the receiving connection's writer. In the 'threads' engine each connection "
                + "has a platform thread to read and one to write, so a message to a channel of " + clients
                + " wakes up to " + (clients - 1) + " OS threads, each wake-up a trip through the kernel scheduler "
                + "and a context switch, and " + (2 * clients) + " thread stacks sit in memory. The 'virtual' engine "
                + "runs the same blocking code on virtual threads: a wake-up only schedules a continuation on one of "
                + "a few carrier threads, in user space, so the same cores deliver more and the OS sees a handful of "
                + "threads. A selector engine ('nio', where the server has it) is the select() loop of the course "
                + "notes: one thread asks the OS which sockets are ready and serves each in turn, with no thread per "
                + "client at all. The senders here write as fast as they can, so latency is mostly time spent queued "
                + "behind earlier messages: it shows how far each engine falls behind a flood, not the delay of a "
                + "single quiet message.";
    }

    /** Starts a server on {@code kind}, runs the load against it, and stops it again. */
    static EngineRun measure(EngineKind kind, int clients, int senders, int messages, Duration timeout)
            throws IOException, InterruptedException {
        Path dataDir = Files.createTempDirectory("parley-lab-");
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        try {
            ServerConfig config = ServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0).tlsPort(-1)
                    .engine(kind)
                    .dataDir(dataDir)
                    .store(ServerConfig.StoreKind.MEMORY)
                    .trustedAddresses(java.util.List.of("127.0.0.0/8", "::1")) // the demo's own load, from loopback
                    .rememberHosts(false)
                    .historyReplay(0)
                    .shutdownGrace(Duration.ofMillis(500))
                    .build();
            mx.resetPeakThreadCount();
            try (ParleyServer server = ParleyServer.start(config)) {
                IrcLoad.Result load = IrcLoad.run(server.address(), clients, senders, messages, timeout);
                return new EngineRun(kind.label(), load, mx.getPeakThreadCount());
            }
        } finally {
            Files.deleteIfExists(dataDir);
        }
    }

    /** The logback logger of the server, when logback is the logging backend. */
    private static ch.qos.logback.classic.Logger logbackLogger() {
        return LoggerFactory.getLogger("parley") instanceof ch.qos.logback.classic.Logger l ? l : null;
    }
}
