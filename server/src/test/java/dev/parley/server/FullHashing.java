package dev.parley.server;

import dev.parley.server.service.HashingPool;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Fills a {@link HashingPool}: every thread runs a call that waits, and every queue place holds
 * one, so the next password check is refused at once. {@link #close} lets them all finish.
 */
public final class FullHashing implements AutoCloseable {
    private final CountDownLatch release = new CountDownLatch(1);
    private final List<Thread> callers = new ArrayList<>();

    private FullHashing(HashingPool pool, int queue) {
        for (int i = 0; i < pool.threads() + queue; i++) {
            callers.add(Thread.ofVirtual().start(() -> {
                while (true) {
                    try {
                        pool.run(() -> {
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            return null;
                        });
                        return;
                    } catch (HashingPool.Busy e) {
                        // a thread that just finished other work is not taking calls yet
                        Thread.yield();
                    }
                }
            }));
        }
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (pool.running() < pool.threads() || pool.waiting() < queue) {
            if (System.nanoTime() > deadline) {
                release.countDown();
                throw new AssertionError("the hashing pool did not fill: " + pool.running() + " running, "
                        + pool.waiting() + " waiting");
            }
            Thread.yield();
        }
    }

    /** Fills {@code pool}, whose queue holds {@code queue} calls. */
    public static FullHashing of(HashingPool pool, int queue) {
        return new FullHashing(pool, queue);
    }

    @Override
    public void close() throws InterruptedException {
        release.countDown();
        for (Thread t : callers) {
            t.join();
        }
    }
}
