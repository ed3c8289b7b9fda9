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
    private final Duration maxAge;
    private final java.util.function.LongSupplier clock;
    private final AtomicLong enqueued = new AtomicLong();
    private volatile long committed;
    private volatile boolean closing;

    public HistoryService(Store store, int keepPerTarget, Duration maxAge, java.util.function.LongSupplier clock) {
        this.store = store;
        this.keepPerTarget = keepPerTarget;
        this.maxAge = maxAge;
        this.clock = clock;
        this.seq = new AtomicLong(store.maxHistorySeq());
        this.writer = Thread.ofPlatform().name("parley-history-writer").daemon(true).start(this::writeLoop);
    }

    /** Queues one message for storage. Never blocks; when the queue is full the message is not stored. */
    public void record(String target, String msgid, long sentAt, String sender, String account, String command,
                String recipient, String body) {
        HistoryEntry e = new HistoryEntry(seq.incrementAndGet(), target, msgid, sentAt, sender, account, command,
                recipient, body);
        if (!queue.offer(e)) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("history queue full; {} messages not stored so far", dropped.get());
            }
            return;
        }
        enqueued.accumulateAndGet(e.seq(), Math::max);
    }

    /** Blocks until every message queued before this call is stored (or the timeout passes). */
    public void awaitFlushed() {
        long target = enqueued.get();
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

    public long droppedCount() {
        return dropped.get();
    }

    /** Put on the queue by {@link #close}: everything before it is stored, then the writer ends. */
    private static final HistoryEntry END = new HistoryEntry(-1, "", "", 0, "", null, "", "", "");

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
                store.appendHistory(batch);
                prune(batch);
                long last = 0;
                for (HistoryEntry e : batch) {
                    last = Math.max(last, e.seq());
                }
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
