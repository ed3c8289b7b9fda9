package dev.parley.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab starvation}: who gets the lock, unfair and fair. */
@Command(name = "starvation",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Greedy and polite threads share one lock, unfair then fair; acquisitions per thread "
                + "show who starves.")
final class StarvationDemo extends Demo {
    @Option(names = "--greedy", paramLabel = "N", defaultValue = "1",
            description = "Threads that take the lock again the moment they let go (default: ${DEFAULT-VALUE}).")
    int greedy;

    @Option(names = "--polite", paramLabel = "N", defaultValue = "3",
            description = "Threads that do some work of their own between turns (default: ${DEFAULT-VALUE}).")
    int polite;

    @Option(names = "--hold-us", paramLabel = "US", defaultValue = "20",
            description = "Time spent inside the lock per turn, busy (default: ${DEFAULT-VALUE}).")
    int holdMicros;

    @Option(names = "--rest-us", paramLabel = "US", defaultValue = "20",
            description = "Time a polite thread works outside the lock between turns (default: ${DEFAULT-VALUE}).")
    int restMicros;

    @Option(names = "--duration-ms", paramLabel = "MS", defaultValue = "1000",
            description = "How long each run lasts (default: ${DEFAULT-VALUE}).")
    int durationMs;

    /** Acquisitions of one thread. */
    record Share(String thread, boolean greedy, long acquisitions) {
    }

    /** One run on a lock of the given fairness. */
    record Run(boolean fair, List<Share> shares, long nanos) {
        long total() {
            return shares.stream().mapToLong(Share::acquisitions).sum();
        }
    }

    @Override
    String title() {
        return "starvation on an unfair lock";
    }

    @Override
    String shows() {
        return "Greedy threads (" + greedy + ") take a lock, work " + holdMicros + " µs inside it and take it "
                + "again at once. Polite threads (" + polite + ") do the same, then work " + restMicros + " µs on "
                + "their own before asking again. Each lock is used for " + durationMs + " ms, first an unfair "
                + "ReentrantLock (the default), then a fair one, counting every acquisition per thread.";
    }

    @Override
    void validate() {
        require("--greedy", greedy, 0, 64);
        require("--polite", polite, 0, 64);
        require("--greedy plus --polite", greedy + polite, 2, 64);
        require("--hold-us", holdMicros, 0, 1_000_000);
        require("--rest-us", restMicros, 0, 1_000_000);
        require("--duration-ms", durationMs, 10, 600_000);
    }

    @Override
    void run(Report report) throws InterruptedException {
        Duration d = Duration.ofMillis(durationMs);
        report.progress("unfair lock for " + durationMs + " ms…");
        Run unfair = contend(false, greedy, polite, holdMicros * 1000L, restMicros * 1000L, d);
        report.progress("fair lock for " + durationMs + " ms…");
        Run fair = contend(true, greedy, polite, holdMicros * 1000L, restMicros * 1000L, d);
        Table t = new Table("threads", "Acquisitions per thread in " + durationMs + " ms:")
                .col("thread", "thread").col("kind", "kind")
                .col("unfair", "unfair lock").col("unfairShare", "share %")
                .col("fair", "fair lock").col("fairShare", "share %");
        for (int i = 0; i < unfair.shares().size(); i++) {
            Share u = unfair.shares().get(i);
            Share f = fair.shares().get(i);
            t.row(u.thread(), u.greedy() ? "greedy" : "polite", u.acquisitions(), share(u, unfair),
                    f.acquisitions(), share(f, fair));
        }
        t.row("total", "", unfair.total(), 100.0, fair.total(), 100.0);
        report.table(t);
        report.put("unfairPoliteToGreedy", ratio(unfair));
        report.put("fairPoliteToGreedy", ratio(fair));
        report.put("fairToUnfairThroughput", (double) fair.total() / Math.max(1, unfair.total()));
        if (greedy > 0 && polite > 0) {
            report.say(String.format(Locale.ROOT, "For every turn a greedy thread got, a polite thread got %.2f on "
                    + "the unfair lock and %.2f on the fair one.", ratio(unfair), ratio(fair)));
        }
        report.say(String.format(Locale.ROOT, "Threads with under a tenth of an even share: %d on the unfair lock, "
                + "%d on the fair one. The fair lock managed %.0f%% of the unfair lock's acquisitions.",
                starved(unfair), starved(fair), 100.0 * fair.total() / Math.max(1, unfair.total())));
    }

