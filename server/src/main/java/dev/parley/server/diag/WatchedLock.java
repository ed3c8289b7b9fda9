package dev.parley.server.diag;

import java.util.Collection;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link ReentrantLock} that remembers since when it has been held, so the
 * {@link DeadlockWatchdog} can report a lock held for too long, with its owner's stack, even
 * when the owner and the waiters are virtual threads (which the JVM's deadlock detection does
 * not see). Costs one {@code System.nanoTime()} per outermost acquisition.
 */
public final class WatchedLock extends ReentrantLock {
    private final String name;
    /** When the outermost hold began; 0 while free. */
    private volatile long heldSinceNanos;

    public WatchedLock(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    @Override
    public void lock() {
        super.lock();
        markHeld();
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        super.lockInterruptibly();
        markHeld();
    }

    @Override
    public boolean tryLock() {
        boolean got = super.tryLock();
        if (got) {
            markHeld();
        }
        return got;
    }

    @Override
    public boolean tryLock(long timeout, TimeUnit unit) throws InterruptedException {
        boolean got = super.tryLock(timeout, unit);
        if (got) {
            markHeld();
        }
        return got;
    }

    @Override
    public void unlock() {
        if (isHeldByCurrentThread() && getHoldCount() == 1) {
            heldSinceNanos = 0;
        }
        super.unlock();
    }

    /**
     * Not offered: waiting on a condition releases the lock without {@link #unlock}, so the hold
     * time would be wrong. The hub lock has no conditions.
     */
    @Override
    public java.util.concurrent.locks.Condition newCondition() {
        throw new UnsupportedOperationException("a WatchedLock has no conditions");
    }

    private void markHeld() {
        if (getHoldCount() == 1) {
            long now = System.nanoTime();
            heldSinceNanos = now == 0 ? 1 : now;
        }
    }

    /** Nanoseconds the current hold has lasted, or 0 while free. */
    public long heldForNanos(long nowNanos) {
        long since = heldSinceNanos;
        return since == 0 ? 0 : Math.max(0, nowNanos - since);
    }

    /** The thread holding the lock, or null. */
    public Thread holder() {
        return getOwner();
    }

    /** Threads waiting for the lock right now (an estimate, as the JDK gives it). */
    public Collection<Thread> waiters() {
        return getQueuedThreads();
    }
}
