package dev.parley.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** {@code parley lab philosophers}: deadlock, found and stopped, and three ways to avoid it. */
@Command(name = "philosophers",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "The dining philosophers: 'naive' really deadlocks and a watchdog finds the cycle in the "
                + "wait-for graph; 'ordered', 'waiter' and 'trylock' finish every meal.")
final class PhilosophersDemo extends Demo {
    @Option(names = "--strategy", paramLabel = "S", defaultValue = "naive", converter = StrategyConverter.class,
            description = "How philosophers take forks: naive, ordered, waiter or trylock (default: ${DEFAULT-VALUE}).")
    Strategy strategy;

    @Option(names = "--philosophers", paramLabel = "N", defaultValue = "5",
            description = "Philosophers (and forks) around the table (default: ${DEFAULT-VALUE}).")
    int philosophers;

    @Option(names = "--meals", paramLabel = "M", defaultValue = "200",
            description = "Meals the table serves in all (default: ${DEFAULT-VALUE}).")
    int meals;

    @Option(names = "--eat-ms", paramLabel = "MS", defaultValue = "2",
            description = "Time a meal takes (default: ${DEFAULT-VALUE}).")
    int eatMs;

    @Option(names = "--think-ms", paramLabel = "MS", defaultValue = "2",
            description = "Longest think between meals, chosen at random each time (default: ${DEFAULT-VALUE}).")
    int thinkMs;

    @Option(names = "--reach-ms", paramLabel = "MS", defaultValue = "1",
            description = "Time between taking the first fork and reaching for the second (default: ${DEFAULT-VALUE}).")
    int reachMs;

    @Option(names = "--watch-ms", paramLabel = "MS", defaultValue = "100",
            description = "How often the watchdog looks for a wait-for cycle (default: ${DEFAULT-VALUE}).")
    int watchMs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Stop the run after this long, finished or not (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** How a philosopher gets two forks. */
    enum Strategy {
        NAIVE, ORDERED, WAITER, TRYLOCK;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return label();
        }
    }

    /** How a run ended: every meal served, deadlock found by the watchdog, or out of time. */
    enum Ending {
        FINISHED, DEADLOCKED, TIMED_OUT
    }

    /**
     * One dinner. {@code cycle} is the wait-for cycle when deadlocked; {@code jvmAgrees}: the JVM's
     * own detector listed every thread of it; {@code stopped}: philosopher threads that ended after
     * the run was stopped.
     */
    record Dinner(Strategy strategy, Ending ending, int[] meals, long retries, List<DeadlockWatchdog.Link> cycle,
            boolean jvmAgrees, int stopped, int watchdogChecks, long nanos) {
        int served() {
            int sum = 0;
            for (int m : meals) {
                sum += m;
            }
            return sum;
        }
    }

    /** Timings of one dinner. */
    record Timing(Duration eat, Duration think, Duration reach) {
    }

    @Override
    String title() {
        return "deadlock, and three ways out";
    }

    @Override
    String shows() {
        String how = switch (strategy) {
            case NAIVE -> "Each takes the left fork, then reaches for the right one. When all hold their left fork "
                    + "at once, everyone waits for a neighbour forever: a deadlock. A watchdog thread reads the JVM's "
                    + "thread dump every " + watchMs + " ms, builds the wait-for graph (who waits for which fork, held "
                    + "by whom), prints the cycle it finds and stops the run.";
            case ORDERED -> "Each takes the lower-numbered of its two forks first. With one global order no cycle "
                    + "of waiting can form.";
            case WAITER -> "A waiter (a semaphore with " + (philosophers - 1) + " permits) lets at most "
                    + (philosophers - 1) + " sit down at once, so one fork is always free and someone can eat.";
            case TRYLOCK -> "Each takes the left fork and only tries the right one; if it is taken, the philosopher "
                    + "puts the left fork back and retries after a random pause. Nobody waits while holding a fork.";
        };
        return philosophers + " philosophers sit around a table with " + philosophers + " forks, one between each pair; "
                + "eating needs both neighbouring forks. The table serves " + meals + " meals in all. " + how;
    }

    @Override
    void validate() {
        require("--philosophers", philosophers, 2, 64);
        require("--meals", meals, 1, 1_000_000);
        require("--eat-ms", eatMs, 0, 10_000);
        require("--think-ms", thinkMs, 0, 10_000);
        require("--reach-ms", reachMs, 0, 10_000);
        require("--watch-ms", watchMs, 10, 10_000);
        require("--timeout", timeoutSeconds, 1, 3600);
    }