    /** Average acquisitions of a polite thread divided by a greedy thread's. */
    static double ratio(Run r) {
        double g = r.shares().stream().filter(Share::greedy).mapToLong(Share::acquisitions).average().orElse(0);
        double p = r.shares().stream().filter(s -> !s.greedy()).mapToLong(Share::acquisitions).average().orElse(0);
        return g == 0 ? 0 : p / g;
    }

    private static double share(Share s, Run r) {
        return r.total() == 0 ? 0.0 : 100.0 * s.acquisitions() / r.total();
    }

    /** Threads with under a tenth of an even share. */
    static int starved(Run r) {
        double even = (double) r.total() / r.shares().size();
        return (int) r.shares().stream().filter(s -> s.acquisitions() < even / 10).count();
    }

    @Override
    String why() {
        return "An unfair lock lets a thread that arrives at the right moment barge ahead of threads already "
                + "queued. A greedy thread that unlocks and relocks at once is nearly always at the right moment: "
                + "the waiter its unlock wakes needs microseconds to be scheduled, and by then the lock is usually "
                + "taken again. So the thread that holds the lock tends to keep it, and the threads queued behind it "
                + "get a fraction of their turns. Barging is the default because it is fast: no hand-off to a "
                + "sleeping thread, no context switch per turn. A fair lock hands the lock to the longest waiter, so "
                + "every thread that asks gets its turn in order, and pays with a context switch on most hand-offs, "
                + "which is why its total is usually lower. On today's JDK the first waiter in the queue spins a "
                + "little before parking, so it sometimes wins the race: polite threads are squeezed rather than "
                + "shut out completely, and how hard depends on the moment's scheduling. With "
                + Runtime.getRuntime().availableProcessors() + " cores and " + (greedy + polite) + " busy threads, the "
                + "OS scheduler's time slices add their own unevenness on top.";
    }

    /** Runs the threads on one lock for {@code duration} and counts each one's acquisitions. */
    static Run contend(boolean fair, int greedy, int polite, long holdNanos, long restNanos, Duration duration)
            throws InterruptedException {
        ReentrantLock lock = new ReentrantLock(fair);
        int n = greedy + polite;
        long[] counts = new long[n];
        CountDownLatch go = new CountDownLatch(1);
        long[] stopAt = new long[1];
        List<Thread> threads = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            boolean isGreedy = i < greedy;
            String name = (isGreedy ? "greedy-" + (i + 1) : "polite-" + (i - greedy + 1));
            names.add(name);
            threads.add(Thread.ofPlatform().name(name).start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                long end = stopAt[0];
                long count = 0;
                while (System.nanoTime() < end) {
                    lock.lock();
                    try {
                        count++;
                        busy(holdNanos);
                    } finally {
                        lock.unlock();
                    }
                    if (!isGreedy) {
                        busy(restNanos);
                    }
                }
                counts[me] = count;
            }));
        }
        long start = System.nanoTime();
        stopAt[0] = start + duration.toNanos();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        List<Share> shares = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            shares.add(new Share(names.get(i), i < greedy, counts[i]));
        }
        return new Run(fair, List.copyOf(shares), nanos);
    }

    /** Works (spins) for about {@code nanos}: a stand-in for real computation. */
    private static void busy(long nanos) {
        long until = System.nanoTime() + nanos;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }
}
