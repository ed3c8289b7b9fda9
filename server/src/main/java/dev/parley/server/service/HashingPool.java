package dev.parley.server.service;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Where every password is hashed or checked, server-wide: a few threads ({@code parley-hashing-N})
 * and a bounded queue in front of them. Argon2 costs 19 MiB and tens of milliseconds of CPU per
 * call, so this pool bounds both the memory and the CPU that password work can take, whatever
 * the engine and however many clients ask at once. When every thread is busy and the queue is
 * full, the caller gets {@link Busy} at once instead of waiting: the client is told to try
 * again later.
 *
 * <p>{@link #run} blocks until the work is done: call it from blocking work
 * ({@code Session.offload}), never from an event loop.
 */
public final class HashingPool implements AutoCloseable {
    /** Thrown when the pool and its queue are full. */
    public static final class Busy extends RuntimeException {
        Busy() {
            super("password hashing is busy", null, false, false);
        }
    }

    private final ThreadPoolExecutor pool;
    private final int threads;

    /**
     * @param threads threads hashing at once; 0 means one per available core
     * @param queue   calls that may wait for a thread; 0 means none wait
     */
    public HashingPool(int threads, int queue) {
        this.threads = threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        BlockingQueue<Runnable> q = queue > 0 ? new ArrayBlockingQueue<>(queue) : new SynchronousQueue<>();
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(this.threads, this.threads, 30, TimeUnit.SECONDS, q, r -> {
            Thread t = new Thread(r, "parley-hashing-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    /** Threads hashing at most at once. */
    public int threads() {
        return threads;
    }

    /** Calls being run now (roughly: a snapshot). */
    public int running() {
        return pool.getActiveCount();
    }

    /** Calls waiting for a thread now. */
    public int waiting() {
        return pool.getQueue().size();
    }

    /**
     * Runs {@code work} on a hashing thread and returns its result; blocks meanwhile.
     *
     * @throws Busy when every thread is busy and the queue is full (nothing was run)
     */
    public <T> T run(Supplier<T> work) {
        Future<T> f;
        try {
            f = pool.submit(work::get);
        } catch (RejectedExecutionException e) {
            throw new Busy();
        }
        try {
            return f.get();
        } catch (InterruptedException e) {
            f.cancel(false);
            Thread.currentThread().interrupt();
            throw new Busy();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** {@link PasswordHasher#hash} on a hashing thread. */
    public String hash(String password) {
        return run(() -> PasswordHasher.hash(password));
    }

    /** {@link PasswordHasher#verify} on a hashing thread. */
    public boolean verify(String phc, String password) {
        return run(() -> PasswordHasher.verify(phc, password));
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
