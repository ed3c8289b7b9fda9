package dev.parley.server.session;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A connection's bounded queue of outgoing lines.
 *
 * <p>Any thread may {@link #offer} (it never blocks on the network: it takes a short lock,
 * appends, and returns). Exactly one writer drains it at a time: blocking in
 * {@link #awaitBatch()} (a thread that lives as long as the connection), waiting a little in
 * {@link #pollBatch} (a writer started by the {@code onReady} hook, which ends when the queue
 * stays empty), or polling with {@link #drainTo(ByteBuffer)} after the {@code onReady} hook
 * fired (selector engine). Draining coalesces many queued lines into one write.
 *
 * <p>Lock tier: the SendQ lock is a leaf; nothing else is acquired while it is held.
 *
 * <p>A session's output extends it ({@code SessionOutput}), so a delivery goes from the client
 * to its queue through one object.
 */
public class SendQ {
    /** What {@link #offer} did. */
    public enum Offer { QUEUED, OVERFLOW, CLOSED }

    /** Largest batch one write gets. */
    static final int MAX_BATCH = 64 * 1024;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final int limit;
    private final Runnable onReady;
    private int headOffset;
    private long bytes;
    private boolean closed;
    private long totalBytes;

    /**
     * @param limit   bytes that may wait at once; an offer beyond it overflows
     * @param onReady run (outside the lock) when the queue goes from empty to non-empty
     */
    public SendQ(int limit, Runnable onReady) {
        this.limit = limit;
        this.onReady = onReady;
    }

    public Offer offer(byte[] line) {
        boolean wasEmpty;
        lock.lock();
        try {
            if (closed) {
                return Offer.CLOSED;
            }
            if (bytes + line.length > limit) {
                return Offer.OVERFLOW;
            }
            wasEmpty = queue.isEmpty();
            queue.addLast(line);
            bytes += line.length;
            totalBytes += line.length;
            if (wasEmpty) {
                nonEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
        if (wasEmpty) {
            onReady.run();
        }
        return Offer.QUEUED;
    }

    /**
     * Appends a last line (even past the limit, after dropping what is queued when
     * {@code discardQueued}) and closes the queue: the writer drains it and then sees the end.
     */
    public void closeWith(byte[] lastLine, boolean discardQueued) {
        boolean wasEmpty;
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (discardQueued) {
                queue.clear();
                bytes = 0;
                headOffset = 0;
            }
            wasEmpty = queue.isEmpty();
            if (lastLine != null) {
                queue.addLast(lastLine);
                bytes += lastLine.length;
            }
            closed = true;
            nonEmpty.signalAll();
        } finally {
            lock.unlock();
        }
        if (wasEmpty) {
            onReady.run();
        }
    }

    /**
     * Blocks until there is output or the queue is closed and drained. Returns the bytes to
     * write (many lines coalesced), or {@code null} at the end.
     */
    public byte[] awaitBatch() throws InterruptedException {
        return pollBatch(Long.MAX_VALUE);
    }

    /** The head line alone, or many lines coalesced (at most {@link #MAX_BATCH}). Lock held, queue not empty. */
    private byte[] batchLocked() {
        if (queue.size() == 1 && headOffset == 0) {
            byte[] only = queue.pollFirst();
            bytes -= only.length;
            return only;
        }
        int size = (int) Math.min(bytes, MAX_BATCH);
        byte[] batch = new byte[size];
        int n = drainLocked(ByteBuffer.wrap(batch));
        return n == size ? batch : java.util.Arrays.copyOf(batch, n);
    }

    /**
     * Waits at most {@code waitNanos} for output. Returns the bytes to write (many lines
     * coalesced), or {@code null} when nothing was queued in that time (or the queue is closed
     * and drained: see {@link #isFinished}).
     */
    public byte[] pollBatch(long waitNanos) throws InterruptedException {
        lock.lock();
        try {
            long left = waitNanos;
            while (queue.isEmpty()) {
                if (closed || left <= 0) {
                    return null;
                }
                left = nonEmpty.awaitNanos(left);
            }
            return batchLocked();
        } finally {
            lock.unlock();
        }
    }

    /** True when there is output to write, or the queue is closed (the writer has a last step). */
    public boolean hasWork() {
        lock.lock();
        try {
            return closed || !queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** Moves as much queued output as fits into {@code out}; returns bytes moved. Never blocks. */
    public int drainTo(ByteBuffer out) {
        lock.lock();
        try {
            return drainLocked(out);
        } finally {
            lock.unlock();
        }
    }

    /** Moves queued bytes into {@code out} until it is full or the queue is empty. Lock held. */
    private int drainLocked(ByteBuffer out) {
        int moved = 0;
        while (out.hasRemaining() && !queue.isEmpty()) {
            byte[] head = queue.peekFirst();
            int n = Math.min(out.remaining(), head.length - headOffset);
            out.put(head, headOffset, n);
            headOffset += n;
            moved += n;
            if (headOffset == head.length) {
                queue.pollFirst();
                headOffset = 0;
            }
        }
        bytes -= moved;
        return moved;
    }

    /** True when closed and nothing is left to write. */
    public boolean isFinished() {
        lock.lock();
        try {
            return closed && queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting right now. */
    public long queuedBytes() {
        lock.lock();
        try {
            return bytes;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes ever accepted. */
    public long totalBytes() {
        lock.lock();
        try {
            return totalBytes;
        } finally {
            lock.unlock();
        }
    }

    public int limit() {
        return limit;
    }
}
