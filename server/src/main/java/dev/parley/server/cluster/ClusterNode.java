package dev.parley.server.cluster;

import dev.parley.server.command.Messages;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Network;
import dev.parley.server.core.Outgoing;
import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.Dispatcher;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.PushSubscribeOptions;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.nats.client.api.KeyValueWatcher;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This server as one node of a network of Parley nodes over NATS JetStream.
 *
 * <ul>
 *   <li><b>State</b>: every {@link Change} is published to one replicated stream
 *       ({@value #STREAM}); each node reads the stream in order from its start with an ordered
 *       consumer and applies each change on one thread ({@code parley-cluster-apply}), so all
 *       nodes hold the same state and decide alike — two nodes asking for one nick: the first in
 *       the stream gets it, the other {@code IN_USE}. The node that made a change waits until it
 *       comes back and returns what applying it did.</li>
 *   <li><b>Messages</b> go over plain NATS to the nodes that need them: a channel message once to
 *       each node with members there, a private message to the recipient's node. Each carries the
 *       sender node's position in the stream; the receiver holds it until it has applied that
 *       much, so no one sees a message before the JOIN that let its sender speak.</li>
 *   <li><b>Liveness</b>: each node renews a lease in a key-value bucket ({@value #LEASES}); a
 *       node not heard from for {@code --cluster-lease} is declared lost (an event in the stream)
 *       and every node removes its users, who are seen quitting with {@code Node lost: NAME}. A
 *       node that cannot renew its lease stops serving: it tells its users to reconnect and comes
 *       back as a new incarnation ({@code name/epoch}) once NATS answers again.</li>
 * </ul>
 */
public final class ClusterNode implements Network, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.cluster");
    static final String STREAM = "PARLEY_EVENTS";
    static final String EVENTS = "parley.events";
    static final String LEASES = "parley-nodes";
    /** What the nodes share once: the cloak key, and which node holds which history slot. */
    static final String SHARED = "parley-network";
    /** The object store of the network's state snapshots (one object, replaced). */
    static final String SNAPSHOTS = "parley-snapshots";
    private static final String SNAPSHOT = "state";
    private static final String NODE_SUBJECT = "parley.node.";
    private static final byte TO_CHANNEL = 1;
    private static final byte TO_CLIENT = 2;
    static final String RECONNECT = "Lost contact with the network; please reconnect";
    /** The result of a change whose client was gone when its turn came. */
    private static final Object NOT_APPLIED = new Object();

    private final Hub hub;
    private final ServerConfig.Cluster config;
    private final String name;
    private volatile String self;
    private Connection nats;
    private JetStream js;
    private KeyValue leases;
    private Dispatcher dispatcher;
    private final BlockingQueue<Object> inbox = new LinkedBlockingQueue<>();
    /** Deliveries waiting until this node has applied as much of the stream as their sender had. Apply thread only. */
    private final ArrayDeque<Delivery> held = new ArrayDeque<>();
    /** Messages dropped because {@code held} was full. Apply thread only. */
    private long droppedHeld;
    /** {@code held.size()}, for other threads. */
    private volatile int heldCount;
    private final Map<Long, CompletableFuture<Object>> waiting = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();
    /** The last stream sequence applied here. */
    private volatile long applied;
    private final Thread applyThread;
    private final ScheduledExecutorService timer;
    private volatile boolean running = true;
    /** When each node's lease was last renewed, as seen here (nanoTime), by node name. */
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();
    private final Map<String, Long> lostAnnounced = new ConcurrentHashMap<>();
    private volatile long startedNanos;
    private volatile long lastRenewalNanos;
    /** Since when this node's own renewals have succeeded without a break: only that long can it judge others' silence. */
    private volatile long healthySinceNanos;
    private io.nats.client.ObjectStore snapshots;
    /** The change of the snapshot this node started from (0: from the first change). */
    private volatile long startedFrom;
    private final java.util.concurrent.atomic.AtomicBoolean snapshotting = new java.util.concurrent.atomic.AtomicBoolean();
    /** Told when this node stops serving (cut off) and serves again; the server stops and starts listening. */
    private volatile java.util.function.Consumer<Boolean> servingListener = serving -> { };
    /** Cut off: this node's users were told to reconnect and it refuses changes until NATS answers again. */
    private volatile boolean fenced;

    /** A node's lease as last seen here: its epoch, the bucket revision and when that revision was first seen. */
    private record Seen(String epoch, String serverName, long revision, long atNanos) {
        /** From a lease's value: {@code epoch serverName}. */
        static Seen of(String value, long revision, long atNanos) {
            int space = value.indexOf(' ');
            return space < 0 ? new Seen(value, null, revision, atNanos)
                    : new Seen(value.substring(0, space), value.substring(space + 1), revision, atNanos);
        }
    }

    private record Event(long seq, byte[] data) {
    }

    private record Delivery(long watermark, byte[] data) {
    }

    public ClusterNode(Hub hub, ServerConfig.Cluster config, String defaultName) {
        this.hub = hub;
        this.config = config;
        this.name = config.nodeName() != null ? config.nodeName() : defaultName;
        this.self = name + "/" + Long.toString(System.currentTimeMillis(), 36);
        this.applyThread = new Thread(this::applyLoop, "parley-cluster-apply");
        this.applyThread.setDaemon(true);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-cluster-lease");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Connects to NATS, makes the stream and the lease bucket if they are missing, reads the
     * network's changes up to now and announces this node. Returns once this node holds the
     * network's state; throws with a clear message when NATS cannot be reached.
     */
    public void start(Duration within) throws IOException, InterruptedException {
        Options options = Options.builder()
                .servers(config.urls().split("\\s*,\\s*"))
                .connectionName("parley " + name)
                .maxReconnects(-1)
                .reconnectWait(Duration.ofMillis(250))
                .connectionTimeout(Duration.ofSeconds(5))
                .connectionListener(this::connectionEvent)
                .build();
        try {
            nats = Nats.connect(options);
        } catch (IOException e) {
            throw new IOException("cannot reach the cluster's NATS servers (" + config.urls() + "): " + e.getMessage(), e);
        }
        try {
            JetStreamManagement jsm = nats.jetStreamManagement();
            long deadline = System.nanoTime() + within.toNanos();
            ensureStream(jsm, deadline);
            KeyValueManagement kvm = nats.keyValueManagement();
            for (String bucket : List.of(LEASES, SHARED)) {
                retry(deadline, () -> {
                    try {
                        return kvm.getStatus(bucket);
                    } catch (JetStreamApiException e) {
                        return kvm.create(KeyValueConfiguration.builder().name(bucket).maxHistoryPerKey(1)
                                .storageType(StorageType.File).replicas(config.replicas()).build());
                    }
                });
            }
            leases = nats.keyValue(LEASES);
            KeyValue shared = nats.keyValue(SHARED);
            retry(deadline, () -> {
                shareCloakKey(shared);
                return null;
            });
            int[] slot = new int[1];
            retry(deadline, () -> slot[0] = historySlot(shared));
            if (hub.history() != null) {
                hub.history().useNetworkSequence(slot[0]);
            }
            js = nats.jetStream();
            long[] last = new long[1];
            retry(deadline, () -> last[0] = jsm.getStreamInfo(STREAM).getStreamState().getLastSequence());
            startedNanos = System.nanoTime();
            lastRenewalNanos = startedNanos;
            // a stream just made has no leader for a moment, and asks for consumers go unanswered
            retry(deadline, () -> leases.watchAll(new LeaseWatcher()));
            var osm = nats.objectStoreManagement();
            retry(deadline, () -> {
                try {
                    return osm.getStatus(SNAPSHOTS);
                } catch (JetStreamApiException e) {
                    return osm.create(io.nats.client.api.ObjectStoreConfiguration.builder(SNAPSHOTS)
                            .storageType(StorageType.File).replicas(config.replicas()).build());
                }
            });
            snapshots = nats.objectStore(SNAPSHOTS);
            retry(deadline, () -> {
                readSnapshot(jsm);
                return null;
            });
            applyThread.start();
            dispatcher = nats.createDispatcher();
            dispatcher.subscribe(NODE_SUBJECT + name, this::onDelivery);
            var consumer = io.nats.client.api.ConsumerConfiguration.builder()
                    // a heartbeat a second: a consumer lost with its NATS server is noticed in
                    // seconds and made again where the stream is (jnats does, from where it was)
                    .idleHeartbeat(Duration.ofSeconds(1));
            if (applied > 0) {
                consumer.deliverPolicy(io.nats.client.api.DeliverPolicy.ByStartSequence).startSequence(applied + 1);
            }
            retry(deadline, () -> js.subscribe(EVENTS, dispatcher, this::onEvent, false,
                    PushSubscribeOptions.builder().stream(STREAM).ordered(true).configuration(consumer.build()).build()));
            while (applied < last[0]) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("the network's state did not arrive in time (" + applied + " of " + last[0] + " changes)");
                }
                Thread.sleep(10);
            }
            if (hub.accounts() != null) {
                hub.accounts().reloadNames(); // accounts other nodes made while this one caught up
            }
            renewLease();
            publishNodeEvent(Events.NODE_UP, self, null);
            long period = Math.max(200, config.lease().toMillis() / 4);
            timer.scheduleWithFixedDelay(this::tick, period, period, TimeUnit.MILLISECONDS);
            LOG.info("node {} joined the network at change {} ({} clients known; from {})", self, applied,
                    hub.clients().size(), startedFrom > 0 ? "the snapshot of change " + startedFrom : "the first change");
        } catch (JetStreamApiException e) {
            close();
            throw new IOException("JetStream refused the cluster's stream or bucket: " + e.getMessage()
                    + " (is JetStream on, with at least --cluster-replicas " + config.replicas() + " servers?)", e);
        } catch (IOException | InterruptedException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Starts from the network's last snapshot, if there is one: the state as of its change,
     * read into the empty hub. Without one the changes must all still be there.
     */
    private void readSnapshot(JetStreamManagement jsm) throws IOException, JetStreamApiException, InterruptedException {
        io.nats.client.api.ObjectInfo info = snapshots.getInfo(SNAPSHOT);
        if (info != null && !info.isDeleted()) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) Math.min(info.getSize(), 1 << 26));
            try {
                snapshots.get(SNAPSHOT, bytes);
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IOException(e);
            }
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
                long seq = in.readLong();
                hub.readSnapshot(in);
                applied = seq;
                startedFrom = seq;
            }
            return;
        }
        long first = jsm.getStreamInfo(STREAM).getStreamState().getFirstSequence();
        if (first > 1) {
            throw new IOException("the network's changes before " + first + " are gone and there is no snapshot"
                    + " to start from (bucket " + SNAPSHOTS + ")");
        }
    }

    /** The change of the snapshot this node started from, or 0 when it read every change. */
    public long startedFrom() {
        return startedFrom;
    }

    /**
     * Every {@code --cluster-snapshot-every} changes, the first node by name among those alive
     * writes the state as of that change (made here, on the applying thread, between two
     * changes; stored on a virtual thread), then drops the changes a snapshot ago and older.
     */
    private void maybeSnapshot(long seq) {
        int every = config.snapshotEvery();
        if (seq % every != 0 || fenced || !name.equals(firstAlive()) || !snapshotting.compareAndSet(false, true)) {
            return;
        }
        byte[] state;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeLong(seq);
                hub.writeSnapshot(out, self);
            }
            state = bytes.toByteArray();
        } catch (IOException | RuntimeException e) {
            snapshotting.set(false);
            LOG.error("the snapshot of change {} could not be made", seq, e);
            return;
        }
        Thread.ofVirtual().name("parley-cluster-snapshot").start(() -> {
            try {
                snapshots.put(io.nats.client.api.ObjectMeta.builder(SNAPSHOT).description("change " + seq).build(),
                        new ByteArrayInputStream(state));
                long keepFrom = seq - every;
                if (keepFrom > 1) {
                    nats.jetStreamManagement().purgeStream(STREAM,
                            io.nats.client.PurgeOptions.builder().sequence(keepFrom).build());
                }
                LOG.info("snapshot of change {} stored ({} bytes); changes before {} dropped", seq, state.length,
                        Math.max(1, keepFrom));
            } catch (Exception e) {
                LOG.warn("the snapshot of change {} was not stored: {}", seq, e.toString());
            } finally {
                snapshotting.set(false);
            }
        });
    }

    /**
     * The first node name, in order, among the leases this node has seen renewed within a lease
     * (a crashed node's lease stays in the bucket; it must not hold the snapshots back).
     */
    private String firstAlive() {
        long now = System.nanoTime();
        long lease = config.lease().toNanos();
        String first = null;
        for (Map.Entry<String, Seen> e : seen.entrySet()) {
            String n = e.getKey();
            boolean fresh = n.equals(name) || now - e.getValue().atNanos() <= lease;
            if (fresh && (first == null || n.compareTo(first) < 0)) {
                first = n;
            }
        }
        return first;
    }

    /** The network's cloak key: the first node's, made once (compare-and-set), the same on every node. */
    private void shareCloakKey(KeyValue shared) throws IOException, JetStreamApiException {
        byte[] mine = new byte[32];
        new java.security.SecureRandom().nextBytes(mine);
        try {
            shared.create("cloak-key", mine);
        } catch (JetStreamApiException e) {
            // made by another node: use that one
        }
        KeyValueEntry key = shared.get("cloak-key");
        if (key == null || key.getValue() == null || key.getValue().length < 16) {
            throw new IOException("the network's cloak key is missing or damaged");
        }
        hub.useCloakKey(key.getValue());
    }

    /**
     * This node's slot in the network's history sequence numbers: the first free one from a
     * place its name picks, claimed by compare-and-set, kept across restarts.
     */
    private int historySlot(KeyValue shared) throws IOException, JetStreamApiException {
        int slots = dev.parley.server.service.HistoryService.SLOTS;
        int start = Math.floorMod(name.hashCode(), slots);
        for (int i = 0; i < slots; i++) {
            String key = "slot-" + ((start + i) % slots);
            try {
                shared.create(key, name.getBytes(StandardCharsets.UTF_8));
                return (start + i) % slots;
            } catch (JetStreamApiException e) {
                KeyValueEntry holder = shared.get(key);
                if (holder != null && name.equals(holder.getValueAsString())) {
                    return (start + i) % slots;
                }
            }
        }
        throw new IOException("every history slot of the network is taken (" + slots + " node names)");
    }

    private interface Step {
        Object run() throws IOException, JetStreamApiException, InterruptedException;
    }

    /** Runs {@code step} until it succeeds or {@code deadline} passes (then its last failure is thrown). */
    private static void retry(long deadline, Step step) throws IOException, JetStreamApiException, InterruptedException {
        while (true) {
            try {
                step.run();
                return;
            } catch (IOException | JetStreamApiException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.debug("JetStream not ready yet: {}", e.getMessage());
                Thread.sleep(250);
            }
        }
    }

    /** The stream of the network's changes: found, or made by the first node (retried while JetStream elects leaders). */
    private void ensureStream(JetStreamManagement jsm, long deadline) throws IOException, JetStreamApiException,
            InterruptedException {
        retry(deadline, () -> {
            try {
                return jsm.getStreamInfo(STREAM);
            } catch (JetStreamApiException e) {
                if (e.getApiErrorCode() != 10059) { // not "stream not found"
                    throw e;
                }
                return jsm.addStream(StreamConfiguration.builder().name(STREAM).subjects(EVENTS)
                        .storageType(StorageType.File).replicas(config.replicas())
                        .duplicateWindow(Duration.ofMinutes(2)).build());
            }
        });
    }

    @Override
    public String self() {
        return self;
    }

    /** {@code listener} hears {@code false} when this node is cut off and {@code true} when it serves again. */
    public void onServing(java.util.function.Consumer<Boolean> listener) {
        servingListener = listener;
    }

    private void tellServing(boolean serving) {
        try {
            servingListener.accept(serving);
        } catch (RuntimeException e) {
            LOG.warn("{} listening failed: {}", serving ? "resuming" : "stopping", e.getMessage());
        }
    }

    /** This node's name. */
    public String name() {
        return name;
    }

    @Override
    public int heldMessages() {
        return heldCount;
    }

    @Override
    public String serverOf(Client c) {
        if (!c.isRemote()) {
            return hub.serverName();
        }
        String node = nameOf(c.node());
        Seen s = seen.get(node);
        return s != null && s.serverName() != null ? s.serverName() : node;
    }

    @Override
    public int nodesSeen() {
        return seen.size();
    }

    @Override
    public boolean isServing() {
        return running && !fenced && nats != null && nats.getStatus() == Connection.Status.CONNECTED;
    }

    /**
     * For the console's status: this node, whether it serves, how far it has applied the
     * network's changes, and every node with its registered users.
     */
    public String describe() {
        java.util.TreeMap<String, Integer> users = new java.util.TreeMap<>();
        users.put(name + " (this node)", 0);
        for (Client c : hub.clients()) {
            if (c.isRegistered()) {
                users.merge(c.isRemote() ? nameOf(c.node()) : name + " (this node)", 1, Integer::sum);
            }
        }
        for (String n : seen.keySet()) {
            if (!n.equals(name)) {
                users.putIfAbsent(n, 0);
            }
        }
        StringBuilder out = new StringBuilder(self).append(fenced ? ", cut off (users told to reconnect)"
                : isServing() ? ", serving" : ", not connected to NATS").append("; change ").append(applied)
                .append(" applied; nodes: ");
        String sep = "";
        for (var e : users.entrySet()) {
            out.append(sep).append(e.getKey()).append(' ').append(e.getValue()).append(" users");
            sep = ", ";
        }
        return out.toString();
    }

    @Override
    public long appliedSequence() {
        return applied;
    }

    // ---- changes ----

    @Override
    @SuppressWarnings("unchecked")
    public <R> R submit(Change<R> change) {
        if (fenced || !running) {
            throw new NetworkUnavailableException("this node is cut off from the network");
        }
        if (hub.isApplier() || hub.lock().isHeldByCurrentThread()) {
            // made while another change is applied: published, applied in its turn, nobody waits
            byte[] data = Events.encode(change, self, 0, hub.now());
            js.publishAsync(EVENTS, data);
            return (R) nothingHappened(change);
        }
        long request = requests.incrementAndGet();
        CompletableFuture<Object> done = new CompletableFuture<>();
        waiting.put(request, done);
        try {
            byte[] data = Events.encode(change, self, request, hub.now());
            js.publish(EVENTS, data, PublishOptions.builder().messageId(self + "/" + request).build());
            Object result = done.get(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            return (R) (result == NOT_APPLIED ? nothingHappened(change) : result);
        } catch (IOException | JetStreamApiException | TimeoutException e) {
            throw new NetworkUnavailableException("the network did not take the change in time: " + e.getMessage());
        } catch (ExecutionException e) {
            throw new NetworkUnavailableException("the change was not applied: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NetworkUnavailableException("interrupted while the network agreed");
        } finally {
            waiting.remove(request);
        }
    }

    /** What a change that did not happen returns: what its caller handles as "nothing changed". */
    static Object nothingHappened(Change<?> change) {
        return switch (change) {
            case Change.Nick n -> Change.NickResult.UNCHANGED;
            case Change.Register r -> Boolean.FALSE;
            case Change.UserModes m -> "";
            case Change.Join j -> new Change.Closing();
            case Change.Part p -> Boolean.FALSE;
            case Change.Kick k -> Change.KickResult.NOT_ON_CHANNEL;
            case Change.Topic t -> Change.TopicResult.NOT_ON_CHANNEL;
            case Change.Invite i -> Change.InviteResult.GONE;
            case Change.ChannelModes m -> List.of();
            case Change.ServiceModes m -> List.of();
            case Change.RegisterChannel r -> Change.RegisterChannelResult.GONE;
            case Change.DropChannel d -> Change.DropChannelResult.NOT_REGISTERED;
            case Change.ForgetChannelAccount f -> List.of();
            case Change.ChannelAccess a -> dev.parley.server.service.ChannelRegistry.AccessOutcome.NOT_REGISTERED;
            case Change.ReadMarker r -> new dev.parley.server.service.ReadMarkers.Advance(r.atMillis(), false);
            default -> null;
        };
    }

    private void onEvent(Message m) {
        inbox.add(new Event(m.metaData().streamSequence(), m.getData()));
    }

    private void onDelivery(Message m) {
        byte[] data = m.getData();
        long watermark = 0;
        for (int i = 1; i <= 8; i++) {
            watermark = (watermark << 8) | (data[i] & 0xff);
        }
        inbox.add(new Delivery(watermark, data));
    }

    private void applyLoop() {
        while (running) {
            Object item;
            try {
                item = inbox.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            try {
                if (item instanceof Event e) {
                    apply(e);
                    while (!held.isEmpty() && held.peekFirst().watermark() <= applied) {
                        deliver(held.pollFirst());
                    }
                    heldCount = held.size();
                } else if (item instanceof Delivery d) {
                    if (held.isEmpty() && d.watermark() <= applied) {
                        deliver(d);
                    } else if (held.size() < config.heldMax()) {
                        held.addLast(d);
                        heldCount = held.size();
                    } else if (droppedHeld++ % 1000 == 0) {
                        LOG.warn("{} messages from other nodes dropped: this node is {} held messages behind"
                                + " (--cluster-held-max)", droppedHeld, held.size());
                    }
                } else if (item instanceof Runnable r) {
                    r.run();
                }
            } catch (RuntimeException e) {
                LOG.error("applying {} failed", item, e);
            }
        }
    }

    private void apply(Event e) {
        if (e.seq() <= applied) {
            return; // the ordered consumer may repeat after it recovers
        }
        Events.Decoded d;
        try {
            d = Events.decode(e.data(), hub, self);
        } catch (IOException | RuntimeException ex) {
            LOG.error("change {} of the network cannot be read; skipped", e.seq(), ex);
            applied = e.seq();
            return;
        }
        Object result = null;
        switch (d.kind()) {
            case Events.NODE_UP -> {
                String upName = nameOf(d.node());
                removeClients(c -> {
                    String n = nodeOf(c);
                    return n != null && nameOf(n).equals(upName) && !n.equals(d.node());
                }, "Node restarted: " + upName, e.seq(), d.time());
            }
            case Events.NODE_LOST -> {
                removeClients(c -> d.node().equals(nodeOf(c)), d.reason(), e.seq(), d.time());
                if (d.node().equals(self)) {
                    LOG.warn("the network declared this node lost; its users were told to reconnect");
                    rejoinLater();
                }
            }
            default -> {
                if (d.change() != null) {
                    result = hub.applyReplicated(d.change(), e.seq(), d.time());
                    if (d.change() instanceof Change.Quit q && !q.client().isRemote()) {
                        // removed by another node (KILL) or while closing: its connection ends here
                        q.client().closeRemoved(q.reason() != null ? "Killed: " + q.reason() : "Disconnected");
                    }
                }
            }
        }
        applied = e.seq();
        maybeSnapshot(e.seq());
        if (d.request() != 0 && d.origin().equals(self)) {
            CompletableFuture<Object> f = waiting.get(d.request());
            if (f != null) {
                f.complete(d.change() != null ? result : NOT_APPLIED);
            }
        }
    }

    /** The node ({@code name/epoch}) a client's id names. */
    private static String nodeOf(Client c) {
        String id = c.netId();
        int slash = id.lastIndexOf('/');
        return slash < 0 ? null : id.substring(0, slash);
    }

    private static String nameOf(String node) {
        int slash = node.indexOf('/');
        return slash < 0 ? node : node.substring(0, slash);
    }

    /** Removes every client {@code which} picks, as if each quit with {@code reason}; this node's are told to reconnect. */
    private void removeClients(java.util.function.Predicate<Client> which, String reason, long seq, long time) {
        List<Client> gone = new ArrayList<>();
        for (Client c : hub.clients()) {
            if (which.test(c)) {
                gone.add(c);
            }
        }
        for (Client c : gone) {
            hub.applyReplicated(new Change.Quit(c, reason), seq, time);
            if (!c.isRemote()) {
                c.closeRemoved(RECONNECT);
            }
        }
        if (!gone.isEmpty()) {
            LOG.info("{}: {} users removed", reason, gone.size());
        }
    }

    // ---- messages ----

    @Override
    public void relayToChannel(Set<String> nodes, String channel, String status, boolean tagmsg, Outgoing message) {
        byte[] body = encode(out -> { // the same for every node: made once
            out.writeUTF(channel);
            out.writeUTF(status);
            out.writeBoolean(tagmsg);
            message.writeTo(out);
        });
        for (String node : nodes) {
            publish(TO_CHANNEL, node, body);
        }
    }

    @Override
    public void relayToClient(Client to, boolean tagmsg, Outgoing message) {
        publish(TO_CLIENT, to.node(), encode(out -> {
            out.writeUTF(to.netId());
            out.writeBoolean(tagmsg);
            message.writeTo(out);
        }));
    }

    private interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] encode(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            body.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Sends a delivery to {@code node}: its kind, how much of the stream this node has applied
     * (read by {@link #onDelivery}), the node it is for ({@code name/epoch}), then {@code body}.
     */
    private void publish(byte kind, String node, byte[] body) {
        nats.publish(NODE_SUBJECT + nameOf(node), encode(out -> {
            out.writeByte(kind);
            out.writeLong(applied);
            out.writeUTF(node);
            out.write(body);
        }));
    }

    private void deliver(Delivery d) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(d.data()))) {
            byte kind = in.readByte();
            in.readLong();
            String node = in.readUTF();
            if (!node.equals(self)) {
                return; // for an earlier incarnation of this node: its users are gone
            }
            if (kind == TO_CHANNEL) {
                String name = in.readUTF();
                String status = in.readUTF();
                boolean tagmsg = in.readBoolean();
                Outgoing out = Outgoing.readFrom(in);
                Channel ch = hub.findChannel(name);
                if (ch != null) {
                    Messages.deliverHere(ch.view(), status, tagmsg, null, out);
                }
            } else if (kind == TO_CLIENT) {
                String netId = in.readUTF();
                boolean tagmsg = in.readBoolean();
                Outgoing out = Outgoing.readFrom(in);
                Client to = hub.findByNetId(netId);
                if (to != null && !to.isRemote()) {
                    Messages.deliverHere(to, tagmsg, out);
                }
            }
        } catch (IOException e) {
            LOG.error("a message from the network cannot be read; dropped", e);
        }
    }

    // ---- liveness ----

    private final class LeaseWatcher implements KeyValueWatcher {
        @Override
        public void watch(KeyValueEntry entry) {
            if (entry.getOperation() == KeyValueOperation.PUT) {
                seen.put(entry.getKey(), Seen.of(entry.getValueAsString(), entry.getRevision(), System.nanoTime()));
            } else {
                seen.remove(entry.getKey());
            }
        }

        @Override
        public void endOfData() {
        }
    }

    private void renewLease() throws IOException, JetStreamApiException {
        leases.put(name, (epochOf(self) + " " + hub.serverName()).getBytes(StandardCharsets.UTF_8));
        long now = System.nanoTime();
        if (healthySinceNanos == 0) {
            healthySinceNanos = now;
        }
        lastRenewalNanos = now;
    }

    private static String epochOf(String node) {
        return node.substring(node.indexOf('/') + 1);
    }

    /** Every quarter lease: renew ours, declare lost the nodes whose lease lapsed, fence ourselves when cut off. */
    private void tick() {
        long now = System.nanoTime();
        long lease = config.lease().toNanos();
        try {
            renewLease();
            if (fenced) {
                rejoin();
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            healthySinceNanos = 0; // while JetStream cannot take our lease, nobody's silence means anything
            if (!fenced && now - lastRenewalNanos > lease) {
                fence("the lease could not be renewed for " + config.lease().toSeconds() + " s: " + e.getMessage());
            }
            return;
        }
        long since = Math.max(startedNanos, healthySinceNanos);
        if (now - since < lease) {
            return; // every node gets one whole lease, while we can hear it, to be heard from
        }
        Set<String> nodes = new java.util.HashSet<>();
        for (Client c : hub.clients()) {
            if (c.isRemote()) {
                nodes.add(nodeOf(c));
            }
        }
        for (String node : nodes) {
            Seen s = seen.get(nameOf(node));
            boolean lost = s == null || !s.epoch().equals(epochOf(node)) || now - Math.max(s.atNanos(), since) > lease;
            if (lost) {
                // the watch may lag (it is a consumer too, and recovers after an outage): ask the bucket itself
                s = leaseNow(node, s, now);
                lost = s == null || !s.epoch().equals(epochOf(node)) || now - Math.max(s.atNanos(), since) > lease;
            }
            Long announced = lostAnnounced.get(node);
            if (lost && (announced == null || now - announced > lease)) {
                lostAnnounced.put(node, now);
                LOG.warn("node {} is lost (no lease for {} s); removing its users", node, config.lease().toSeconds());
                publishNodeEvent(Events.NODE_LOST, node, "Node lost: " + nameOf(node));
            }
        }
    }

    /**
     * A node's lease as the bucket holds it now: null when it has none; when its revision moved
     * since {@code known}, seen renewed now. Null also when the bucket does not answer (the
     * caller's judgment then waits: see {@code healthySinceNanos}).
     */
    private Seen leaseNow(String nodeKey, Seen known, long now) {
        String node = nameOf(nodeKey);
        try {
            KeyValueEntry e = leases.get(node);
            if (e == null || e.getOperation() != KeyValueOperation.PUT) {
                seen.remove(node);
                return null;
            }
            Seen s = known != null && known.revision() == e.getRevision() ? known
                    : Seen.of(e.getValueAsString(), e.getRevision(), now);
            seen.put(node, s);
            return s;
        } catch (IOException | JetStreamApiException | RuntimeException ex) {
            return new Seen(epochOf(nodeKey), null, -1, now); // no answer: no verdict this time
        }
    }

    /** Publishes a node event; returns its place in the stream, or -1 when JetStream did not take it. */
    private long publishNodeEvent(byte kind, String node, String reason) {
        try {
            return js.publish(EVENTS, Events.encodeNode(kind, self, hub.now(), node, reason)).getSeqno();
        } catch (IOException | JetStreamApiException e) {
            LOG.warn("could not publish node event for {}: {}", node, e.getMessage());
            return -1;
        }
    }

    private void connectionEvent(Connection conn, ConnectionListener.Events type) {
        LOG.info("NATS connection: {}", type);
    }

    /** Cut off: this node's users cannot be served alike with the network's, so they are told to reconnect. */
    private void fence(String why) {
        fenced = true;
        LOG.error("cut off from the network ({}); telling this node's users to reconnect", why);
        tellServing(false);
        for (Client c : hub.clients()) {
            if (!c.isRemote()) {
                c.closeRemoved(RECONNECT);
            }
        }
        failWaiting("cut off from the network");
    }

    /** NATS answers again after a fence: the old incarnation is declared lost and a new one starts. */
    private void rejoin() {
        String old = self;
        if (publishNodeEvent(Events.NODE_LOST, old, "Node lost: " + name) < 0) {
            return; // the next tick tries again
        }
        self = name + "/" + Long.toString(System.currentTimeMillis(), 36);
        try {
            renewLease();
        } catch (IOException | JetStreamApiException e) {
            return;
        }
        long up = publishNodeEvent(Events.NODE_UP, self, null);
        // serve again only once the stream reaches this node again: its own event came back
        long deadline = System.nanoTime() + config.lease().toNanos();
        while (up < 0 || applied < up) {
            if (up < 0 || System.nanoTime() > deadline || !running) {
                return; // still fenced: the next tick tries again, as a newer incarnation
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        fenced = false;
        LOG.info("back in the network as {}", self);
        tellServing(true);
    }

    /** Every change this node waits for fails with {@code why}: it will not come back here. */
    private void failWaiting(String why) {
        for (CompletableFuture<Object> f : waiting.values()) {
            f.completeExceptionally(new IOException(why));
        }
    }

    /** Declared lost while alive: refuse changes until the lease thread starts a new incarnation. */
    private void rejoinLater() {
        fenced = true;
        tellServing(false);
        failWaiting("this node was declared lost");
    }

    /**
     * Stops talking to the network at once, as a node whose machine died would: no quit, no
     * lease given up. For tests of what the other nodes do.
     */
    void crash() {
        running = false;
        timer.shutdownNow();
        applyThread.interrupt();
        try {
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Leaves the network: after this node's users quit, its lease is given up and NATS closed. */
    @Override
    public void close() {
        running = false;
        timer.shutdownNow();
        try {
            if (leases != null && nats.getStatus() == Connection.Status.CONNECTED) {
                leases.delete(name);
            }
        } catch (IOException | JetStreamApiException | RuntimeException e) {
            LOG.debug("lease not given up: {}", e.getMessage());
        }
        applyThread.interrupt();
        if (nats != null) {
            try {
                nats.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