    @Override
    void run(Report report) throws InterruptedException {
        report.progress(philosophers + " philosophers sit down (" + strategy.label() + ")…");
        Dinner d = dine(strategy, philosophers, meals,
                new Timing(Duration.ofMillis(eatMs), Duration.ofMillis(thinkMs), Duration.ofMillis(reachMs)),
                Duration.ofMillis(watchMs), Duration.ofSeconds(timeoutSeconds));
        double seconds = d.nanos() / 1e9;
        report.put("strategy", strategy.label());
        report.put("ending", d.ending().name().toLowerCase(Locale.ROOT));
        report.put("mealsServed", d.served());
        report.put("seconds", seconds);
        report.put("watchdogChecks", d.watchdogChecks());
        switch (d.ending()) {
            case DEADLOCKED -> {
                List<List<String>> steps = new ArrayList<>();
                report.say(String.format(Locale.ROOT, "DEADLOCK after %.2f s, %d of %d meals eaten. The watchdog's "
                        + "wait-for cycle:", seconds, d.served(), meals));
                for (DeadlockWatchdog.Link l : d.cycle()) {
                    report.say("  " + l.philosopher() + " holds " + String.join(", ", l.holds()) + " and waits for "
                            + l.waitsFor() + ", held by " + l.heldBy());
                    steps.add(List.of(l.philosopher(), l.waitsFor(), l.heldBy()));
                }
                report.say("  cycle: " + DeadlockWatchdog.asText(d.cycle()));
                report.say(d.jvmAgrees()
                        ? "The JVM's own detector (ThreadMXBean.findDeadlockedThreads) agrees: these "
                                + d.cycle().size() + " threads are deadlocked."
                        : "The JVM's own detector did not list every thread of the cycle.");
                report.say("Run stopped: the philosophers were interrupted, put their forks down and ended ("
                        + d.stopped() + " of " + philosophers + " threads ended).");
                report.put("cycle", d.cycle());
                report.put("cycleText", DeadlockWatchdog.asText(d.cycle()));
                report.put("jvmAgrees", d.jvmAgrees());
                report.put("threadsStopped", d.stopped());
            }
            case FINISHED, TIMED_OUT -> {
                Table t = new Table("meals", "Meals per philosopher:").col("philosopher", "philosopher")
                        .col("meals", "meals").col("share", "share %");
                for (int i = 0; i < d.meals().length; i++) {
                    t.row("philosopher-" + i, d.meals()[i], d.served() == 0 ? 0.0 : 100.0 * d.meals()[i] / d.served());
                }
                report.table(t);
                int min = Integer.MAX_VALUE;
                int max = 0;
                for (int m : d.meals()) {
                    min = Math.min(min, m);
                    max = Math.max(max, m);
                }
                double fairness = jain(d.meals());
                report.put("fairness", fairness);
                report.put("retries", d.retries());
                if (d.ending() == Ending.FINISHED) {
                    report.say(String.format(Locale.ROOT, "All %d meals served in %.2f s; fewest %d, most %d per "
                            + "philosopher; fairness index %.3f (1 = perfectly even).", meals, seconds, min, max, fairness));
                } else {
                    report.say(String.format(Locale.ROOT, "Out of time after %.2f s with %d of %d meals served; "
                            + "stopped.", seconds, d.served(), meals));
                    report.failed();
                }
                if (strategy == Strategy.TRYLOCK) {
                    report.say("Second fork busy, first put back and retried: " + d.retries() + " times.");
                }
                report.say("The watchdog looked " + d.watchdogChecks() + " times and saw no wait-for cycle.");
                if (strategy == Strategy.NAIVE && d.ending() == Ending.FINISHED) {
                    report.say("This time the naive table got lucky and never deadlocked; run it again, or widen "
                            + "the window with a larger --reach-ms.");
                }
            }
        }
    }

    @Override
    String why() {
        String general = "A deadlock needs four things at once: exclusive resources (a fork has one holder), hold and "
                + "wait (a philosopher keeps one fork while waiting for the other), no preemption (nobody takes a "
                + "fork away), and a circular wait (each waits for the next around the table). ";
        return general + switch (strategy) {
            case NAIVE -> "The naive table has all four, so once every philosopher holds a left fork the wait-for "
                    + "graph has a cycle and nothing can ever change. The watchdog can only see it, as the JVM's "
                    + "detector does; it ends it by preemption: it interrupts the threads, which is why they take "
                    + "forks with an interruptible acquire. Without that, the JVM would hang for good.";
            case ORDERED -> "Ordered breaks the circular wait: everybody takes forks in one global order, so the "
                    + "last philosopher reaches for fork 0 first like the others and the chain of waiting cannot "
                    + "close into a ring. It is the rule the server's lock tiers follow.";
            case WAITER -> "The waiter breaks the circular wait from outside: with at most N-1 seated, N-1 "
                    + "philosophers share N forks, so one of them always gets both. The cost is a central "
                    + "gatekeeper every meal passes through.";
            case TRYLOCK -> "Trylock breaks hold-and-wait: a philosopher never waits while holding a fork, it "
                    + "backs off instead. It cannot deadlock, but it can spin in retries; the random pause keeps "
                    + "neighbours from retrying in lockstep (which would be livelock: see 'parley lab livelock').";
        } + " Meal shares show fairness: none of these strategies promises an even split; the scheduler and luck decide.";
    }

    /** Jain's fairness index: 1 when all shares are equal, 1/n when one philosopher ate everything. */
    static double jain(int[] counts) {
        double sum = 0;
        double squares = 0;
        for (int c : counts) {
            sum += c;
            squares += (double) c * c;
        }
        return squares == 0 ? 1.0 : sum * sum / (counts.length * squares);
    }

