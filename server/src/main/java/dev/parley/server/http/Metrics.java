package dev.parley.server.http;

import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.diag.Stats;
import dev.parley.server.service.HistoryService;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The server's metrics in the Prometheus text format (Micrometer): connections by transport,
 * users, channels, lines in and out, registrations, flood control, SendQ, bans, logins, the
 * history writer, and the JVM's memory, collector, threads and CPU. Counters read the server's
 * own counters when scraped; gauges that walk the clients are computed once per scrape.
 *
 * <p>Thread-safe; the first scrape of a second walks the clients, later ones reuse it.
 */
public final class Metrics implements AutoCloseable {
    /** The Content-Type of {@link #scrape()}. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Hub hub;
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private volatile Census census = new Census(0, 0, 0, 0, 0, 0);
    private volatile long censusAtNanos;
    private volatile boolean counted;

    /** What walking the clients finds: connections per transport and bytes waiting in SendQs. */
    private record Census(int tcp, int tls, int websocket, int udp, long sendQBytes, long taken) {
    }

    public Metrics(Hub hub, String engine) {
        this.hub = hub;
        registry.config().commonTags("engine", engine);
        Stats stats = hub.stats();
        for (String transport : new String[] {"tcp", "tls", "websocket", "udp"}) {
            Gauge.builder("parley.connections", this, m -> m.countOf(transport))
                    .description("Open connections (UDP: participants)").tag("transport", transport).register(registry);
        }
        Gauge.builder("parley.users", hub, Hub::registeredCount).description("Registered users").register(registry);
        Gauge.builder("parley.channels", hub, Hub::channelCount).description("Channels").register(registry);
        Gauge.builder("parley.sendq.bytes", this, m -> m.census().sendQBytes())
                .description("Bytes waiting in every client's SendQ").baseUnit("bytes").register(registry);
        counter("parley.lines.in", stats, Stats::linesIn, "IRC lines received");
        counter("parley.lines.out", stats, Stats::linesOut, "IRC lines queued to clients (deliveries)");
        counter("parley.connections.accepted", stats, Stats::connectionsAccepted, "Connections accepted");
        counter("parley.connections.refused", stats, Stats::connectionsRefused,
                "Connections refused (limits, rates, bans)");
        counter("parley.registrations", stats, Stats::registrations, "Users who completed registration");
        counter("parley.flood.delays", stats, Stats::floodDelays, "Commands held back by flood control");
        counter("parley.flood.excess", stats, Stats::excessFloods, "Clients dropped for Excess Flood");
        counter("parley.sendq.drops", stats, Stats::sendQDrops, "Clients dropped because their SendQ overflowed");
        counter("parley.bans.hit", stats, Stats::bansHit, "Connections and users refused or removed by a K-line or D-line");
        FunctionCounter.builder("parley.login.failures", hub, h -> h.accounts() == null ? 0 : h.accounts().loginFailures())
                .description("Failed password checks").register(registry);
        Gauge.builder("parley.history.queue.depth", hub, h -> h.history() == null ? 0 : h.history().queueDepth())
                .description("Messages waiting to be stored").register(registry);
        FunctionTimer.builder("parley.history.writes", hub,
                        h -> h.history() == null ? 0 : h.history().writeCount(),
                        h -> h.history() == null ? 0 : h.history().writeNanos(), TimeUnit.NANOSECONDS)
                .description("History transactions and the time spent in them").register(registry);
        FunctionCounter.builder("parley.history.dropped", hub, h -> h.history() == null ? 0 : h.history().droppedCount())
                .description("Messages not stored because the history queue was full").register(registry);
        if (hub.network() != null) {
            var n = hub.network();
            Gauge.builder("parley.cluster.applied.changes", n, x -> x.appliedSequence())
                    .description("The network's changes applied by this node (its place in the network's order)")
                    .register(registry);
            Gauge.builder("parley.cluster.serving", n, x -> x.isServing() ? 1 : 0)
                    .description("1 while this node serves, 0 while it is cut off from the network").register(registry);
            Gauge.builder("parley.cluster.held.messages", n, x -> x.heldMessages())
                    .description("Messages from other nodes waiting for the changes they follow").register(registry);
            Gauge.builder("parley.cluster.nodes", n, x -> x.nodesSeen())
                    .description("Nodes whose lease this node sees, itself included").register(registry);
        }
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    private void counter(String name, Stats stats, ToDoubleFunction<Stats> f, String description) {
        FunctionCounter.builder(name, stats, f).description(description).register(registry);
    }

    /** Everything, in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    private Census census() {
        long now = System.nanoTime();
        if (counted && now - censusAtNanos < 1_000_000_000L) {
            return census;
        }
        int tcp = 0;
        int tls = 0;
        int ws = 0;
        int udp = 0;
        long queued = 0;
        for (Client c : hub.clients()) {
            Transport t = Sessions.transportOf(c);
            if (t == null) {
                udp++;
            } else if (t instanceof WebSocketConnection) {
                ws++;
            } else if (t.isSecure()) {
                tls++;
            } else {
                tcp++;
            }
            queued += c.outbox().queuedBytes();
        }
        Census fresh = new Census(tcp, tls, ws, udp, queued, now);
        census = fresh;
        censusAtNanos = now;
        counted = true;
        return fresh;
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private static int count(Census c, String transport) {
        return switch (transport) {
            case "tcp" -> c.tcp();
            case "tls" -> c.tls();
            case "websocket" -> c.websocket();
            default -> c.udp();
        };
    }

    private double countOf(String transport) {
        return count(census(), transport);
    }
}
