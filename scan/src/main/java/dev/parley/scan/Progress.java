package dev.parley.scan;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The progress bar on stderr: {@code hosts 3 up, 1/3 scanned  [#####-----]  37%  24291/65535  98213/s  ETA 0:01},
 * redrawn in place by its own thread a few times a second and wiped before results are
 * written, so the two never mix on one terminal. {@link #disabled()} draws nothing.
 */
class Progress implements AutoCloseable {
    private static final long INTERVAL_MILLIS = 200;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final LongSupplier done;
    private final LongSupplier total;
    private final Supplier<String> hosts;
    private final LongSupplier clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final CountDownLatch stop = new CountDownLatch(1);
    private final long start;
    private Thread thread;
    private boolean shown;

    private Progress(PrintWriter err, LongSupplier done, LongSupplier total, Supplier<String> hosts,
                     LongSupplier clock) {
        this.err = err;
        this.done = done;
        this.total = total;
        this.hosts = hosts;
        this.clock = clock;
        this.start = clock == null ? 0 : clock.getAsLong();
    }

    /** A bar that draws on {@code err} once {@link #start()} is called. */
    static Progress on(PrintWriter err, LongSupplier done, long total, LongSupplier clock) {
        return new Progress(err, done, () -> total, () -> "", clock);
    }

    /**
     * A bar whose total may change (host discovery drops the hosts that are down) and which
     * starts with {@code hosts}' text ({@code 3 up, 1/3 scanned  }).
     */
    static Progress on(PrintWriter err, LongSupplier done, LongSupplier total, Supplier<String> hosts,
                       LongSupplier clock) {
        return new Progress(err, done, total, hosts, clock);
    }

    /** No bar: output is written straight away. */
    static Progress disabled() {
        return new Progress(null, null, null, null, null) {
            @Override
            void start() {
            }

            @Override
            void whileCleared(Runnable output) {
                output.run();
            }

            @Override
            public void close() {
            }
        };
    }

    void start() {
        thread = Thread.ofPlatform().name("parley-scan-progress").daemon().start(() -> {
            try {
                while (!stop.await(INTERVAL_MILLIS, TimeUnit.MILLISECONDS)) {
                    draw();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Runs {@code output} (which writes results) with the bar wiped, so lines never land inside it. */
    void whileCleared(Runnable output) {
        lock.lock();
        try {
            wipeLocked();
            output.run();
        } finally {
            lock.unlock();
        }
    }

    void draw() {
        lock.lock();
        try {
            err.write("\r" + hosts.get() + line(done.getAsLong(), total.getAsLong(), clock.getAsLong() - start)
                    + "\033[K");
            err.flush();
            shown = true;
        } finally {
            lock.unlock();
        }
    }

    private void wipeLocked() {
        if (shown) {
            err.write("\r\033[K");
            err.flush();
            shown = false;
        }
    }

    /** The bar's text for {@code done} of {@code total} after {@code elapsedNanos}. */
    static String line(long done, long total, long elapsedNanos) {
        double fraction = total <= 0 ? 1 : Math.min(1, done / (double) total);
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = elapsedNanos / 1e9;
        long rate = seconds > 0 ? Math.round(done / seconds) : 0;
        String eta = rate > 0 ? clockTime((total - done) / (double) rate) : "-:--";
        return String.format(Locale.ROOT, "[%s%s] %3d%%  %d/%d  %d/s  ETA %s",
                "#".repeat(filled), "-".repeat(BAR_WIDTH - filled), Math.round(fraction * 100),
                done, total, rate, eta);
    }

    private static String clockTime(double seconds) {
        long s = (long) Math.ceil(Math.max(0, seconds));
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    @Override
    public void close() {
        stop.countDown();
        if (thread != null) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        lock.lock();
        try {
            wipeLocked();
        } finally {
            lock.unlock();
        }
    }
}
