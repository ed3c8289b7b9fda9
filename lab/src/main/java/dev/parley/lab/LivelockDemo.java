package dev.parley.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Phaser;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab livelock}: two polite workers step aside forever, until they back off at random. */
@Command(name = "livelock",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Two polite workers keep stepping aside for each other and get nothing done (attempts "
                + "counted, zero work), until randomized backoff breaks the symmetry.")
final class LivelockDemo extends Demo {
    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5000",
            description = "Most rounds each run may take (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--work", paramLabel = "W", defaultValue = "20",
            description = "Units of work each worker wants to finish (default: ${DEFAULT-VALUE}).")
    int work;

    @Option(names = "--seed", paramLabel = "S",
            description = "Seed for the random backoff, to repeat a run exactly (default: a new one each run).")
    Long seed;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
            description = "Stop a run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** One run: rounds taken, attempts to get the other's lock, how many failed, work finished. */
    record Run(boolean backoff, int rounds, long attempts, long collisions, int workDone, int workGoal, long nanos) {
        boolean finished() {
            return workDone == workGoal;
        }
    }

    @Override
    String title() {
        return "busy, polite, and stuck";
    }

    @Override
    String shows() {
        return "Two workers each need both locks A and B to do one unit of work; worker 1 starts from A, worker 2 "
                + "from B. They are polite: if the other lock is taken, they let go of their own and try again. A shared "
                + "clock keeps them in step, as two people meeting in a corridor react at the same moment: each "
                + "round both take their own lock, both find the other's taken, both step aside. Up to " + rounds
                + " rounds are run like that, then the same with a random backoff after each collision. Each worker "
                + "wants " + work + " units done.";
    }

    @Override
    void validate() {
        require("--rounds", rounds, 1, 10_000_000);
        require("--work", work, 1, 1_000_000);
        require("--timeout", timeoutSeconds, 1, 3600);
    }

    @Override
    void run(Report report) throws InterruptedException {
        long s = seed != null ? seed : ThreadLocalRandom.current().nextLong(1_000_000);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        report.progress("polite, in step, " + rounds + " rounds…");
        Run polite = corridor(false, rounds, work, s, timeout);
        report.progress("polite with random backoff…");
        Run backoff = corridor(true, rounds, work, s, timeout);
        Table t = new Table("runs", "Two workers, " + work + " units of work each:")
                .col("run", "run").col("rounds", "rounds").col("attempts", "attempts").col("collisions", "collisions")
                .col("workDone", "work done").col("workGoal", "of").col("ms", "ms");
        for (Run r : List.of(polite, backoff)) {
            t.row(r.backoff() ? "random backoff" : "polite", r.rounds(), r.attempts(), r.collisions(), r.workDone(),
                    r.workGoal(), r.nanos() / 1e6);
        }
        report.table(t);
        report.put("seed", s);
        report.say("Polite: " + polite.attempts() + " attempts, " + polite.workDone() + " units of work: both busy "
                + "the whole time, nothing achieved. Random backoff: " + (backoff.finished()
                        ? "all " + backoff.workGoal() + " units done in " + backoff.rounds() + " rounds."
                        : "only " + backoff.workDone() + " of " + backoff.workGoal() + " units in " + backoff.rounds()
                                + " rounds (raise --rounds)."));
        report.say("Backoff seed " + s + " (--seed " + s + " repeats this run exactly).");
        if (!backoff.finished()) {
            report.failed();
        }
    }

    @Override
    String why() {
        return "Livelock is deadlock's restless twin: no thread is blocked, every thread keeps running and "
                + "reacting, yet no work gets done, because each one's reaction undoes the other's. Here the two "
                + "workers act alike at the same moments, so every attempt collides and every step aside makes room "
                + "for a collision next round; a deadlock watchdog would see no cycle, only busy threads. Symmetry is "
                + "the cause, so breaking it is the cure: after a collision each worker waits a random number of "
                + "rounds (growing with repeated collisions, like Ethernet's exponential backoff), so soon one "
                + "tries while the other waits, and gets both locks. Real systems fall into this when retries are "
                + "immediate and timing is alike (two clients retrying a conflict on the same timer); jittered "
                + "backoff is the standard remedy.";
    }

    /**
     * Two workers in lockstep (a {@link Phaser} is the shared clock): each round they take their own
     * lock, try the other's, then let go. With {@code backoff}, a worker that collided sits out a random
     * number of rounds. Ends when both finished {@code work} units or after {@code maxRounds}.
     */
    static Run corridor(boolean backoff, int maxRounds, int work, long seed, Duration timeout)
            throws InterruptedException {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        Phaser clock = new Phaser(2);
        long[] attempts = new long[2];
        long[] collisions = new long[2];
        int[] done = new int[2];
        int[] roundsTaken = new int[2];
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 2; w++) {
            int me = w;
            ReentrantLock mine = w == 0 ? a : b;
            ReentrantLock theirs = w == 0 ? b : a;
            Random random = new Random(seed * 31 + w);
            workers.add(Thread.ofPlatform().name("polite-worker-" + (w + 1)).unstarted(() -> {
                int sitOut = 0;
                int streak = 0;
                int round = 0;
                while (done[me] < work && round < maxRounds && System.nanoTime() < deadline) {
                    boolean trying = sitOut == 0;
                    if (!trying) {
                        sitOut--;
                    }
                    if (trying) {
                        mine.lock();                      // step into the corridor
                    }
                    clock.arriveAndAwaitAdvance();
                    boolean both = false;
                    if (trying) {
                        attempts[me]++;
                        both = theirs.tryLock();
                        if (both) {
                            done[me]++;                   // holding A and B: one unit of work
                            streak = 0;
                        } else {
                            collisions[me]++;
                            streak++;
                            if (backoff) {
                                sitOut = random.nextInt(1 << Math.min(streak, 4));
                            }
                        }
                    }
                    clock.arriveAndAwaitAdvance();        // both have looked; now let go
                    if (both) {
                        theirs.unlock();
                    }
                    if (trying) {
                        mine.unlock();                    // step aside
                    }
                    clock.arriveAndAwaitAdvance();
                    round++;
                }
                roundsTaken[me] = round;
                clock.arriveAndDeregister();
            }));
        }
        long start = System.nanoTime();
        workers.forEach(Thread::start);
        for (Thread t : workers) {
            t.join();
        }
        long nanos = System.nanoTime() - start;
        return new Run(backoff, Math.max(roundsTaken[0], roundsTaken[1]), attempts[0] + attempts[1],
                collisions[0] + collisions[1], done[0] + done[1], 2 * work, nanos);
    }
}
