package dev.parley.server;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Masks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shared chat state: who is connected, which nicks are taken, which channels exist, who
 * is in them and with which modes. Every engine feeds the same hub.
 *
 * <h2>Locking</h2>
 * <ol>
 *   <li>Tier 1, {@link #lock}: the nick registry, channel membership, channel modes and lists.
 *       Methods named {@code …Locked} expect it held.</li>
 *   <li>Tier 2, each {@link SendQ}'s own lock: a leaf, taken by {@code send}.</li>
 * </ol>
 * State changes under the hub lock; the lock is released before anything is fanned out (the
 * one exception: a joiner's own JOIN is queued under the lock so that it precedes any channel
 * message the joiner can receive). Fan-out walks a channel's immutable member snapshot
 * without any lock. Lookups by nick or channel name read concurrent maps and take no lock.
 *
 * <p>A closing client gains no state: {@link Client#close} marks it closing before
 * {@link #removeClient} takes the lock, so whatever adds a client somewhere (nick, channel,
 * invitation) checks {@link Client#isClosing()} under the lock; another thread may close a
 * client while its reader is still handling a command.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    final WatchedLock lock = new WatchedLock("hub");
    private final ConfigSource configSource;
    private volatile ServerConfig config;
    private volatile Motd motd;
    private final CaseMapping caseMapping = CaseMapping.RFC1459;
    private final Map<String, Client> nicks = new ConcurrentHashMap<>();
    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final Stats stats = new Stats();
    private final Whowas whowas;
    private final ScheduledExecutorService timer;
    private final CommandTable commands;
    private final long startedAtMillis;
    private final String idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    private final AtomicLong ids = new AtomicLong();
    private final dev.parley.protocol.IrcParser parser;
    private volatile HostMemory hostMemory;
    private volatile AccountService accounts;
    private volatile HistoryService history;
    private volatile dev.parley.server.store.Store store;
    private StoredHostMemory storedHosts;
    private volatile AddressSet trusted;
    private final ConnectionGate gate;

    public Hub(ServerConfig config) {
        this(ConfigSource.fixed(config));
    }

    public Hub(ConfigSource source) {
        this.configSource = source;
        this.config = source.initial();
        this.startedAtMillis = config.clock().millis();
        this.motd = Motd.load(config.motdFile());
        this.whowas = new Whowas(config.whowasSize());
        this.parser = new dev.parley.protocol.IrcParser(config.maxTagBytes(), config.maxLineBytes());
        this.hostMemory = config.rememberHosts() ? HostMemory.inMemory() : HostMemory.disabled();
        this.commands = CommandTable.standard();
        this.trusted = AddressSet.parse(config.trustedAddresses());
        this.gate = new ConnectionGate(this);
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

    /**
     * Connects the hub to its store: accounts, history and remembered hosts from now on live
     * there. Called once, before the engine accepts anyone.
     */
    public void attachStore(dev.parley.server.store.Store s) {
        ServerConfig cfg = config;
        store = s;
        accounts = new AccountService(this, s, cfg.loginMaxFailures(), cfg.loginLockout().toMillis());
        history = new HistoryService(s, cfg.historyKeepPerTarget(), cfg.historyMaxAge(), this::now);
        if (cfg.rememberHosts()) {
            storedHosts = new StoredHostMemory(s, s.hosts());
            hostMemory = storedHosts;
        }
    }

    /** Flushes history and host writes and closes the store. Called once, after every client is gone. */
    public void closeStore() {
        if (history != null) {
            history.close();
        }
        if (storedHosts != null) {
            storedHosts.close();
        }
        if (store != null) {
            store.close();
        }
    }

    AccountService accounts() {
        return accounts;
    }

    HistoryService history() {
        return history;
    }

    /** Remembered hosts (the last nick seen from each address). */
    public HostMemory hostMemory() {
        return hostMemory;
    }

    /** Replaces the host memory (a persistent one, once the store is open). */
    public void useHostMemory(HostMemory memory) {
        hostMemory = config.rememberHosts() ? memory : HostMemory.disabled();
    }

    /** Forgets every remembered host; returns how many. */
    public int clearIdentities() {
        int n = hostMemory.clear();
        LOG.info("forgot {} remembered hosts", n);
        return n;
    }

    /** Addresses excused from the per-address connection limit and from flood control. */
    public AddressSet trusted() {
        return trusted;
    }

    /** Admits connections: the total and per-address limits every engine applies. */
    public ConnectionGate gate() {
        return gate;
    }

    /** The parser every client shares (it holds no state). */
    dev.parley.protocol.IrcParser parser() {
        return parser;
    }

    Whowas whowas() {
        return whowas;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    long now() {
        return config.clock().millis();
    }

    /** A fresh message id, unique for this server run. */
    String nextMsgId() {
        return idPrefix + Long.toString(ids.incrementAndGet(), 36);
    }

    /** A fresh batch reference tag. */
    String nextBatchId() {
        return "b" + Long.toString(ids.incrementAndGet(), 36);
    }

    /**
     * Reloads the configuration (REHASH): operators, MOTD, limits and names take effect for
     * what happens next; nobody is disconnected. Listening address and engine stay.
     */
    public ServerConfig rehash() throws Exception {
        ServerConfig next = configSource.reload();
        Motd nextMotd = Motd.load(next.motdFile());
        ServerConfig current = config;
        config = next.toBuilder()
                .host(current.host()).port(current.port()).engine(current.engine())
                .serverName(current.serverName()).udp(current.udp()).clock(current.clock())
                .build();
        motd = nextMotd;
        trusted = AddressSet.parse(config.trustedAddresses());
        LOG.info("configuration reloaded");
        return config;
    }

    /** Runs {@code task} soon on the housekeeping thread. */
    void defer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException e) {
            task.run();
        }
    }

    /** Runs {@code task} after {@code after} on the housekeeping thread (at once, on the caller, once it is shut down). */
    public void schedule(Runnable task, Duration after) {
        try {
            timer.schedule(task, after.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
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
        return Collections.unmodifiableSet(clients);
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
        return Collections.unmodifiableCollection(channels.values());
    }

    public Client findNick(String nick) {
        return nicks.get(caseMapping.fold(nick));
    }

    public Channel findChannel(String name) {
        return channels.get(caseMapping.fold(name));
    }

    /** The value a capability advertises in CAP LS 302, or null for none. */
    String capValue(Cap cap) {
        return switch (cap) {
            case SASL -> "PLAIN";
            case ACCOUNT_REGISTRATION -> "before-connect";
            default -> null;
        };
    }

    /** A relayed message from {@code from}, time-stamped now. */
    Outgoing relay(Client from, IrcMessage m) {
        return new Outgoing(m, now(), null, from.account(), null);
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
            if (c.isClosing()) {
                return NickResult.UNCHANGED; // removeClient has run or will: registering the nick would outlive it
            }
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
                if (c.isRegistered()) {
                    whowas.remember(c, now());
                }
            }
            nicks.put(key, c);
            c.setNickLocked(wanted);
            audience = c.isRegistered() ? peersLocked(c, true) : Set.of();
        } finally {
            lock.unlock();
        }
        if (!audience.isEmpty()) {
            Outgoing out = relay(c, IrcMessage.from(oldPrefix, "NICK", wanted));
            audience.forEach(out::sendTo);
        }
        return NickResult.CHANGED;
    }

    // ---- channels ----

    /** What {@link #join} did. */
    public sealed interface JoinResult
            permits Joined, AlreadyOn, TooManyChannels, Banned, InviteOnly, BadKey, Full, Closing {
    }

    /** Joined; {@code created} when the channel was new (and the joiner its operator). */
    public record Joined(Channel channel, boolean created) implements JoinResult {
    }

    public record AlreadyOn(Channel channel) implements JoinResult {
    }

    public record TooManyChannels() implements JoinResult {
    }

    public record Banned(Channel channel) implements JoinResult {
    }

    public record InviteOnly(Channel channel) implements JoinResult {
    }

    public record BadKey(Channel channel) implements JoinResult {
    }

    public record Full(Channel channel) implements JoinResult {
    }

    /** The client is being disconnected (by another thread, while this JOIN was handled): nothing changed. */
    public record Closing() implements JoinResult {
    }

    /**
     * Puts {@code c} in channel {@code name} (created if needed, with {@code c} as operator)
     * after checking bans, +i, +k and +l; tells every member.
     */
    public JoinResult join(Client c, String name, String key) {
        String folded = caseMapping.fold(name);
        Channel ch;
        boolean created;
        Client[] audience;
        Outgoing plain;
        Outgoing extended;
        lock.lock();
        try {
            if (c.isClosing()) {
                return new Closing(); // removeClient has run or waits for this lock: a member now would be a ghost
            }
            ch = channels.get(folded);
            if (ch != null && ch.containsLocked(c)) {
                return new AlreadyOn(ch);
            }
            if (c.channels.size() >= config.maxChannelsPerUser()) {
                return new TooManyChannels();
            }
            created = ch == null;
            if (!created) {
                JoinResult refused = admissionLocked(ch, c, key);
                if (refused != null) {
                    return refused;
                }
            } else {
                ch = new Channel(this, name, folded, now());
                channels.put(folded, ch);
            }
            ch.addLocked(c, created ? Membership.OP : 0);
            c.channels.add(ch);
            audience = ch.members();
            plain = relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name()));
            String account = c.account() == null ? "*" : c.account();
            extended = relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name(), account, c.realname()));
            // the joiner's own JOIN is queued before any member can fan a message out to it
            c.send(c.hasCap(Cap.EXTENDED_JOIN) ? extended : plain);
        } finally {
            lock.unlock();
        }
        for (Client m : audience) {
            if (m != c) {
                m.send(m.hasCap(Cap.EXTENDED_JOIN) ? extended : plain);
            }
        }
        if (c.away() != null) {
            Outgoing away = relay(c, IrcMessage.from(c.prefix(), "AWAY", c.away()));
            for (Client m : audience) {
                if (m != c && m.hasCap(Cap.AWAY_NOTIFY)) {
                    m.send(away);
                }
            }
        }
        return new Joined(ch, created);
    }

    private JoinResult admissionLocked(Channel ch, Client c, String key) {
        Channel.Modes modes = ch.modes();
        boolean invited = ch.invited.contains(c);
        if (!invited && matchesAny(ch.bans, c)) {
            return new Banned(ch);
        }
        if (modes.inviteOnly() && !invited && !matchesAny(ch.inviteExceptions, c)) {
            return new InviteOnly(ch);
        }
        if (modes.key() != null && !modes.key().equals(key)) {
            return new BadKey(ch);
        }
        if (modes.limit() > 0 && ch.size() >= modes.limit()) {
            return new Full(ch);
        }
        return null;
    }

    /** True when {@code c}'s nick!user@host matches a mask in {@code list}. Caller holds the lock. */
    boolean matchesAny(List<Channel.MaskEntry> list, Client c) {
        String who = c.prefix();
        for (Channel.MaskEntry e : list) {
            if (Masks.matches(e.mask(), who, caseMapping)) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code c} is banned in {@code ch}. */
    public boolean isBanned(Channel ch, Client c) {
        lock.lock();
        try {
            return matchesAny(ch.bans, c);
        } finally {
            lock.unlock();
        }
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
        Outgoing out = relay(c, msg);
        for (Client m : audience) {
            m.send(out);
        }
        return true;
    }

    /** Removes {@code target} from {@code ch} on behalf of {@code by}; every member sees the KICK. */
    public boolean kick(Client by, Channel ch, Client target, String reason) {
        Client[] audience;
        lock.lock();
        try {
            audience = ch.members();
            if (!removeMemberLocked(ch, target)) {
                return false;
            }
        } finally {
            lock.unlock();
        }
        Outgoing out = relay(by, IrcMessage.from(by.prefix(), "KICK", ch.name(), target.nick(), reason));
        for (Client m : audience) {
            m.send(out);
        }
        return true;
    }

    /** Records an invitation so {@code target} may pass +i (and bans) on its next join. */
    public void invite(Channel ch, Client target) {
        lock.lock();
        try {
            if (!target.isClosing()) { // removeClient clears invitations; one added after it would stay
                ch.invited.add(target);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Channels {@code c} has a pending invitation to. */
    public List<Channel> invitesOf(Client c) {
        List<Channel> out = new ArrayList<>();
        lock.lock();
        try {
            for (Channel ch : channels.values()) {
                if (ch.invited.contains(c)) {
                    out.add(ch);
                }
            }
        } finally {
            lock.unlock();
        }
        return out;
    }

    /** Sets the topic and tells every member. */
    public void setTopic(Client c, Channel ch, String text) {
        ch.setTopic(text.isEmpty() ? null : new Channel.Topic(text, c.prefix(), now()));
        Outgoing out = relay(c, IrcMessage.from(c.prefix(), "TOPIC", ch.name(), text));
        for (Client m : ch.members()) {
            m.send(out);
        }
    }

    /** Runs {@code change} under the hub lock (for mode changes spanning several fields). */
    <T> T locked(java.util.function.Supplier<T> change) {
        lock.lock();
        try {
            return change.get();
        } finally {
            lock.unlock();
        }
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
        Set<Client> peers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Channel ch : c.channels) {
            Collections.addAll(peers, ch.members());
        }
        if (self) {
            peers.add(c);
        } else {
            peers.remove(c);
        }
        return peers;
    }

    /** Everyone sharing a channel with {@code c} (and {@code c} when {@code self}). */
    public Set<Client> peers(Client c, boolean self) {
        lock.lock();
        try {
            return peersLocked(c, self);
        } finally {
            lock.unlock();
        }
    }

    /** Sends {@code m} (from {@code c}) to every peer, and to {@code c} itself, that negotiated {@code cap}. */
    void notifyPeers(Client c, Cap cap, IrcMessage m, boolean self) {
        Outgoing out = relay(c, m);
        for (Client p : peers(c, self)) {
            if (p.hasCap(cap)) {
                p.send(out);
            }
        }
    }

    /** True when {@code a} and {@code b} are in at least one channel together. */
    public boolean shareChannel(Client a, Client b) {
        for (Channel ch : a.channels) {
            if (b.channels.contains(ch)) {
                return true;
            }
        }
        return false;
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
            for (Channel ch : channels.values()) {
                ch.invited.remove(c);
            }
            if (c.nick() != null) {
                nicks.remove(caseMapping.fold(c.nick()), c);
                if (c.isRegistered()) {
                    whowas.remember(c, now());
                }
            }
            if (c.isRegistered()) {
                hostMemory.remember(c.transport().remoteAddress().getHostAddress(), c.nick(), now());
            }
        } finally {
            lock.unlock();
        }
        if (!audience.isEmpty()) {
            Outgoing out = relay(c, IrcMessage.from(prefix, "QUIT", quitReason));
            audience.forEach(out::sendTo);
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

    // ---- housekeeping ----

    /** Registration deadline, idle PING and ping timeout. Runs on the housekeeping thread. */
    private void sweep() {
        try {
            ServerConfig cfg = config;
            long now = now();
            long regTimeout = cfg.registrationTimeout().toMillis();
            long pingInterval = cfg.pingInterval().toMillis();
            long pingTimeout = cfg.pingTimeout().toMillis();
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

    /** Tells every client the server is going away and closes them (output drains first). */
    public void disconnectAll(String reason) {
        for (Client c : new ArrayList<>(clients)) {
            c.close(reason, false, false);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
