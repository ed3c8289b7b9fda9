package dev.parley.lab;

import java.util.concurrent.locks.AbstractQueuedSynchronizer;

/**
 * A fork: a named, non-reentrant mutex built on {@link AbstractQueuedSynchronizer}. Because it is
 * an ownable synchronizer of its own class, the JVM's thread dump (and so {@code ThreadMXBean})
 * reports which fork a blocked philosopher waits for and which philosopher holds it.
 */
final class Fork extends AbstractQueuedSynchronizer {
    private static final long serialVersionUID = 1L;
    private final String name;

    Fork(String name) {
        this.name = name;
    }

    @Override
    protected boolean tryAcquire(int ignored) {
        if (compareAndSetState(0, 1)) {
            setExclusiveOwnerThread(Thread.currentThread());
            return true;
        }
        return false;
    }

    @Override
    protected boolean tryRelease(int ignored) {
        if (getExclusiveOwnerThread() != Thread.currentThread()) {
            throw new IllegalMonitorStateException(name + " is not held by " + Thread.currentThread().getName());
        }
        setExclusiveOwnerThread(null);
        setState(0);
        return true;
    }

    @Override
    protected boolean isHeldExclusively() {
        return getExclusiveOwnerThread() == Thread.currentThread();
    }

    /** Picks the fork up, waiting as long as it takes; an interrupt ends the wait. */
    void take() throws InterruptedException {
        acquireInterruptibly(1);
    }

    /** Picks the fork up only if it is free right now. */
    boolean tryTake() {
        return tryAcquire(1);
    }

    void putDown() {
        release(1);
    }

    String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
