package dev.parley.server.service;

import dev.parley.server.store.HistoryEntry;
import dev.parley.server.store.Store;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message history, written behind the message path: {@link #record} only appends to a bounded
 * queue (it never waits on disk); one writer thread takes everything queued at once and stores
 * it in one transaction. Readers first {@link #awaitFlushed() wait} until what was queued
 * before them is stored, so a replay never misses a message that was already relayed.
 *
 * <p>Crash bound: a killed process loses at most what was still queued, i.e. the messages of
 * the last few milliseconds (at most {@code QUEUE_CAPACITY}).
 *
 * <p>Who may read what: a channel's messages are stored under {@link #channelKey}, which names
 * one incarnation of the channel; once it empties they are deleted ({@link #forget}), and a
 * channel of the same name created later, or after a restart, starts with none (channel
 * history from earlier runs is deleted when the service starts). A channel registered with
 * ChanServ is the exception: its history belongs to the registration, which keeps the key of
 * the incarnation it was registered in, so its messages outlive its emptying and restarts
 * (the keys the service is told to keep) and are deleted when the registration is dropped.
 * Private messages are stored under the two accounts ({@link #privateKey}) and deleted with
 * either account ({@link #forgetAccount}).
 */
public final class HistoryService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.history");
    static final int QUEUE_CAPACITY = 100_000;
    private static final int MAX_BATCH = 2_000;

    private final Store store;
    private final BlockingQueue<HistoryEntry> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong seq;
    private final AtomicLong dropped = new AtomicLong();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition progress = lock.newCondition();
    private final Thread writer;
    private final int keepPerTarget;
    private final int maxTotal;
    /** Writer thread: messages up to this sequence number are deleted already. */
    private long deletedUpTo;
    private final Duration maxAge;
    private final java.util.function.LongSupplier clock;
    private final AtomicLong enqueued = new AtomicLong();
    /** Held while a message gets its sequence number and its place in the queue. */
    private final Object numbering = new Object();
    private volatile long committed;
    private volatile boolean closing;
    /**
     * In a cluster, this node's slot (0 to {@value #SLOTS} - 1) in network-wide sequence
     * numbers; -1 on a single server, where they count up from the store's newest.
     */
    private volatile int slot = -1;
    /** The time part of the last network sequence number given out (microseconds); under {@link #numbering}. */
    private long lastMicros;
    /** Writer thread: messages stored since the store was last cut to {@code maxTotal} (network numbering). */
    private long sinceTotalCut;
    /** Nodes a network's sequence numbers tell apart. */
    public static final int SLOTS = 1024;

    /** Targets of channel history start with this; private conversations with {@link #PRIVATE}. */
    public static final String CHANNEL = "chan:";
    public static final String PRIVATE = Store.CONVERSATION_PREFIX;

    /**
     * @param keepPerTarget messages kept per channel or conversation (0: all)
     * @param maxAge        messages older than this are deleted (zero: none)
     * @param maxTotal      messages kept in all; the oldest go first (0: all)
     * @param keepChannels  keys of channel history that outlives a restart (registered channels')
     */
    public HistoryService(Store store, int keepPerTarget, Duration maxAge, int maxTotal,
                          java.util.function.LongSupplier clock, Set<String> keepChannels) {
        this(store, keepPerTarget, maxAge, maxTotal, clock, keepChannels, true);
    }

    /**
     * @param deleteEarlierChannels delete the channel history of earlier runs (a single server:
     *                              its channels are gone; a cluster node: no, the network's
     *                              channels live on and the network's changes delete theirs)
     */
    public HistoryService(Store store, int keepPerTarget, Duration maxAge, int maxTotal,
                          java.util.function.LongSupplier clock, Set<String> keepChannels, boolean deleteEarlierChannels) {
        this.store = store;
        this.maxTotal = maxTotal;
        int stale = (deleteEarlierChannels ? deleteEarlierChannelHistory(store, keepChannels) : 0)
                + deleteLegacyChannelHistory(store);
        if (stale > 0) {
            LOG.info("deleted {} messages of channels from an earlier run", stale);
        }
        this.keepPerTarget = keepPerTarget;
        this.maxAge = maxAge;
        this.clock = clock;
        this.seq = new AtomicLong(store.maxHistorySeq());
        this.writer = Thread.ofPlatform().name("parley-history-writer").daemon(true).start(this::writeLoop);
    }

    /** The history of channels of earlier runs, but for the keys in {@code keep}. */
    private static int deleteEarlierChannelHistory(Store store, Set<String> keep) {
        if (keep.isEmpty()) {
            return store.deleteHistoryWithPrefix(CHANNEL);
        }
        int n = 0;
        for (String target : store.historyTargets(CHANNEL)) {
            if (!keep.contains(target)) {
                n += store.deleteHistory(target);
            }
        }
        return n;
    }

    /** Channel history stored by earlier versions under the bare channel name. */
    private static int deleteLegacyChannelHistory(Store store) {
        int n = 0;
        for (String prefix : List.of("#", "&", "+", "!")) {
            n += store.deleteHistoryWithPrefix(prefix);
        }
        return n;
    }

    /** The key of one incarnation of a channel (its folded name and an id unique to it). */
    public static String channelKey(String foldedName, String incarnation) {
        return CHANNEL + incarnation + ":" + foldedName;
    }

    /** The key of the conversation between two accounts (folded names), whichever way round. */
    public static String privateKey(String foldedA, String foldedB) {
        return foldedA.compareTo(foldedB) <= 0 ? PRIVATE + foldedA + "," + foldedB : PRIVATE + foldedB + "," + foldedA;
    }

    /**
     * Deletes what is stored under {@code target} once everything queued before is stored.
     * Never blocks; with the queue full the deletion happens at the next start instead.
     */
    public void forget(String target) {
        queue.offer(new HistoryEntry(FORGET, target, "", 0, "", null, "", "", ""));
    }

    /** Deletes every private conversation of {@code foldedAccount} (after what is queued). Never blocks. */
    public void forgetAccount(String foldedAccount) {
        queue.offer(new HistoryEntry(FORGET_ACCOUNT, foldedAccount, "", 0, "", null, "", "", ""));
    }

    /** Queues one message for storage. Never blocks; when the queue is full the message is not stored. */
    public void record(String target, String msgid, long sentAt, String sender, String account, String command,
                String recipient, String body) {
        record(target, msgid, sentAt, sender, account, command, recipient, body, null, null);
    }

    /**
     * Queues one message for storage, with its client-only tags and, for a draft/multiline
     * message, its line composition (see {@link HistoryEntry}). Never blocks.
     */
    public void record(String target, String msgid, long sentAt, String sender, String account, String command,
                String recipient, String body, String tags, String lineJoins) {
        boolean stored;
        // numbered and queued in one step: the queue holds messages in sequence order, so a
        // reader that waits for what was queued before it also gets every lower sequence number
        synchronized (numbering) {
            HistoryEntry e = new HistoryEntry(nextSeq(), target, msgid, sentAt, sender, account, command,
                    recipient, body, tags, lineJoins);
            stored = queue.offer(e);
            if (stored) {
                enqueued.set(e.seq());
            }
        }
        if (!stored && dropped.incrementAndGet() % 1000 == 1) {
            LOG.warn("history queue full; {} messages not stored so far", dropped.get());
        }
    }

    /**
     * Numbers this node's messages for a network of nodes sharing one store: a sequence number
     * is then the time in microseconds (made to grow by at least one each time) times
     * {@value #SLOTS} plus {@code slot}, unique across the network and in time order across
     * nodes as far as their clocks agree.
     */
    public void useNetworkSequence(int slot) {
        if (slot < 0 || slot >= SLOTS) {
            throw new IllegalArgumentException("history slot " + slot + " not in 0.." + (SLOTS - 1));
        }
        synchronized (numbering) {
            lastMicros = Math.max(lastMicros, store.maxHistorySeq() / SLOTS);
            this.slot = slot;
        }
    }

    /** The next sequence number; under {@link #numbering}. */
    private long nextSeq() {
        int s = slot;
        if (s < 0) {
            return seq.incrementAndGet();
        }
        lastMicros = Math.max(lastMicros + 1, clock.getAsLong() * 1000);
        long n = lastMicros * SLOTS + s;
        seq.set(n);
        return n;
    }

    /** Blocks until every message queued before this call is stored (or the timeout passes). */
    public void awaitFlushed() {
        long target;
        synchronized (numbering) {
            target = enqueued.get();
        }
        lock.lock();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (committed < target && !closing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                progress.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    /** The sequence number of the newest message recorded so far. */
    public long lastSeq() {
        return seq.get();
    }

    public Store store() {
        return store;
    }

    /** Messages waiting to be stored. */
    public int queueDepth() {
        return queue.size();
    }

    /** Transactions the writer has committed (each a batch of what was queued). */
    public long writeCount() {
        return writes.sum();
    }

    /** Nanoseconds the writer has spent storing, in all. */
    public long writeNanos() {
        return writeNanos.sum();
    }

    private final java.util.concurrent.atomic.LongAdder writes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder writeNanos = new java.util.concurrent.atomic.LongAdder();

    public long droppedCount() {
        return dropped.get();
    }

    /** Put on the queue by {@link #close}: everything before it is stored, then the writer ends. */
    private static final HistoryEntry END = new HistoryEntry(-1, "", "", 0, "", null, "", "", "");
    /** Sequence numbers that mark a deletion rather than a message (never a real one: those start at 1). */
    private static final long FORGET = -2;
    private static final long FORGET_ACCOUNT = -3;

    private void writeLoop() {
        List<HistoryEntry> batch = new ArrayList<>();
        boolean end = false;
        while (!end) {
            try {
                batch.add(queue.take());
                queue.drainTo(batch, MAX_BATCH - 1);
                end = batch.remove(END);
                if (batch.isEmpty()) {
                    continue;
                }
                long began = System.nanoTime();
                long last = storeRetrying(batch);
                writes.increment();
                writeNanos.add(System.nanoTime() - began);
                lock.lock();
                try {
                    committed = Math.max(committed, last);
                    progress.signalAll();
                } finally {
                    lock.unlock();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.error("could not store {} history lines", batch.size(), e);
            } finally {
                batch.clear();
            }
        }
    }

    /** How long the writer keeps trying a batch while the database does not take it (a restart, a failover). */
    static final Duration RETRY_FOR = Duration.ofSeconds(60);

    /**
     * {@link #store} until it succeeds, backing off up to 5 s between tries, for at most
     * {@link #RETRY_FOR} (once only while closing). Storing again what was stored is harmless: a
     * message already there is kept as it is (by its sequence number), a deletion deletes nothing.
     */
    private long storeRetrying(List<HistoryEntry> batch) throws InterruptedException {
        long deadline = System.nanoTime() + RETRY_FOR.toNanos();
        long pause = 250;
        while (true) {
            try {
                return store(batch);
            } catch (RuntimeException e) {
                if (closing || System.nanoTime() > deadline) {
                    throw e;
                }
                LOG.warn("could not store {} history lines, trying again in {} ms: {}", batch.size(), pause, e.getMessage());
                Thread.sleep(pause);
                pause = Math.min(5000, pause * 2);
            }
        }
    }

    /**
     * Stores a batch in order: messages in one transaction per run between deletions, each
     * deletion after the messages queued before it. Returns the highest sequence stored. Writer thread.
     */
    private long store(List<HistoryEntry> batch) {
        long last = 0;
        List<HistoryEntry> run = new ArrayList<>();
        for (HistoryEntry e : batch) {
            if (e.seq() > 0) {
                run.add(e);
                last = Math.max(last, e.seq());
                continue;
            }
            flush(run);
            if (e.seq() == FORGET) {
                store.deleteHistory(e.target());
            } else if (e.seq() == FORGET_ACCOUNT) {
                for (String t : store.historyTargets(PRIVATE)) {
                    String[] pair = t.substring(PRIVATE.length()).split(",", 2);
                    if (pair[0].equals(e.target()) || (pair.length > 1 && pair[1].equals(e.target()))) {
                        store.deleteHistory(t);
                    }
                }
            }
        }
        flush(run);
        return last;
    }

    private void flush(List<HistoryEntry> run) {
        if (!run.isEmpty()) {
            store.appendHistory(run);
            prune(run);
            long newest = 0;
            for (HistoryEntry e : run) {
                newest = Math.max(newest, e.seq());
            }
            if (slot >= 0) {
                // numbers with gaps: count what was stored, and cut to the newest maxTotal once a tenth more came
                sinceTotalCut += run.size();
                if (maxTotal > 0 && sinceTotalCut >= Math.max(1, maxTotal / 10)) {
                    sinceTotalCut = 0;
                    store.keepNewestHistory(maxTotal);
                }
            } else if (maxTotal > 0 && newest - maxTotal > deletedUpTo) {
                // sequence numbers only grow: at most maxTotal are left; once over, a delete per tenth
                deletedUpTo = newest - maxTotal + Math.max(1, maxTotal / 10);
                store.deleteHistoryUpTo(deletedUpTo);
            }
            run.clear();
        }
    }

    /** Keeps each touched target within its retention limits. Writer thread. */
    private void prune(List<HistoryEntry> batch) {
        if (keepPerTarget <= 0 && maxAge.isZero()) {
            return;
        }
        Set<String> targets = new HashSet<>();
        batch.forEach(e -> targets.add(e.target()));
        long before = maxAge.isZero() ? 0 : clock.getAsLong() - maxAge.toMillis();
        for (String t : targets) {
            store.pruneHistory(t, keepPerTarget, before);
        }
    }

    /** Stores everything still queued, then stops the writer. */
    @Override
    public void close() {
        closing = true;
        try {
            queue.put(END);
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!queue.isEmpty()) {
            LOG.warn("{} history lines were not stored before shutdown", queue.size());
        }
    }
}
