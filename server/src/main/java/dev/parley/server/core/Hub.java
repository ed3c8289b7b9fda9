package dev.parley.server.core;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.AddressSet;
import dev.parley.server.config.ConfigSource;
import dev.parley.server.config.Motd;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.diag.Stats;
import dev.parley.server.diag.WatchedLock;
import dev.parley.server.service.AccountService;
import dev.parley.server.service.ChannelRegistry;
import dev.parley.server.service.Cloaks;
import dev.parley.server.service.ServerBans;
import dev.parley.server.service.HashingPool;
import dev.parley.server.service.HistoryService;
import dev.parley.server.service.HostMemory;
import dev.parley.server.service.ReadMarkers;
import dev.parley.server.service.StoredHostMemory;
import dev.parley.server.store.Store;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat state of one server: who is connected, which nicks are taken, which channels exist
 * and who is in them. Every door (each engine's sessions, the UDP door) feeds the same hub.
 * State changes only through {@link #apply}, one typed {@link Change} at a time.
 *
 * <h2>Locking (tiers, outermost first)</h2>
 * <ol>
 *   <li>Tier 1, {@link #lock}: the nick registry, channel membership, channel modes, lists,
 *       topics, invitations, and the MONITOR lists and their index. Only {@link #apply} (and the
 *       {@code …Locked} methods it calls, here and in {@link Channel}, {@link ChannelChanges},
 *       {@link ModeChanges}, {@link UserChanges} and {@link Monitors}) takes it, and MONITOR's
 *       queries ({@link #monitorList}, {@link #monitorStatus}).</li>
 *   <li>Tier 2, {@link Whowas}'s monitor: a leaf taken under tier 1.</li>
 *   <li>Tier 3, each SendQ's own lock (and a UDP participant's lock-free queue): a leaf, taken
 *       by {@code send}, also under tier 1.</li>
 *   <li>Tier 4, {@link ChannelRegistry}'s monitor: a leaf taken under tier 1 when a
 *       registration is made or dropped and when a registered channel's modes, topic or lists
 *       change; it only changes the in-memory copy and hands the write to its own thread.</li>
 * </ol>
 * A change is applied under the lock and everyone who must hear of it is told under the same
 * lock (JOIN, PART, KICK, TOPIC, MODE, INVITE, NICK, QUIT, AWAY, ACCOUNT, SETNAME, CHGHOST): a
 * send is a non-blocking offer to a queue, so this costs the lock a few hundred nanoseconds per
 * recipient, and in return every recipient sees the changes in the order they were made — a
 * KICK never before the JOIN it undoes, a QUIT never before the NICK that named the quitter. A
 * joiner's own JOIN goes first, so it precedes any channel message the joiner can receive.
 * Messages (PRIVMSG, NOTICE, TAGMSG) and readers — fan-out, WHO, NAMES, ban checks, lookups by
 * nick or channel name — take no lock: they read concurrent maps and each channel's immutable
 * {@link Channel.View}.
 *
 * <p>A closing client gains no state: {@link Client#close} marks it closing before its
 * {@link Change.Quit} takes the lock, so whatever adds a client somewhere (nick, channel,
 * invitation) checks {@link Client#isClosing()} under the lock; another thread may close a
 * client while its reader is still handling a command.
 */
public final class Hub implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    /** The nick of the channel registration service; the source of the modes it sets. */
    public static final String CHANSERV = "ChanServ";

    final WatchedLock lock = new WatchedLock("hub");
    private final ConfigSource configSource;
    private volatile ServerConfig config;
    private volatile Motd motd;
    private final CaseMapping caseMapping = CaseMapping.RFC1459;
    private final Map<String, Client> nicks = new ConcurrentHashMap<>();
    final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    /** The clients logged in to each (case-folded) account; changed under the lock, read without it. */
    private final Map<String, Set<Client>> byAccount = new ConcurrentHashMap<>();
    private final Stats stats = new Stats();
    private final Whowas whowas;
    private final ScheduledExecutorService timer;
    private final long startedAtMillis;
    private final String idPrefix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 45), 36);
    private final AtomicLong ids = new AtomicLong();
    /** The most registered users seen at once (LUSERS 265/266); every registration counts them. */
    private final AtomicInteger peakUsers = new AtomicInteger();
    private final ChannelChanges channelChanges = new ChannelChanges(this);
    private final UserChanges userChanges = new UserChanges(this);
    private final ModeChanges modeChanges = new ModeChanges(this);
    final Monitors monitors = new Monitors(this);
    final Registrations registrations = new Registrations(this);
    private volatile ChannelRegistry channelRegistry;
    private volatile HostMemory hostMemory;
    private volatile AccountService accounts;
    private final HashingPool hashing;
    private volatile HistoryService history;
    private volatile ReadMarkers readMarkers;
    private volatile Store store;
    private StoredHostMemory storedHosts;
    private volatile AddressSet trusted;
    private volatile ServerBans bans;
    /** Null when cloaking is off. */
    private volatile Cloaks cloaks;
    /** The cluster this server is a node of; null on a single server. */
    private volatile Network network;
    /** Every client, this node's and (in a cluster) the other nodes', by {@link Client#netId()}. */
    private final Map<String, Client> byNetId = new ConcurrentHashMap<>();
    /** The thread applying the network's changes, and the time and sequence of the one it applies. */
    private volatile Thread applier;
    private long applierTime;
    private long applierSeq;
    private long applierIds;

    public Hub(ServerConfig config) {
        this(ConfigSource.fixed(config));
    }

    public Hub(ConfigSource source) {
        this.configSource = source;
        this.config = source.initial();
        this.startedAtMillis = config.clock().millis();
        this.motd = Motd.load(config.motdFile());
        this.whowas = new Whowas(config.whowasSize());
        this.hostMemory = config.rememberHosts() ? HostMemory.inMemory(config.rememberHostsMax()) : HostMemory.disabled();
        this.trusted = AddressSet.parse(config.trustedAddresses());
        this.cloaks = config.cloak() ? Cloaks.ephemeral(config.cloakSuffix()) : null;
        this.hashing = new HashingPool(config.hashingThreads(), config.hashingQueue());
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

    // ---- configuration and services ----

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

    public Motd motd() {
        return motd;
    }

    /** The hub lock (tier 1), for the deadlock watchdog and for tests that check invariants under it. */
    public WatchedLock lock() {
        return lock;
    }

    /**
     * Connects the hub to its store: accounts, history and remembered hosts from now on live
     * there. Called once, before any door admits anyone.
     */
    public void attachStore(Store s) {
        ServerConfig cfg = config;
        store = s;
        if (cfg.cloak() && cfg.store().persistent()) {
            cloaks = Cloaks.load(cfg.dataDir(), cfg.cloakSuffix()); // the same cloaks after a restart
        }
        accounts = new AccountService(caseMapping, () -> config.nickLength(), this::now, s, hashing, this::config);
        accounts.onNamesChanged((name, exists) -> {
            Network n = network;
            if (n != null && config.store() == ServerConfig.StoreKind.POSTGRESQL) {
                try {
                    apply(new Change.AccountKnown(name, exists)); // the other nodes share the store: tell them
                } catch (Network.NetworkUnavailableException e) {
                    LOG.warn("the network does not know of account {} yet (nodes read the store when they start): {}",
                            name, e.getMessage());
                }
            }
        });
        accounts.onLogins((keys, failed) -> {
            if (network == null) {
                return false;
            }
            try {
                apply(new Change.LoginSeen(keys, failed)); // counted on every node, this one included
                return true;
            } catch (Network.NetworkUnavailableException e) {
                return false; // counted here only
            }
        });
        bans = new ServerBans(s, this::now, caseMapping);
        channelRegistry = new ChannelRegistry(s, caseMapping);
        history = !cfg.historyEnabled() ? null : new HistoryService(s, cfg.historyKeepPerTarget(), cfg.historyMaxAge(), cfg.historyMaxTotal(), this::now,
                channelRegistry.historyKeys(), // a registered channel's history outlives restarts
                !cfg.cluster().enabled()); // a cluster's channels live on in the other nodes
        readMarkers = new ReadMarkers(s);
        if (cfg.rememberHosts()) {
            storedHosts = new StoredHostMemory(s, s.hosts(), cfg.rememberHostsMax());
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
        if (readMarkers != null) {
            readMarkers.close();
        }
        if (channelRegistry != null) {
            channelRegistry.close();
        }
        if (store != null) {
            store.close();
        }
    }

    /** K-lines and D-lines (null until the store is attached). */
    public ServerBans bans() {
        return bans;
    }

    /**
     * Disconnects every client a ban now in force matches: the client is told {@code why}
     * (with the reason), its peers a QUIT that names only the kind of ban. Returns how many.
     */
    public int enforceBans() {
        ServerBans b = bans;
        int n = 0;
        for (Client c : new ArrayList<>(clients)) {
            if (c.isClosing() || c.isRemote()) {
                continue; // another node's client: its node enforces the ban
            }
            var hit = b.dline(c.address()).or(() -> b.kline(c.user(), c.realHost(), c.host(), shownHost(c.address())));
            if (hit.isPresent()) {
                String kind = hit.get().kind() == ServerBans.DLINE ? "D-Lined" : "K-Lined";
                c.close(kind + ": " + hit.get().reason(), kind, false);
                stats.banHit();
                n++;
            }
        }
        return n;
    }

    public AccountService accounts() {
        return accounts;
    }

    public HistoryService history() {
        return history;
    }

    /** Channels registered with ChanServ (null until the store is attached). */
    public ChannelRegistry channelRegistry() {
        return channelRegistry;
    }

    /** The read markers of accounts (null until the store is attached). */
    public ReadMarkers readMarkers() {
        return readMarkers;
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

    public Whowas whowas() {
        return whowas;
    }

    public long startedAtMillis() {
        return startedAtMillis;
    }

    /**
     * Notes that {@code users} registered users are here now and returns the most there have been
     * at once. The welcome burst of every registration counts them, so no peak goes unseen.
     */
    public int peakUsers(int users) {
        return peakUsers.accumulateAndGet(users, Math::max);
    }

    /**
     * The time. While a change of the network is applied, the time it was made at, so every
     * node records the same (channel creation and topic times).
     */
    public long now() {
        if (Thread.currentThread() == applier) {
            return applierTime;
        }
        return config.clock().millis();
    }

    /**
     * A fresh message id, unique for this server run. While a change of the network is applied,
     * one made from its place in the network's order, the same on every node (channel history keys).
     */
    public String nextMsgId() {
        if (Thread.currentThread() == applier) {
            return "n" + Long.toString(applierSeq, 36) + "." + Long.toString(applierIds++, 36);
        }
        return idPrefix + Long.toString(ids.incrementAndGet(), 36);
    }

    /** A fresh batch reference tag. */
    public String nextBatchId() {
        return "b" + Long.toString(ids.incrementAndGet(), 36);
    }

    /**
     * What a REHASH did: the configuration now in effect, and the settings (config-file keys)
     * that differ in the file but change only on restart, which kept their running values.
     */
    public record Rehashed(ServerConfig config, List<String> needRestart) {
        public Rehashed {
            needRestart = List.copyOf(needRestart);
        }
    }

    /**
     * The settings a running server cannot change (sockets, threads, the store and what was
     * sized from them at start), by config-file key. REHASH keeps their running values.
     */
    private static final Map<String, Function<ServerConfig, Object>> FIXED_UNTIL_RESTART = fixedUntilRestart();

    private static Map<String, Function<ServerConfig, Object>> fixedUntilRestart() {
        Map<String, Function<ServerConfig, Object>> m = new LinkedHashMap<>();
        m.put("server.host", ServerConfig::host);
        m.put("server.port", ServerConfig::port);
        m.put("server.port-attempts", ServerConfig::portAttempts);
        m.put("tls.port", ServerConfig::tlsPort);
        m.put("proxy.port", ServerConfig::proxyPort);
        m.put("proxy.tls", ServerConfig::proxyTls);
        m.put("server.engine", ServerConfig::engine);
        m.put("server.nio-loops", ServerConfig::nioLoops);
        m.put("server.data-dir", ServerConfig::dataDir);
        m.put("server.name", ServerConfig::serverName);
        m.put("limits.whowas", ServerConfig::whowasSize);
        m.put("accounts.store", ServerConfig::store);
        m.put("accounts.remember-hosts", ServerConfig::rememberHosts);
        m.put("accounts.hashing-threads", ServerConfig::hashingThreads);
        m.put("accounts.hashing-queue", ServerConfig::hashingQueue);
        m.put("history.enabled", ServerConfig::historyEnabled);
        m.put("history.keep", ServerConfig::historyKeepPerTarget);
        m.put("history.max-age-days", ServerConfig::historyMaxAge);
        m.put("[udp]", ServerConfig::udp);
        m.put("server.cloak", ServerConfig::cloak);
        m.put("server.cloak-suffix", ServerConfig::cloakSuffix);
        return Collections.unmodifiableMap(m);
    }

    /**
     * Reloads the configuration (REHASH): operators, MOTD, names shown to clients and limits —
     * connection limits, login throttles and account limits included — take effect for what
     * happens next; nobody is disconnected. The settings of {@link Rehashed#needRestart()}
     * (listening address, engine, server name, store, hashing pool, WHOWAS size, history
     * retention, UDP door) keep their running values until a restart.
     */
    public Rehashed rehash() throws Exception {
        ServerConfig next = configSource.reload();
        Motd nextMotd = Motd.load(next.motdFile());
        ServerConfig current = config;
        List<String> needRestart = new ArrayList<>();
        FIXED_UNTIL_RESTART.forEach((key, get) -> {
            if (!Objects.equals(get.apply(current), get.apply(next))) {
                needRestart.add(key);
            }
        });
        ServerConfig applied = next.toBuilder()
                .host(current.host()).port(current.port()).portAttempts(current.portAttempts()).tlsPort(current.tlsPort())
                .proxyPort(current.proxyPort()).proxyTls(current.proxyTls())
                .engine(current.engine()).nioLoops(current.nioLoops()).dataDir(current.dataDir())
                .serverName(current.serverName()).whowasSize(current.whowasSize()).store(current.store())
                .rememberHosts(current.rememberHosts()).hashingThreads(current.hashingThreads())
                .hashingQueue(current.hashingQueue()).historyEnabled(current.historyEnabled()).historyKeepPerTarget(current.historyKeepPerTarget())
                .historyMaxAge(current.historyMaxAge()).udp(current.udp()).cloak(current.cloak()).cloakSuffix(current.cloakSuffix()).clock(current.clock())
                .build();
        for (java.util.function.Consumer<ServerConfig> step : rehashSteps) {
            step.accept(applied); // may refuse the whole reload (a broken TLS certificate)
        }
        config = applied;
        motd = nextMotd;
        trusted = AddressSet.parse(config.trustedAddresses());
        if (needRestart.isEmpty()) {
            LOG.info("configuration reloaded");
        } else {
            LOG.info("configuration reloaded; changed only on restart: {}", String.join(", ", needRestart));
        }
        return new Rehashed(config, needRestart);
    }

    private volatile int tlsPort = -1;

    /** The TLS listener's bound port (what STS points clients to), or -1 when it is off. */
    public int tlsPort() {
        return tlsPort;
    }

    /** Set by the server once its TLS listener is bound. */
    public void tlsPort(int port) {
        tlsPort = port;
    }

    private final List<java.util.function.Consumer<ServerConfig>> rehashSteps = new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Adds a step to {@link #rehash}, run with the new configuration before it takes effect
     * (reloading the TLS certificate); a step that throws refuses the reload, with its message.
     */
    public void onRehash(java.util.function.Consumer<ServerConfig> step) {
        rehashSteps.add(step);
    }

    /** Runs {@code task} soon on the housekeeping thread. */
    public void defer(Runnable task) {
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

    // ---- clients ----

    /**
     * Adds a new client whose messages go to {@code outbox}. Called by a door once per
     * connection (or UDP participant), before anything is read from it.
     */
    public Client connect(Outbox outbox, InetAddress address, boolean secure) {
        Client c = new Client(this, outbox, address, secure, shownHost(address));
        byNetId.put(c.netId(), c);
        clients.add(c);
        stats.connectionAccepted();
        LOG.info("connected {}", c.realHost());
        return c;
    }

    /** What other users see of {@code address}: its cloak, or with cloaking off the address itself. */
    public String shownHost(InetAddress address) {
        Cloaks k = cloaks;
        return k == null ? address.getHostAddress() : k.cloak(address);
    }

    /** Connections to this server (in a cluster, not the other nodes' clients). */
    public int connectionCount() {
        if (network == null) {
            return clients.size();
        }
        int n = 0;
        for (Client c : clients) {
            if (!c.isRemote()) {
                n++;
            }
        }
        return n;
    }

    // ---- the cluster ----

    /** Cloaks under {@code key}, the network's: every node shows an address alike. Before any door admits anyone. */
    public void useCloakKey(byte[] key) {
        if (config.cloak()) {
            cloaks = Cloaks.withKey(key, config.cloakSuffix());
        }
    }

    /** Makes this server a node of {@code n}; before any door admits anyone. */
    public void useNetwork(Network n) {
        network = n;
    }

    /** The cluster this server is a node of, or null. */
    public Network network() {
        return network;
    }

    /**
     * Another node's client, known from now on by {@code netId}; its messages go to its node,
     * so nothing is sent to it from here. Called by the thread applying the network's changes.
     */
    public Client connectRemote(String netId, String node, InetAddress address, boolean secure, String host) {
        Client c = new Client(this, Outbox.ELSEWHERE, address, secure, host, netId, node);
        byNetId.put(netId, c);
        clients.add(c);
        return c;
    }

    /**
     * A client that is no longer anywhere (its Quit was applied), for a change that names it:
     * it is in no channel and holds no nick, and nothing sent to it goes anywhere.
     */
    public Client ghost(String netId) {
        Client c = new Client(this, Outbox.ELSEWHERE, InetAddress.getLoopbackAddress(), false, "gone", netId, "gone");
        c.markGoneLocked();
        return c;
    }

    /** A channel of that name that is nowhere, for a change of the network naming a channel gone meanwhile. */
    public Channel detachedChannel(String name) {
        return new Channel(name, caseMapping.fold(name), "", 0);
    }

    /** The name of the server {@code c} is connected to: this one's, or in a cluster its node's. */
    public String serverOf(Client c) {
        Network n = network;
        return n == null || !c.isRemote() ? serverName() : n.serverOf(c);
    }

    /** The servers of the network: 1, or in a cluster the nodes this one sees (itself at least). */
    public int serverCount() {
        Network n = network;
        return n == null ? 1 : Math.max(1, n.nodesSeen());
    }

    /** The client known network-wide as {@code netId}, or null once it has quit. */
    public Client findByNetId(String netId) {
        return byNetId.get(netId);
    }

    /**
     * Applies a change of the network, made at {@code time}, the {@code seq}th in its order:
     * called by one thread, in that order, on every node.
     */
    public <R> R applyReplicated(Change<R> change, long seq, long time) {
        Thread t = Thread.currentThread();
        if (applier != t) {
            applier = t;
        }
        applierSeq = seq;
        applierTime = time;
        applierIds = 0;
        return applyHere(change);
    }

    /**
     * The network-wide state as text, the same on every node of a cluster that has applied the
     * same changes: each registered client (id, nick, user, host, account, modes, away) and each
     * channel (name, creation time, history key, modes with key, topic, lists, members with
     * their prefixes and join order), sorted. Takes the hub lock.
     */
    public String describeState() {
        lock.lock();
        try {
            List<String> users = new ArrayList<>();
            for (Client c : clients) {
                if (c.isRegistered()) {
                    users.add(c.netId() + " " + c.nick() + "!" + c.user() + "@" + c.host() + " account=" + c.account()
                            + " modes=" + c.userModes() + " away=" + c.away() + " oper=" + c.operName()
                            + " realname=" + c.realname());
                }
            }
            Collections.sort(users);
            List<String> chans = new ArrayList<>();
            for (Channel ch : channels.values()) {
                Channel.View v = ch.view();
                StringBuilder b = new StringBuilder(ch.name()).append(" created=").append(ch.createdAtMillis())
                        .append(" history=").append(ch.historyKey()).append(" modes=").append(v.modes().describe(true))
                        .append(" topic=").append(v.topic()).append(" bans=").append(v.bans())
                        .append(" exceptions=").append(v.exceptions()).append(" members=");
                for (int i = 0; i < v.members().length; i++) {
                    b.append(v.prefixes()[i].prefix(true)).append(v.members()[i].netId()).append(' ');
                }
                chans.add(b.toString());
            }
            Collections.sort(chans);
            return String.join("\n", users) + "\n--\n" + String.join("\n", chans);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the network's state as of the change last applied ({@link Snapshot}); this node's
     * clients as the clients of node {@code self}. Called by the thread applying the network's
     * changes, between two of them. Takes the hub lock.
     */
    public void writeSnapshot(java.io.DataOutputStream out, String self) throws java.io.IOException {
        lock.lock();
        try {
            Snapshot.write(this, out, self);
        } finally {
            lock.unlock();
        }
    }

    /** Reads a state {@link #writeSnapshot} wrote; before this node has clients or channels. */
    public void readSnapshot(java.io.DataInputStream in) throws java.io.IOException {
        if (!clients.isEmpty() || !channels.isEmpty()) {
            throw new IllegalStateException("a snapshot is read into an empty hub");
        }
        Snapshot.read(this, in);
    }

    /** True on the thread applying the network's changes. */
    public boolean isApplier() {
        return Thread.currentThread() == applier;
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

    /** The clients logged in to {@code account} (any case) right now; empty when none. */
    public Collection<Client> loggedIn(String account) {
        Set<Client> set = byAccount.get(caseMapping.fold(account));
        return set == null ? List.of() : Collections.unmodifiableSet(set);
    }

    public Client findNick(String nick) {
        return nicks.get(caseMapping.fold(nick));
    }

    public Channel findChannel(String name) {
        return channels.get(caseMapping.fold(name));
    }

    /** True while {@code ch} is the live channel of its name (not one emptied and forgotten). */
    public boolean isLive(Channel ch) {
        return channels.get(ch.key()) == ch;
    }

    /** A relayed message from {@code from}, time-stamped now. */
    public Outgoing relay(Client from, IrcMessage m) {
        return new Outgoing(m, now(), null, from.account(), null, from.hasMode(UserMode.BOT));
    }

    /** The prefix a service's messages come from: {@code Nick!Nick@services.<server>}. */
    public String serviceSource(String serviceNick) {
        return serviceNick + "!" + serviceNick + "@services." + serverName();
    }

    /** A message from a service (no account, no bot tag), time-stamped now. */
    public Outgoing serviceRelay(IrcMessage m) {
        return new Outgoing(m, now(), null, null, null);
    }

    /** True when {@code c} is banned in {@code ch} (an exception does not help; an invitation does, at JOIN). Lock-free. */
    public boolean isBanned(Channel ch, Client c) {
        return ChannelChanges.matchesAny(ch.view().bans(), c, caseMapping);
    }

    /** Everyone sharing a channel with {@code c}, each once; {@code c} itself when {@code self}. Lock-free. */
    public Set<Client> peers(Client c, boolean self) {
        Set<Client> peers = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Channel ch : c.memberships.keySet()) {
            Collections.addAll(peers, ch.members());
        }
        if (self) {
            peers.add(c);
        } else {
            peers.remove(c);
        }
        return peers;
    }

    /** True when {@code a} and {@code b} are in at least one channel together. Lock-free. */
    public boolean shareChannel(Client a, Client b) {
        for (Channel ch : a.memberships.keySet()) {
            if (b.memberships.containsKey(ch)) {
                return true;
            }
        }
        return false;
    }

    // ---- changes ----

    /**
     * Applies one change to the chat state and tells whoever must hear of it. The only way
     * state changes. May be called from any thread; takes the hub lock itself.
     */
    public <R> R apply(Change<R> change) {
        Network n = network;
        if (n != null && !(change instanceof Change.MonitorAdd || change instanceof Change.MonitorRemove
                || change instanceof Change.MonitorClear)) {
            return n.submit(change); // agreed by the network, then applied here in its turn
        }
        return applyHere(change);
    }

    @SuppressWarnings("unchecked")
    private <R> R applyHere(Change<R> change) {
        return (R) switch (change) {
            case Change.Nick n -> userChanges.nick(n);
            case Change.Register r -> userChanges.register(r);
            case Change.Quit q -> userChanges.quit(q);
            case Change.Away a -> userChanges.away(a);
            case Change.Account a -> userChanges.account(a);
            case Change.Realname r -> userChanges.realname(r);
            case Change.Host h -> userChanges.host(h);
            case Change.UserModes m -> userChanges.userModes(m);
            case Change.Oper o -> userChanges.oper(o);
            case Change.Join j -> channelChanges.join(j);
            case Change.Part p -> channelChanges.part(p);
            case Change.Kick k -> channelChanges.kick(k);
            case Change.Topic t -> channelChanges.topic(t);
            case Change.Invite i -> channelChanges.invite(i);
            case Change.ChannelModes m -> modeChanges.apply(m);
            case Change.ServiceModes m -> modeChanges.applyAsService(m);
            case Change.RegisterChannel r -> registrations.register(r);
            case Change.ChannelAccess a -> channelAccess(a);
            case Change.ReadMarker r -> readMarker(r);
            case Change.LoginSeen l -> {
                accounts.noteLogin(l.keys(), l.failed());
                yield null;
            }
            case Change.AccountKnown a -> {
                accounts.noteName(a.name(), a.exists());
                yield null;
            }
            case Change.DropChannel d -> registrations.drop(d);
            case Change.ForgetChannelAccount f -> registrations.forgetAccount(f);
            case Change.MonitorAdd m -> monitors.add(m);
            case Change.MonitorRemove m -> monitors.remove(m);
            case Change.MonitorClear m -> monitors.clear(m);
        };
    }

    /** ChanServ ACCESS, in the order of every other change (the access list decides a joiner's +o and +v). */
    private dev.parley.server.service.ChannelRegistry.AccessOutcome channelAccess(Change.ChannelAccess a) {
        lock.lock();
        try {
            return channelRegistry.setAccess(a.channel(), a.account(), a.level(), a.setBy(), now(), a.max());
        } finally {
            lock.unlock();
        }
    }

    /** MARKREAD of a logged-in user: the account's marker moves, and its other connections here hear of it. */
    private dev.parley.server.service.ReadMarkers.Advance readMarker(Change.ReadMarker r) {
        dev.parley.server.service.ReadMarkers.Advance a = readMarkers.advance(r.account(), r.target(), r.atMillis());
        if (a.moved()) {
            IrcMessage m = IrcMessage.from(serverName(), "MARKREAD", r.shown(),
                    "timestamp=" + Outgoing.SERVER_TIME.format(java.time.Instant.ofEpochMilli(a.readAtMillis())));
            for (Client other : loggedIn(r.account())) {
                if (other != r.by() && !other.isRemote() && other.hasCap(Cap.READ_MARKER)) {
                    other.send(m);
                }
            }
        }
        return a;
    }

    // ---- MONITOR's queries ----

    /** MONITOR L: the nicks {@code c} watches, as it gave them, in the order added. Takes the hub lock. */
    public List<String> monitorList(Client c) {
        return monitors.list(c);
    }

    /**
     * MONITOR S: tells {@code c} which nicks it watches are online (730) and offline (731). Takes
     * the hub lock, so the answer keeps its place among the notifications about those nicks.
     */
    public void monitorStatus(Client c) {
        monitors.status(c);
    }

    /** How many distinct nicks clients watch with MONITOR. Takes the hub lock. */
    public int watchedNicks() {
        lock.lock();
        try {
            return monitors.watchedNicksLocked();
        } finally {
            lock.unlock();
        }
    }

    // ---- helpers for the appliers (package-private) ----

    Map<String, Client> nicksLocked() {
        return nicks;
    }

    void forgetClientLocked(Client c) {
        clients.remove(c);
        byNetId.remove(c.netId(), c);
        c.markGoneLocked();
        indexAccountLocked(c, c.account(), null);
    }

    /** Moves {@code c} in the index of logged-in clients from account {@code from} to {@code to} (either null). */
    void indexAccountLocked(Client c, String from, String to) {
        if (from != null) {
            String key = caseMapping.fold(from);
            Set<Client> set = byAccount.get(key);
            if (set != null && set.remove(c) && set.isEmpty()) {
                byAccount.remove(key, set);
            }
        }
        if (to != null) {
            byAccount.computeIfAbsent(caseMapping.fold(to), k -> ConcurrentHashMap.newKeySet()).add(c);
        }
    }

    /**
     * Takes {@code c} out of {@code ch}; forgets the channel once empty, and its history unless
     * it is registered (a registered channel is recreated with its history). Hub lock held.
     */
    boolean removeMemberLocked(Channel ch, Client c) {
        if (!ch.removeLocked(c)) {
            return false;
        }
        if (ch.isEmptyLocked()) {
            channels.remove(ch.key(), ch);
            HistoryService h = history;
            if (h != null && registrations.of(ch) == null) {
                h.forget(ch.historyKey()); // nobody may read an emptied channel's history again
            }
        }
        return true;
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
                if (c.isClosing() || c.isRemote()) {
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
     * Tells every client the server is going away and closes them (output drains first). In a
     * cluster their peers on the other nodes, who stay, see each quit with {@code reason}.
     */
    public void disconnectAll(String reason) {
        String peers = network == null ? null : reason;
        for (Client c : new ArrayList<>(clients)) {
            if (!c.isRemote()) {
                c.close(reason, peers, false);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        hashing.close();
    }

    /** Where every password is hashed or checked (a bounded pool; see {@link HashingPool}). */
    public HashingPool hashing() {
        return hashing;
    }
}