    /** Serves {@code meals} meals at a table of {@code n}; a watchdog stops it on deadlock or timeout. */
    static Dinner dine(Strategy strategy, int n, int meals, Timing timing, Duration watchEvery, Duration timeout)
            throws InterruptedException {
        List<Fork> forks = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            forks.add(new Fork("fork-" + i));
        }
        Semaphore waiter = new Semaphore(n - 1, true);
        AtomicInteger served = new AtomicInteger();
        LongAdder retries = new LongAdder();
        int[] eaten = new int[n];
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int me = i;
            Fork left = forks.get(i);
            Fork right = forks.get((i + 1) % n);
            Fork lower = i + 1 < n ? left : right;       // the last philosopher's right fork is fork-0
            Fork higher = i + 1 < n ? right : left;
            Runnable meal = () -> {
                if (served.getAndIncrement() < meals) {
                    eaten[me]++;
                    pause(timing.eat());
                }
            };
            threads.add(Thread.ofPlatform().name("philosopher-" + i).unstarted(() -> {
                try {
                    go.await();
                    while (served.get() < meals) {
                        pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(timing.think().toMillis() + 1)));
                        switch (strategy) {
                            case NAIVE -> both(left, right, timing, meal);
                            case ORDERED -> both(lower, higher, timing, meal);
                            case WAITER -> {
                                waiter.acquire();
                                try {
                                    both(left, right, timing, meal);
                                } finally {
                                    waiter.release();
                                }
                            }
                            case TRYLOCK -> {
                                if (!leftThenTryRight(left, right, timing, meal)) {
                                    retries.increment();
                                    pause(Duration.ofMillis(ThreadLocalRandom.current().nextLong(timing.reach().toMillis() + 2)));
                                }
                            }
                        }
                    }
                } catch (InterruptedException e) {
                    // stopped by the watchdog: forks were put down on the way out
                } finally {
                    done.countDown();
                }
            }));
        }
        threads.forEach(Thread::start);
        DeadlockWatchdog watchdog = new DeadlockWatchdog(threads, forks);
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        go.countDown();
        Ending ending = null;
        List<DeadlockWatchdog.Link> cycle = List.of();
        List<DeadlockWatchdog.Link> seen = List.of();
        boolean jvmAgrees = false;
        int checks = 0;
        while (ending == null) {
            if (done.await(watchEvery.toNanos(), TimeUnit.NANOSECONDS)) {
                ending = Ending.FINISHED;
                break;
            }
            checks++;
            List<DeadlockWatchdog.Link> now = watchdog.findCycle();
            if (!now.isEmpty() && now.equals(seen)) {     // the same cycle twice in a row: nobody moved
                ending = Ending.DEADLOCKED;
                cycle = now;
                Set<Long> jvm = watchdog.jvmDeadlocked();
                jvmAgrees = jvm.containsAll(watchdog.ids(cycle));
            } else if (System.nanoTime() > deadline) {
                ending = Ending.TIMED_OUT;
            }
            seen = now;
        }
        long nanos = System.nanoTime() - start;
        int stopped = 0;
        if (ending != Ending.FINISHED) {
            threads.forEach(Thread::interrupt);
            if (done.await(Math.max(10, timeout.toSeconds()), TimeUnit.SECONDS)) {
                stopped = n;
            } else {
                for (Thread t : threads) {
                    stopped += t.isAlive() ? 0 : 1;
                }
            }
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(5));
        }
        return new Dinner(strategy, ending, eaten.clone(), retries.sum(), cycle, jvmAgrees, stopped, checks, nanos);
    }

    /** Takes {@code first}, then {@code second}, eats, and puts both down again. */
    private static void both(Fork first, Fork second, Timing timing, Runnable meal) throws InterruptedException {
        first.take();
        try {
            pause(timing.reach());
            second.take();
            try {
                meal.run();
            } finally {
                second.putDown();
            }
        } finally {
            first.putDown();
        }
    }

    /** Takes {@code left}, tries {@code right}; eats when both were had. Returns whether it ate. */
    private static boolean leftThenTryRight(Fork left, Fork right, Timing timing, Runnable meal)
            throws InterruptedException {
        left.take();
        try {
            pause(timing.reach());
            if (!right.tryTake()) {
                return false;
            }
            try {
                meal.run();
            } finally {
                right.putDown();
            }
            return true;
        } finally {
            left.putDown();
        }
    }

    /**
     * Sleeps for the simulated time of eating, thinking or reaching. An interrupt cuts the pause short
     * and stays set, so the philosopher's next fork acquire throws and the run ends.
     */
    private static void pause(Duration d) {
        if (d.isZero()) {
            return;
        }
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Turns {@code --strategy} text into a {@link Strategy} with a helpful error. */
    static final class StrategyConverter implements ITypeConverter<Strategy> {
        @Override
        public Strategy convert(String value) {
            for (Strategy s : Strategy.values()) {
                if (s.label().equalsIgnoreCase(value)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown strategy '" + value + "' (choose one of: naive, ordered, waiter, trylock)");
        }
    }
}
