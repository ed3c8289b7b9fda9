package dev.parley.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab race}: a shared counter, unprotected and protected five ways. */
@Command(name = "race",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "N threads increment one counter M times: lost updates without synchronization; "
                + "a lock, synchronized, an atomic and LongAdder compared for correctness and time.")
final class RaceDemo extends Demo {
    @Option(names = "--threads", paramLabel = "N", defaultValue = "4",
            description = "Threads incrementing the counter (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--increments", paramLabel = "M", defaultValue = "10000000",
            description = "Increments per thread (default: ${DEFAULT-VALUE}).")
    int increments;

    /** The ways of incrementing a shared counter. */
    enum Mode {
        UNSYNCHRONIZED("unsynchronized", "count++ on a volatile long"),
        LOCK("lock", "ReentrantLock"),
        SYNCHRONIZED("synchronized", "synchronized block"),
        ATOMIC("atomic", "AtomicLong"),
        ADDER("adder", "LongAdder");

        final String label;
        final String how;

        Mode(String label, String how) {
            this.label = label;
            this.how = how;
        }
    }

    /** One measured run: what the counter should read, what it read, and how long it took. */
    record Run(Mode mode, long expected, long counted, long nanos) {
        long lost() {
            return expected - counted;
        }
    }

    private long lostLastRun;

    @Override
    String title() {
        return "lost updates, and five ways to count";
    }

    @Override
    String shows() {
        return threads + " threads each add 1 to one shared counter " + increments + " times, all at once. "
                + "Without synchronization some increments vanish (lost updates); a ReentrantLock, a synchronized "
                + "block, an AtomicLong and a LongAdder each make the count exact, at different costs.";
    }

    @Override
    void validate() {
        require("--threads", threads, 1, 256);
        require("--increments", increments, 1, 100_000_000);
    }

    @Override
    void run(Report report) throws InterruptedException {
        for (Mode m : Mode.values()) {   // warm the JIT so the first mode is not timed interpreted
            measure(m, Math.min(threads, 2), 200_000);
        }
        Table table = new Table("runs", String.format(Locale.ROOT, "Counter after %,d threads x %,d increments:", threads, increments))
                .col("mode", "mode").col("how", "how").col("expected", "expected").col("counted", "counted")
                .col("lost", "lost").col("ms", "ms").col("nsPerIncrement", "ns/increment");
        for (Mode m : Mode.values()) {
            report.progress("running " + m.label + "…");
            Run r = measure(m, threads, increments);
            double ms = r.nanos() / 1e6;
            table.row(m.label, m.how, r.expected(), r.counted(), r.lost(), ms, (double) r.nanos() / r.expected());
            if (m == Mode.UNSYNCHRONIZED) {
                lostLastRun = r.lost();
                report.put("lostUpdates", r.lost());
            }
        }
        report.table(table);
        long expected = (long) threads * increments;
        report.say(lostLastRun > 0
                ? String.format("Without synchronization %,d of %,d increments were lost (%.1f%%).",
                        lostLastRun, expected, 100.0 * lostLastRun / expected)
                : "This time no increment was lost without synchronization: the threads happened not to overlap "
                        + "(try more --threads or --increments). The other four are exact by construction.");
    }

    @Override
    String why() {
        return "count++ is three steps: read the value, add one, write it back. Two threads that read the same "
                + "value both write value+1, so one increment disappears; 'volatile' makes each read and write "
                + "visible but does not make the three steps one. A lock or synchronized block lets one thread at "
                + "a time through the read-add-write, so the count is exact, but every increment pays for taking "
                + "the lock and the threads queue for it. AtomicLong does the read-add-write as one hardware "
                + "compare-and-swap: exact and lock-free, yet all cores still fight over one cache line. LongAdder "
                + "gives contending threads their own cells and adds them up only when asked, so it scales best "
                + "when many threads write and few read. With " + Runtime.getRuntime().availableProcessors()
                + " cores, at most that many threads truly run at once; the rest take turns.";
    }

    /** Runs {@code threads} threads, each incrementing the counter {@code increments} times. */
    static Run measure(Mode mode, int threads, int increments) throws InterruptedException {
        Shared shared = new Shared();
        Runnable body = switch (mode) {
            case UNSYNCHRONIZED -> () -> {
                for (int i = 0; i < increments; i++) {
                    shared.racy++;
                }
            };
            case LOCK -> () -> {
                for (int i = 0; i < increments; i++) {
                    shared.lock.lock();
                    try {
                        shared.guarded++;
                    } finally {
                        shared.lock.unlock();
                    }
                }
            };
            case SYNCHRONIZED -> () -> {
                for (int i = 0; i < increments; i++) {
                    synchronized (shared) {
                        shared.guarded++;
                    }
                }
            };
            case ATOMIC -> () -> {
                for (int i = 0; i < increments; i++) {
                    shared.atomic.incrementAndGet();
                }
            };
            case ADDER -> () -> {
                for (int i = 0; i < increments; i++) {
                    shared.adder.increment();
                }
            };
        };
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name("race-" + mode.label + "-" + t).start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                body.run();
            }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (Thread w : workers) {
            w.join();
        }
        long nanos = System.nanoTime() - start;
        long counted = switch (mode) {
            case UNSYNCHRONIZED -> shared.racy;
            case LOCK, SYNCHRONIZED -> shared.guarded;
            case ATOMIC -> shared.atomic.get();
            case ADDER -> shared.adder.sum();
        };
        return new Run(mode, (long) threads * increments, counted, nanos);
    }

    /** The counters; {@code guarded} is only touched under {@code lock} or the monitor of this object. */
    private static final class Shared {
        volatile long racy;
        long guarded;
        final ReentrantLock lock = new ReentrantLock();
        final AtomicLong atomic = new AtomicLong();
        final LongAdder adder = new LongAdder();
    }
}
