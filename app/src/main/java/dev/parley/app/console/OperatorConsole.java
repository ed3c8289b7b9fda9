package dev.parley.app.console;

import dev.parley.app.EventLog;
import dev.parley.server.ParleyServer;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.ParleyServer;
import dev.parley.server.diag.LogText;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out operator commands against a running server and returns what to show. Every
 * command that changes something is written to the event log. Safe to call from one thread at
 * a time (the console's); the rate sampler runs on a thread of its own.
 */
public final class OperatorConsole implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.console");
    private static final String DEFAULT_SHUTDOWN_REASON = "Server shutting down";
    private static final String DEFAULT_KICK_REASON = "Kicked by the server operator";
    private static final long RATE_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final DateTimeFormatter STARTED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z", Locale.ROOT);

    /** Starts a graceful shutdown; returns false when one is already under way. */
    @FunctionalInterface
    public interface ShutdownRequest {
        boolean request(String reason);
    }

    private final ParleyServer server;
    private final Hub hub;
    private final EventLog eventLog;
    private final ShutdownRequest shutdown;
    private final RateMeter rates = new RateMeter(RATE_WINDOW_NANOS);
    private ScheduledExecutorService sampler;

    /**
     * @param eventLog the log file {@code logs} and {@code clear-logs} work on; null when the
     *                 server writes none
     */
    public OperatorConsole(ParleyServer server, EventLog eventLog, ShutdownRequest shutdown) {
        this.server = server;
        this.hub = server.hub();
        this.eventLog = eventLog;
        this.shutdown = shutdown;
        sample();
    }

    /** Samples the message counters every second, so {@code status} shows recent rates. */
    public void startSampling() {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-console-rates");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 1, 1, TimeUnit.SECONDS);
    }

    private void sample() {
        rates.sample(System.nanoTime(), hub.stats().linesIn(), hub.stats().linesOut());
    }

    /**
     * Runs one console line and returns the reply (lines separated by {@code \n}; empty for a
     * blank line). Control characters in it (a nick, a topic, a log line) are escaped
     * ({@link LogText}): nothing users send can drive the operator's terminal.
     */
    public String execute(String line) {
        return LogText.escapeLines(reply(line));
    }

    private String reply(String line) {
        try {
            return ConsoleCommand.parse(line).map(this::run).orElse("");
        } catch (ConsoleCommand.BadCommandException e) {
            return "error: " + e.getMessage();
        } catch (RuntimeException e) {
            LOG.error("console command '{}' failed", line, e);
            return "error: " + e;
        }
    }

    private String run(ConsoleCommand command) {
        return switch (command) {
            case ConsoleCommand.Help h -> help();
            case ConsoleCommand.Status s -> status();
            case ConsoleCommand.Pause p -> pause();
            case ConsoleCommand.Resume r -> resume();
            case ConsoleCommand.ReloadTls r -> reloadTls();
            case ConsoleCommand.Shutdown s -> shutdown(s.reason());
            case ConsoleCommand.Logs l -> logs(l.lines());
            case ConsoleCommand.ClearLogs c -> clearLogs();
            case ConsoleCommand.ClearIdentities c -> clearIdentities();
            case ConsoleCommand.Kick k -> kick(k.nick(), k.reason());
            case ConsoleCommand.Announce a -> announce(a.text());
            case ConsoleCommand.Users u -> users(u.limit());
            case ConsoleCommand.Channels c -> channels(c.limit());
            case ConsoleCommand.Bans b -> bans();
            case ConsoleCommand.Ban b -> ban(b);
            case ConsoleCommand.Unban u -> unban(u);
        };
    }

    private String bans() {
        List<String> rows = new ArrayList<>();
        for (char kind : new char[] {'K', 'D'}) {
            for (var b : hub.bans().list(kind)) {
                rows.add(kind + "-line " + b.mask() + ": " + b.reason() + " (by " + b.setBy() + ", "
                        + (b.expiresAtMillis() == 0 ? "permanent" : "until " + Instant.ofEpochMilli(b.expiresAtMillis())) + ")");
            }
        }
        return rows.isEmpty() ? "no bans" : String.join("\n", rows);
    }

    private String ban(ConsoleCommand.Ban b) {
        var set = hub.bans().add(b.kind(), b.mask(), b.length(), b.reason(), "console");
        int gone = hub.enforceBans();
        LOG.info("operator set a {}-line on {}: {}", b.kind(), set.mask(), b.reason());
        return b.kind() + "-line on " + set.mask() + " set "
                + (set.expiresAtMillis() == 0 ? "permanently" : "until " + Instant.ofEpochMilli(set.expiresAtMillis()))
                + "; " + gone + " user(s) disconnected";
    }

    private String unban(ConsoleCommand.Unban u) {
        if (!hub.bans().remove(u.kind(), u.mask())) {
            return "error: no " + u.kind() + "-line on " + u.mask();
        }
        LOG.info("operator removed the {}-line on {}", u.kind(), u.mask());
        return u.kind() + "-line on " + u.mask() + " removed";
    }

    private static String help() {
        int width = ConsoleCommand.USAGE.stream().mapToInt(u -> u.syntax().length()).max().orElse(0);
        StringBuilder sb = new StringBuilder("commands:");
        for (ConsoleCommand.Usage u : ConsoleCommand.USAGE) {
            sb.append("\n  ").append(pad(u.syntax(), width)).append("  ").append(u.meaning());
        }
        return sb.toString();
    }

    private String status() {
        sample();
        RateMeter.Rates r = rates.rates();
        long now = hub.config().clock().millis();
        long queued = 0;
        long largest = 0;
        String largestWho = null;
        for (Client c : hub.clients()) {
            long q = c.outbox().queuedBytes();
            queued += q;
            if (q > largest) {
                largest = q;
                largestWho = c.describe();
            }
        }
        Runtime rt = Runtime.getRuntime();
        long heapUsed = rt.totalMemory() - rt.freeMemory();
        String started = STARTED.format(Instant.ofEpochMilli(hub.startedAtMillis()).atZone(ZoneId.systemDefault()));
        List<String> rows = new ArrayList<>();
        rows.add(row("uptime", duration(now - hub.startedAtMillis()) + " (since " + started + ")"));
        rows.add(row("engine", server.engine().name()));
        rows.add(row("address", hub.config().host() + ":" + server.port()));
        if (server.tls() != null) {
            rows.add(row("tls", "port " + server.tlsPort() + ", certificate SHA-256 " + server.tls().current().fingerprint()));
        }
        rows.add(row("store", hub.config().storeShown()));
        if (server.cluster() != null) {
            rows.add(row("cluster", server.cluster().describe()));
        }
        rows.add(row("paused", server.isPaused() ? "yes (not listening; connected users carry on)" : "no"));
        rows.add(row("connections", Integer.toString(hub.connectionCount())));
        rows.add(row("users", hub.registeredCount() + " registered"));
        rows.add(row("channels", Integer.toString(hub.channelCount())));
        rows.add(row("messages", String.format(Locale.ROOT, "%.1f/s in, %.1f/s out (last %.0f s); %d in, %d out in all",
                r.in(), r.out(), r.seconds(), hub.stats().linesIn(), hub.stats().linesOut())));
        rows.add(row("sendq", bytes(queued) + " queued in all"
                + (largestWho == null ? "" : "; largest " + bytes(largest) + " for " + largestWho)));
        rows.add(row("heap", bytes(heapUsed) + " used of " + bytes(rt.maxMemory())));
        rows.add(row("protection", hub.stats().floodDelays() + " commands paced, " + hub.stats().excessFloods()
                + " dropped for Excess Flood, " + hub.stats().connectionsRefused() + " connections refused"));
        if (server.udpDoor() != null) {
            var door = server.udpDoor();
            rows.add(row("udp", "port " + door.port() + " into " + hub.config().udp().channel() + ": "
                    + door.participantCount() + " participants; " + door.datagramsReceived() + " datagrams received, "
                    + door.datagramsDropped() + " dropped"));
        }
        rows.add(row("deadlock", server.deadlockWatchdog().status()));
        return String.join("\n", rows);
    }

    private String reloadTls() {
        try {
            String fingerprint = server.reloadTls();
            if (fingerprint == null) {
                return "TLS is off (--tls-port -1)";
            }
            LOG.info("operator reloaded the TLS certificate");
            return "TLS certificate reloaded; new connections get SHA-256 " + fingerprint;
        } catch (RuntimeException e) {
            return "error: " + e.getMessage() + "; the old certificate stays";
        }
    }

    private String pause() {
        if (!server.pause()) {
            return "already paused";
        }
        LOG.info("operator paused the server");
        return "paused: port " + server.port() + " released, new connections are refused; "
                + hub.connectionCount() + " connections carry on";
    }

    private String resume() {
        try {
            if (!server.resume()) {
                return "not paused";
            }
        } catch (IOException e) {
            return "error: " + e.getMessage() + "; still paused";
        }
        LOG.info("operator resumed the server");
        return "resumed: listening on " + hub.config().host() + ":" + server.port();
    }

    private String shutdown(String reason) {
        String told = reason == null ? DEFAULT_SHUTDOWN_REASON : reason;
        LOG.info("operator asked for shutdown: {}", told);
        if (!shutdown.request(told)) {
            return "already shutting down";
        }
        return "shutting down: " + told;
    }

    private String logs(int n) {
        if (eventLog == null) {
            return "error: this server writes no log file";
        }
        try {
            List<String> lines = eventLog.tail(n);
            String header = "--- last " + lines.size() + (lines.size() == 1 ? " line" : " lines") + " of " + eventLog.file() + " ---";
            return lines.isEmpty() ? header : header + "\n" + String.join("\n", lines);
        } catch (IOException e) {
            return "error: cannot read " + eventLog.file() + ": " + e.getMessage();
        }
    }

    private String clearLogs() {
        if (eventLog == null) {
            return "error: this server writes no log file";
        }
        try {
            int rolled = eventLog.clear();
            LOG.info("operator cleared the log files ({} rolled files deleted)", rolled);
            return "log files cleared: " + eventLog.file() + " emptied, " + rolled + " rolled files deleted";
        } catch (IOException e) {
            return "error: cannot clear the log files: " + e.getMessage();
        }
    }

    private String clearIdentities() {
        int n = hub.clearIdentities();
        LOG.info("operator cleared remembered hosts");
        return "forgot " + n + " remembered hosts";
    }

    private String kick(String nick, String reason) {
        Client target = hub.findNick(nick);
        if (target == null || target.isClosing()) {
            return "error: nobody is using the nick '" + nick + "'";
        }
        String why = reason == null ? DEFAULT_KICK_REASON : DEFAULT_KICK_REASON + " (" + reason + ")";
        LOG.info("operator kicked {}: {}", target.describe(), why);
        target.quit(why);
        return "kicked " + target.nick() + " (" + why + ")";
    }

    private String announce(String text) {
        int n = 0;
        for (Client c : hub.clients()) {
            if (c.isRegistered() && !c.isClosing()) {
                c.serverMessage("NOTICE", c.nick(), text);
                n++;
            }
        }
        LOG.info("operator announced to {} users: {}", n, text);
        return "announced to " + n + " users";
    }

    private String users(int limit) {
        long now = hub.config().clock().millis();
        List<Client> all = new ArrayList<>(hub.clients());
        all.sort(Comparator.comparing((Client c) -> !c.isRegistered())
                .thenComparing(c -> c.nickOrStar().toLowerCase(Locale.ROOT))
                .thenComparingLong(Client::id));
        if (all.isEmpty()) {
            return "no users connected";
        }
        List<String[]> rows = new ArrayList<>();
        boolean cluster = hub.network() != null;
        rows.add(cluster ? new String[] {"nick", "user@host", "account", "channels", "connected", "idle", "sendq", "node"}
                : new String[] {"nick", "user@host", "account", "channels", "connected", "idle", "sendq"});
        for (Client c : all.subList(0, Math.min(limit, all.size()))) {
            String[] row = {
                    c.isRegistered() ? c.nickOrStar() : c.nickOrStar() + " (registering)",
                    (c.user() == null ? "*" : c.user()) + "@" + c.realHost(), // the operator sees the real address
                    c.account() == null ? "-" : c.account(),
                    Integer.toString(c.channels().size()),
                    duration(now - c.connectedAtMillis()),
                    duration(now - c.lastActivityMillis()),
                    bytes(c.outbox().queuedBytes())};
            if (cluster) {
                row = java.util.Arrays.copyOf(row, row.length + 1);
                row[row.length - 1] = c.isRemote() ? c.node().substring(0, c.node().indexOf('/')) : "(this node)";
            }
            rows.add(row);
        }
        int registered = (int) all.stream().filter(Client::isRegistered).count();
        return table(rows) + "\n" + registered + " registered, " + (all.size() - registered) + " registering"
                + (all.size() > limit ? "; " + (all.size() - limit) + " more not shown (users N shows more)" : "");
    }

    private String channels(int limit) {
        List<Channel> all = new ArrayList<>(hub.channels());
        if (all.isEmpty()) {
            return "no channels";
        }
        all.sort(Comparator.comparing(ch -> ch.name().toLowerCase(Locale.ROOT)));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"channel", "members", "modes", "topic"});
        for (Channel ch : all.subList(0, Math.min(limit, all.size()))) {
            Channel.Topic topic = ch.topic();
            rows.add(new String[] {ch.name(), Integer.toString(ch.size()), String.join(" ", ch.modes().describe(false)),
                    topic == null ? "" : topic.text()});
        }
        return table(rows) + "\n" + all.size() + " channels"
                + (all.size() > limit ? "; " + (all.size() - limit) + " more not shown (channels N shows more)" : "");
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    // ---- formatting ----

    private static String row(String name, String value) {
        return pad(name, 12) + value;
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** The rows as aligned columns; cells are escaped first ({@link LogText}), so the columns line up. */
    private static String table(List<String[]> rows) {
        int[] widths = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                r[i] = LogText.escape(r[i]);
            }
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                widths[i] = Math.max(widths[i], r[i].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                sb.append(i == r.length - 1 ? r[i] : pad(r[i], widths[i] + 2));
            }
            lines.add(sb.toString().stripTrailing());
        }
        return String.join("\n", lines);
    }

    /** {@code 3d 04h 05m 06s}, leaving out leading zero units. */
    static String duration(long millis) {
        Duration d = Duration.ofMillis(Math.max(0, millis));
        long days = d.toDays();
        if (days > 0) {
            return String.format(Locale.ROOT, "%dd %02dh %02dm %02ds", days, d.toHoursPart(), d.toMinutesPart(), d.toSecondsPart());
        }
        if (d.toHours() > 0) {
            return String.format(Locale.ROOT, "%dh %02dm %02ds", d.toHours(), d.toMinutesPart(), d.toSecondsPart());
        }
        if (d.toMinutes() > 0) {
            return String.format(Locale.ROOT, "%dm %02ds", d.toMinutes(), d.toSecondsPart());
        }
        return d.toSeconds() + "s";
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 12.0 MiB}… */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
