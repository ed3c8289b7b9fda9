package dev.parley.server.diag;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the JVM every {@code period} whether some threads are deadlocked (waiting in a cycle for
 * monitors or {@code java.util.concurrent} locks each other holds). Each distinct cycle is
 * logged once at ERROR with, for every thread in it, the lock it waits for, who owns that lock,
 * the locks it holds and its full stack. The last finding is kept for the operator console's
 * {@code status}.
 *
 * <p>Runs on its own daemon thread, {@code parley-deadlock-watchdog}. A check is one
 * {@link ThreadMXBean#findDeadlockedThreads()} call, which costs little and stops no thread for
 * long; thread details are fetched only when a cycle is found.
 *
 * <p>The JVM's thread management sees platform threads only, so a cycle among virtual
 * threads (the {@code virtual} engine's readers and writers) is not found that way. For those,
 * the locks given to {@link #watch} are checked too: one held longer than the period (whoever
 * holds it, platform or virtual thread) is reported once per hold with its holder's stack and
 * the number of threads waiting — a deadlock, a livelock or a blocking call under the lock all
 * look like that.
 */
public final class DeadlockWatchdog implements AutoCloseable {
    /** How often {@link #start} checks, unless told otherwise. */
    public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger("parley.deadlock");

    /** One deadlock cycle: when it was first seen, a one-line summary, and the full report as logged. */
    public record Deadlock(Instant foundAt, List<String> threads, String summary, String report) {
    }

    private final ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    private final Duration period;
    private final Clock clock;
    /** Cycles (as sets of thread ids) present at the last check; each was logged once. Check thread only. */
    private Map<Set<Long>, Deadlock> present = Map.of();
    private volatile List<Deadlock> current = List.of();
    private volatile Deadlock last;
    private ScheduledExecutorService timer;
    private final List<WatchedLock> watched = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Per watched lock, the hold already reported (its start, as nanoseconds); check thread only. */
    private final Map<WatchedLock, Long> reportedHolds = new HashMap<>();
    private volatile List<String> stalls = List.of();

    public DeadlockWatchdog() {
        this(DEFAULT_PERIOD, Clock.systemUTC());
    }

    public DeadlockWatchdog(Duration period, Clock clock) {
        if (period.isNegative() || period.isZero()) {
            throw new IllegalArgumentException("deadlock check period must be positive: " + period);
        }
        this.period = period;
        this.clock = clock;
    }

    /** Also checks {@code lock} at every check: held longer than the period is reported. */
    public void watch(WatchedLock lock) {
        watched.add(lock);
    }

    /** Starts checking every period on the watchdog thread. */
    public synchronized void start() {
        if (timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-deadlock-watchdog");
            t.setDaemon(true);
            return t;
        });
        long ms = period.toMillis();
        timer.scheduleWithFixedDelay(this::checkQuietly, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void checkQuietly() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("deadlock check failed: {}", e.toString());
        }
    }

    /**
     * Checks once now: logs each cycle not seen at the previous check, and returns the cycles
     * present (empty when none). Called by the watchdog thread, or directly (one caller at a time).
     */
    public synchronized List<Deadlock> check() {
        checkStalls();
        long[] ids = mx.findDeadlockedThreads();
        if (ids == null) {
            present = Map.of();
            current = List.of();
            return current;
        }
        ThreadInfo[] infos = mx.getThreadInfo(ids, mx.isObjectMonitorUsageSupported(), mx.isSynchronizerUsageSupported());
        Map<Long, ThreadInfo> byId = new HashMap<>();
        for (ThreadInfo info : infos) {
            if (info != null) {
                byId.put(info.getThreadId(), info);
            }
        }
        Map<Set<Long>, Deadlock> now = new java.util.LinkedHashMap<>();
        for (Set<Long> cycle : cycles(byId)) {
            Deadlock known = present.get(cycle);
            if (known == null) {
                known = describe(cycle, byId);
                LOG.error("{}", known.report());
            }
            now.put(cycle, known);
        }
        present = now;
        current = List.copyOf(now.values());
        if (!current.isEmpty()) {
            last = current.get(current.size() - 1);
        }
        return current;
    }

    /** Reports each watched lock held longer than the period, once per hold. Check thread only. */
    private void checkStalls() {
        long now = System.nanoTime();
        List<String> found = new ArrayList<>();
        for (WatchedLock l : watched) {
            long held = l.heldForNanos(now);
            Thread holder = l.holder();
            if (held < period.toNanos() || holder == null) {
                reportedHolds.remove(l);
                continue;
            }
            long since = now - held;
            String line = "lock " + l.name() + " held for " + held / 1_000_000_000L + " s by " + describe(holder)
                    + "; " + l.waiters().size() + " threads waiting";
            found.add(line);
            Long reported = reportedHolds.get(l);
            if (reported == null || Math.abs(reported - since) > 1_000_000L) {
                reportedHolds.put(l, since);
                StringBuilder report = new StringBuilder("stall: ").append(line);
                for (StackTraceElement e : holder.getStackTrace()) {
                    report.append("\n    at ").append(e);
                }
                LOG.error("{}", report);
            }
        }
        stalls = List.copyOf(found);
    }

    private static String describe(Thread t) {
        String n = t.getName();
        return "\"" + (n.isEmpty() ? "unnamed" : n) + "\"" + (t.isVirtual() ? " (virtual)" : "");
    }

    /** Watched locks held longer than the period at the last check, one line each. */
    public List<String> stalls() {
        return stalls;
    }

    /** Splits deadlocked threads into cycles by following each one's lock owner. */
    private static List<Set<Long>> cycles(Map<Long, ThreadInfo> byId) {
        List<Set<Long>> out = new ArrayList<>();
        Set<Long> placed = new HashSet<>();
        for (long start : new TreeSet<>(byId.keySet())) {
            List<Long> path = new ArrayList<>();
            long at = start;
            while (byId.containsKey(at) && !path.contains(at) && !placed.contains(at)) {
                path.add(at);
                at = byId.get(at).getLockOwnerId();
            }
            int loop = path.indexOf(at);
            if (loop >= 0) {
                Set<Long> cycle = new TreeSet<>(path.subList(loop, path.size()));
                out.add(cycle);
                placed.addAll(cycle);
            }
        }
        return out;
    }

    private Deadlock describe(Set<Long> cycle, Map<Long, ThreadInfo> byId) {
        List<String> names = new ArrayList<>();
        List<String> waits = new ArrayList<>();
        StringBuilder report = new StringBuilder("deadlock: ").append(cycle.size()).append(" threads wait for each other");
        for (long id : cycle) {
            ThreadInfo t = byId.get(id);
            names.add(t.getThreadName());
            waits.add(t.getThreadName() + " waits for " + t.getLockName() + " held by " + t.getLockOwnerName());
            report.append("\n\"").append(t.getThreadName()).append("\" (id ").append(id).append(") ")
                    .append(t.getThreadState()).append(" waiting for ").append(t.getLockName())
                    .append(" owned by \"").append(t.getLockOwnerName()).append("\" (id ").append(t.getLockOwnerId()).append(')');
            StackTraceElement[] stack = t.getStackTrace();
            for (int i = 0; i < stack.length; i++) {
                report.append("\n    at ").append(stack[i]);
                for (MonitorInfo m : t.getLockedMonitors()) {
                    if (m.getLockedStackDepth() == i) {
                        report.append("\n    - locked ").append(m);
                    }
                }
            }
            Set<String> synchronizers = new LinkedHashSet<>();
            for (LockInfo l : t.getLockedSynchronizers()) {
                synchronizers.add(l.toString());
            }
            if (!synchronizers.isEmpty()) {
                report.append("\n    holds ").append(String.join(", ", synchronizers));
            }
        }
        String summary = String.join("; ", waits);
        return new Deadlock(clock.instant(), List.copyOf(names), summary, report.toString());
    }

    /** Deadlock cycles found at the last check. */
    public List<Deadlock> current() {
        return current;
    }

    /** The most recent cycle ever found, or null. */
    public Deadlock last() {
        return last;
    }

    /** One line for the console: {@code none}, the cycle now present, or the last one seen. */
    public String status() {
        List<String> s = stalls;
        String deadlocks = deadlockStatus();
        return s.isEmpty() ? deadlocks : deadlocks + "; " + String.join("; ", s);
    }

    private String deadlockStatus() {
        List<Deadlock> now = current;
        if (!now.isEmpty()) {
            return now.size() + (now.size() == 1 ? " cycle" : " cycles") + " since " + now.get(0).foundAt()
                    + ": " + String.join(" | ", now.stream().map(Deadlock::summary).toList());
        }
        Deadlock l = last;
        return l == null ? "none" : "none now; last seen " + l.foundAt() + ": " + l.summary();
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
