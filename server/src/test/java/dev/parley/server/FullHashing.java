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
            callers.add(Thread.ofVirtual().start(() -> pool.run(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            })));
        }
        while (pool.running() < pool.threads() || pool.waiting() < queue) {
            Thread.onSpinWait();
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
