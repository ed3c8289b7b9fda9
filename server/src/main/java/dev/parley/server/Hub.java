package dev.parley.server;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared chat state: who is connected, which nicks are taken, which channels exist and
 * who is in them. Every engine feeds the same hub.
 *
 * <h2>Locking</h2>
 * <ol>
 *   <li>Tier 1, {@link #lock}: the nick registry and all channel memberships. Methods named
 *       {@code …Locked} expect it held.</li>
 *   <li>Tier 2, each {@link SendQ}'s own lock: a leaf, taken by {@code send}.</li>
 * </ol>
 * State changes under the hub lock; the lock is released before anything is sent. Fan-out
 * walks a channel's immutable member snapshot without any lock. Lookups by nick or channel
 * name read concurrent maps and take no lock.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    final ReentrantLock lock = new ReentrantLock();
    private final ServerConfig config;
    private final CaseMapping caseMapping = CaseMapping.RFC1459;
    private final Map<String, Client> nicks = new ConcurrentHashMap<>();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Stats stats = new Stats();
    private final ScheduledExecutorService timer;
    private final CommandTable commands;
    private final Motd motd;
    private final long startedAtMillis;

    public Hub(ServerConfig config) {
        this.config = config;
        this.startedAtMillis = config.clock().millis();
        this.motd = Motd.load(config.motdFile());
        this.commands = CommandTable.standard();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long sweep = sweepPeriodMillis(config);
        timer.scheduleWithFixedDelay(this::sweep, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    private static long sweepPeriodMillis(ServerConfig c) {
        long shortest = Math.min(c.pingInterval().toMillis(),
                Math.min(c.pingTimeout().toMillis(), c.registrationTimeout().toMillis()));
        return Math.max(20, Math.min(1000, shortest / 4));
    }

    // ---- accessors ----

    public ServerConfig config() {
        return config;
    }

    public String serverName() {
        return config.serverName();
    }

    public CaseMapping caseMapping() {
        return caseMapping;
    }

    public Stats stats() {
        return stats;
    }

    CommandTable commands() {
        return commands;
    }

    Motd motd() {
        return motd;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    long now() {
        return config.clock().millis();
    }

    /** Runs {@code task} soon on the housekeeping thread. */
    void defer(Runnable task) {
        try {
            timer.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    void schedule(Runnable task, Duration after) {
        try {
            timer.schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run();
        }
    }

    // ---- connections ----

    /** Registers a new connection. Called by an engine once per accepted socket. */
    public Client connect(Transport transport, Runnable onOutputReady) {
        Client c = new Client(this, transport, onOutputReady);
        clients.add(c);
        stats.connectionsAccepted.increment();
        LOG.info("connected {}", c.host());
        return c;
    }

    public int connectionCount() {
        return clients.size();
    }

    public Collection<Client> clients() {
        return java.util.Collections.unmodifiableSet(clients);
    }

    public int registeredCount() {
        int n = 0;
        for (Client c : clients) {
            if (c.isRegistered()) {
                n++;
            }
        }
        return n;
    }

    public int channelCount() {
        return channels.size();
    }

    public Collection<Channel> channels() {
        return java.util.Collections.unmodifiableCollection(channels.values());
    }

    public Client findNick(String nick) {
        return nicks.get(caseMapping.fold(nick));
    }

    public Channel findChannel(String name) {
        return channels.get(caseMapping.fold(name));
    }

    // ---- nicks ----

    /** What {@link #changeNick} did. */
    public enum NickResult { CHANGED, IN_USE, UNCHANGED }

    /**
     * Gives {@code c} the nick {@code wanted} if nobody else holds it. When {@code c} is
     * registered, everyone sharing a channel with it (and itself) sees the NICK, once each.
     */
    public NickResult changeNick(Client c, String wanted) {
        String key = caseMapping.fold(wanted);
        String oldPrefix;
        Set<Client> audience;
        lock.lock();
        try {
            Client holder = nicks.get(key);
            if (holder != null && holder != c) {
                return NickResult.IN_USE;
            }
            if (wanted.equals(c.nick())) {
                return NickResult.UNCHANGED;
            }
            oldPrefix = c.prefix();
            if (c.nick() != null) {
                nicks.remove(caseMapping.fold(c.nick()));
            }
            nicks.put(key, c);
            c.setNickLocked(wanted);
            audience = c.isRegistered() ? peersLocked(c, true) : Set.of();
        } finally {
            lock.unlock();
        }
        if (!audience.isEmpty()) {
            fanout(audience, IrcFormatter.toBytes(IrcMessage.from(oldPrefix, "NICK", wanted)), null);
        }
        return NickResult.CHANGED;
    }

    // ---- channels ----

    /** What {@link #join} did. */
    public sealed interface JoinResult permits Joined, AlreadyOn, TooManyChannels {
    }

    /** Joined; {@code created} when the channel was new (and the joiner its operator). */
    public record Joined(Channel channel, boolean created) implements JoinResult {
    }

    public record AlreadyOn(Channel channel) implements JoinResult {
    }

    public record TooManyChannels() implements JoinResult {
    }

    /** Puts {@code c} in channel {@code name} (created if needed) and tells every member. */
    public JoinResult join(Client c, String name) {
        String key = caseMapping.fold(name);
        Joined joined;
        Client[] audience;
        byte[] line;
        lock.lock();
        try {
            Channel ch = channels.get(key);
            if (ch != null && ch.containsLocked(c)) {
                return new AlreadyOn(ch);
            }
            if (c.channels.size() >= config.maxChannelsPerUser()) {
                return new TooManyChannels();
            }
            boolean created = ch == null;
            if (created) {
                ch = new Channel(this, name, key, now());
                channels.put(key, ch);
            }
            ch.addLocked(c, created ? Membership.OP : 0);
            c.channels.add(ch);
            joined = new Joined(ch, created);
            audience = ch.members();
            line = IrcFormatter.toBytes(IrcMessage.from(c.prefix(), "JOIN", ch.name()));
            // the joiner's own JOIN is queued before any member can fan a message out to it
            c.sendBytes(line);
        } finally {
            lock.unlock();
        }
        fanout(audience, line, c);
        return joined;
    }

    /** Takes {@code c} out of {@code ch}, telling every member (and {@code c}) with a PART. */
    public boolean part(Client c, Channel ch, String reason) {
        Client[] audience;
        lock.lock();
        try {
            audience = ch.members();
            if (!removeMemberLocked(ch, c)) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        IrcMessage msg = reason == null || reason.isEmpty()
                ? IrcMessage.from(c.prefix(), "PART", ch.name())
                : IrcMessage.from(c.prefix(), "PART", ch.name(), reason);
        fanout(audience, IrcFormatter.toBytes(msg), null);
        return true;
    }

    /** Sets the topic and tells every member. */
    public void setTopic(Client c, Channel ch, String text) {
        ch.setTopic(text.isEmpty() ? null : new Channel.Topic(text, c.prefix(), now()));
        fanout(ch.members(), IrcFormatter.toBytes(IrcMessage.from(c.prefix(), "TOPIC", ch.name(), text)), null);
    }

    private boolean removeMemberLocked(Channel ch, Client c) {
        if (!ch.removeLocked(c)) {
            return false;
        }
        c.channels.remove(ch);
        if (ch.isEmptyLocked()) {
            channels.remove(ch.key(), ch);
        }
        return true;
    }

    /** Everyone sharing a channel with {@code c}, each once; {@code c} itself when {@code self}. */
    private Set<Client> peersLocked(Client c, boolean self) {
        Set<Client> peers = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Channel ch : c.channels) {
            for (Client m : ch.members()) {
                peers.add(m);
            }
        }
        if (self) {
            peers.add(c);
        } else {
            peers.remove(c);
        }
        return peers;
    }

    /** Called once by {@link Client#close}: frees the nick, leaves every channel, tells peers. */
    void removeClient(Client c, String quitReason) {
        Set<Client> audience = Set.of();
        String prefix = c.prefix();
        lock.lock();
        try {
            clients.remove(c);
            if (c.isRegistered() && quitReason != null) {
                audience = peersLocked(c, false);
            }
            for (Channel ch : new ArrayList<>(c.channels)) {
                removeMemberLocked(ch, c);
            }
            if (c.nick() != null) {
                nicks.remove(caseMapping.fold(c.nick()), c);
            }
        } finally {
            lock.unlock();
        }
        if (!audience.isEmpty()) {
            fanout(audience, IrcFormatter.toBytes(IrcMessage.from(prefix, "QUIT", quitReason)), null);
        }
    }

    // ---- fan-out ----

    /** Sends one formatted line to each target except {@code except}. No lock held. */
    public static void fanout(Client[] targets, byte[] line, Client except) {
        for (Client t : targets) {
            if (t != except) {
                t.sendBytes(line);
            }
        }
    }

    static void fanout(Collection<Client> targets, byte[] line, Client except) {
        for (Client t : targets) {
            if (t != except) {
                t.sendBytes(line);
            }
        }
    }

    // ---- housekeeping ----

    /** Registration deadline, idle PING and ping timeout. Runs on the housekeeping thread. */
    private void sweep() {
        try {
            long now = now();
            long regTimeout = config.registrationTimeout().toMillis();
            long pingInterval = config.pingInterval().toMillis();
            long pingTimeout = config.pingTimeout().toMillis();
            for (Client c : clients) {
                if (c.isClosing()) {
                    continue;
                }
                if (!c.isRegistered()) {
                    if (now - c.connectedAtMillis() > regTimeout) {
                        c.quit("Registration timed out");
                    }
                    continue;
                }
                long pingSent = c.pingSentMillis();
                if (pingSent == 0) {
                    if (now - c.lastActivityMillis() > pingInterval) {
                        c.markPingSent(now);
                        c.send(IrcMessage.of("PING", serverName()));
                    }
                } else if (now - pingSent > pingTimeout) {
                    long seconds = (now - c.lastActivityMillis()) / 1000;
                    c.quit("Ping timeout: " + seconds + " seconds");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("housekeeping failed", e);
        }
    }

    /**
     * Tells every client the server is going away and closes them; waits up to the grace
     * period for output to drain, then the engine forces what is left.
     */
    public void disconnectAll(String reason) {
        List<Client> all = new ArrayList<>(clients);
        for (Client c : all) {
            c.close(reason, false, false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
