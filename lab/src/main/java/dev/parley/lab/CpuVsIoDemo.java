package dev.parley.lab;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab cpu-vs-io}: the same jobs run five ways, CPU-bound and I/O-bound. */
@Command(name = "cpu-vs-io",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "The same CPU-bound and I/O-bound jobs run sequentially, on a thread pool, on virtual "
                + "threads, in separate processes and as CompletableFutures; speed-ups on this machine's cores.")
final class CpuVsIoDemo extends Demo {
    @Option(names = "--jobs", paramLabel = "N", defaultValue = "8",
            description = "Jobs of each kind (default: ${DEFAULT-VALUE}).")
    int jobs;

    @Option(names = "--cpu-ms", paramLabel = "MS", defaultValue = "100",
            description = "Size of one CPU-bound job, as time on one core, calibrated at start (default: ${DEFAULT-VALUE}).")
    int cpuMs;

    @Option(names = "--io-ms", paramLabel = "MS", defaultValue = "100",
            description = "How long one I/O-bound job waits (default: ${DEFAULT-VALUE}).")
    int ioMs;

    @Option(names = "--pool", paramLabel = "N", defaultValue = "0",
            description = "Threads in the fixed pool, and processes; 0 = one per core (default: ${DEFAULT-VALUE}).")
    int pool;

    @Option(names = "--repeat", paramLabel = "R", defaultValue = "1",
            description = "Run each mode this many times and keep the fastest, to damp other load (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The ways of running the jobs. */
    enum Mode {
        SEQUENTIAL("sequential", "one after another"),
        POOL("thread pool", "fixed pool of platform threads"),
        VIRTUAL("virtual threads", "a virtual thread per job"),
        PROCESSES("processes", "child JVMs, jobs split"),
        FUTURES("futures", "supplyAsync, common pool"),
        ASYNC("async futures", "completed by a timer (I/O only)");

        final String label;
        final String how;

        Mode(String label, String how) {
            this.label = label;
            this.how = how;
        }
    }

    /**
     * One timed run: the sum of the jobs' answers (the same in every mode), the time taken, and the
     * CPU time used meanwhile by this process and any child processes.
     */
    record Timed(long answer, long nanos, long cpuNanos) {
        /** CPU time over wall time: how many cores were kept busy on average. */
        double coresBusy() {
            return nanos == 0 ? 0 : (double) cpuNanos / nanos;
        }
    }

    private int cores;
    private int poolSize;

    @Override
    String title() {
        return "CPU-bound and I/O-bound work, run five ways";
    }

    @Override
    String shows() {
        return jobs + " CPU-bound jobs (about " + cpuMs + " ms of arithmetic each on one core) and " + jobs
                + " I/O-bound jobs (each waits " + ioMs + " ms, as a network call would; Thread.sleep stands in for "
                + "the wait) are run sequentially, on a fixed pool, on virtual threads, in separate processes and "
                + "as CompletableFutures, and timed. Speed-up is sequential time divided by the mode's time.";
    }

    @Override
    void validate() {
        require("--jobs", jobs, 1, 10_000);
        require("--cpu-ms", cpuMs, 1, 10_000);
        require("--io-ms", ioMs, 0, 10_000);
        require("--pool", pool, 0, 1024);
        require("--repeat", repeat, 1, 100);
        require("--timeout", timeoutSeconds, 1, 3600);
    }

    @Override
    void run(Report report) throws Exception {
        cores = Runtime.getRuntime().availableProcessors();
        double loadAtStart = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        poolSize = pool > 0 ? pool : cores;
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        report.progress("calibrating the CPU-bound job to about " + cpuMs + " ms…");
        long iterations = calibrate(cpuMs);
        report.put("cores", cores);
        report.put("poolSize", poolSize);
        report.put("commonPoolParallelism", ForkJoinPool.getCommonPoolParallelism());
        report.put("cpuIterationsPerJob", iterations);
        Table t = new Table("modes", jobs + " jobs of each kind, " + cores + " cores, pool of " + poolSize + ":")
                .col("mode", "mode").col("how", "how")
                .col("cpuMs", "CPU-bound ms").col("cpuSpeedup", "speed-up").col("cpuCoresBusy", "cores busy")
                .col("ioMs", "I/O-bound ms").col("ioSpeedup", "speed-up");
        long[] base = new long[2];
        Long cpuAnswer = null;
        boolean agree = true;
        for (Mode m : Mode.values()) {
            report.progress(m.label + "…");
            Timed cpu = m == Mode.ASYNC ? null : fastest(m, true, iterations, timeout);
            Timed io = fastest(m, false, ioMs, timeout);
            if (m == Mode.SEQUENTIAL) {
                base[0] = cpu.nanos();
                base[1] = io.nanos();
                cpuAnswer = cpu.answer();
            } else if (cpu != null && cpu.answer() != cpuAnswer) {
                agree = false;
            }
            if (io.answer() != (long) jobs * (jobs - 1) / 2) {
                agree = false;
            }
            t.row(m.label, m.how,
                    cpu == null ? null : cpu.nanos() / 1e6, cpu == null ? null : (double) base[0] / cpu.nanos(),
                    cpu == null ? null : cpu.coresBusy(),
                    io.nanos() / 1e6, (double) base[1] / io.nanos());
        }
        report.table(t);
        report.put("answersAgree", agree);
        report.say("Every mode computed the same answers: " + (agree ? "yes" : "NO") + ". This machine has " + cores
                + " cores; the common pool behind supplyAsync has parallelism " + ForkJoinPool.getCommonPoolParallelism()
                + ".");
        if (loadAtStart >= cores / 2.0) {
            report.say(String.format(Locale.ROOT, "The machine was busy (load average %.1f on %d cores as the run "
                    + "began): other programs held cores too, so the CPU-bound runs may not have kept all %d busy; "
                    + "'cores busy' shows what they got, and caps their speed-up.", loadAtStart, cores, cores));
        }
        if (!agree) {
            report.failed();
        }
    }

    @Override
    String why() {
        return "A CPU-bound job needs a core the whole time, so no arrangement of threads can run more of them at "
                + "once than there are cores: with " + cores + " cores the speed-up stops near " + cores + ", whether "
                + "the threads are platform, virtual or in other processes, and more threads only add switching. An "
                + "I/O-bound job mostly waits, and a waiting thread needs no core, so the speed-up grows with the "
                + "number of jobs waiting at once: the pool is limited by its " + poolSize + " threads, virtual "
                + "threads give every job its own cheap thread and overlap them all, and timer-completed futures "
                + "need no thread at all while waiting. Processes pay for starting a JVM each (visible in their "
                + "times) and suit CPU work that must be isolated. supplyAsync uses the common pool, sized to cores "
                + "minus one, so blocking I/O inside futures queues behind too few threads; futures make waiting cheap "
                + "only when the I/O itself is asynchronous. 'Cores busy' is CPU time divided by elapsed time: how "
                + "many cores a CPU-bound run actually kept working (JVM start-up included for processes).";
    }

    private Timed fastest(Mode mode, boolean cpuBound, long amount, Duration timeout) throws Exception {
        Timed best = null;
        for (int i = 0; i < repeat; i++) {
            Timed t = run(mode, cpuBound, amount, jobs, poolSize, timeout);
            if (best == null || t.nanos() < best.nanos()) {
                best = t;
            }
        }
        return best;
    }

    /** Iterations of {@link Jobs#cpu} that take about {@code millis} on one core, after warming up the JIT. */
    static long calibrate(int millis) {
        long sink = 0;
        long n = 1_000_000;
        for (int i = 0; i < 5; i++) {
            sink += Jobs.cpu(n, i);
        }
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t0 = System.nanoTime();
            sink += Jobs.cpu(n * 10, i);
            best = Math.min(best, System.nanoTime() - t0);
        }
        if (sink == 42) {
            System.out.print("");   // keeps the JIT from discarding the warm-up
        }
        return Math.max(1000, (long) (n * 10 * (millis * 1e6 / Math.max(1, best))));
    }

    /** Runs {@code count} jobs (seeds 0..count-1) the way {@code mode} says; returns the sum of answers. */
    static Timed run(Mode mode, boolean cpuBound, long amount, int count, int poolSize, Duration timeout)
            throws Exception {
        long start = System.nanoTime();
        long cpuStart = Jobs.processCpuNanos();
        long[] childCpu = new long[1];
        long answer = switch (mode) {
            case SEQUENTIAL -> {
                long sum = 0;
                for (int i = 0; i < count; i++) {
                    sum += Jobs.run(cpuBound, amount, i);
                }
                yield sum;
            }
            case POOL -> {
                try (ExecutorService ex = Executors.newFixedThreadPool(poolSize, Thread.ofPlatform().name("pool-", 0).factory())) {
                    yield submitAll(ex, cpuBound, amount, count, timeout);
                }
            }
            case VIRTUAL -> {
                try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
                    yield submitAll(ex, cpuBound, amount, count, timeout);
                }
            }
            case PROCESSES -> processes(cpuBound, amount, count, poolSize, timeout, childCpu);
            case FUTURES -> {
                List<CompletableFuture<Long>> fs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    long seed = i;
                    fs.add(CompletableFuture.supplyAsync(() -> Jobs.run(cpuBound, amount, seed)));
                }
                yield sum(fs, timeout);
            }
            case ASYNC -> {
                if (cpuBound) {
                    throw new IllegalArgumentException("a timer cannot do CPU work");
                }
                List<CompletableFuture<Long>> fs = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    long seed = i;
                    fs.add(CompletableFuture.supplyAsync(() -> seed,
                            CompletableFuture.delayedExecutor(amount, TimeUnit.MILLISECONDS, Runnable::run)));
                }
                yield sum(fs, timeout);
            }
        };
        long nanos = System.nanoTime() - start;
        return new Timed(answer, nanos, Jobs.processCpuNanos() - cpuStart + childCpu[0]);
    }

    private static long submitAll(ExecutorService ex, boolean cpuBound, long amount, int count, Duration timeout)
            throws Exception {
        List<Future<Long>> fs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long seed = i;
            fs.add(ex.submit(() -> Jobs.run(cpuBound, amount, seed)));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long sum = 0;
        for (Future<Long> f : fs) {
            try {
                sum += f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                fs.forEach(x -> x.cancel(true));
                throw new RunFailed("jobs did not finish within " + timeout.toSeconds() + " s (--timeout)", e);
            }
        }
        return sum;
    }

    private static long sum(List<CompletableFuture<Long>> fs, Duration timeout) throws Exception {
        try {
            CompletableFuture.allOf(fs.toArray(CompletableFuture[]::new)).get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new RunFailed("jobs did not finish within " + timeout.toSeconds() + " s (--timeout)", e);
        }
        long sum = 0;
        for (CompletableFuture<Long> f : fs) {
            sum += f.join();
        }
        return sum;
    }

    /** Splits the jobs between {@code processes} child JVMs running {@link Jobs#main}. */
    private static long processes(boolean cpuBound, long amount, int count, int processes, Duration timeout,
            long[] childCpu) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        List<Process> children = new ArrayList<>();
        int n = Math.min(processes, count);
        try {
            int first = 0;
            for (int p = 0; p < n; p++) {
                int share = count / n + (p < count % n ? 1 : 0);
                children.add(new ProcessBuilder(java, "-Xshare:auto", "-cp", classpath, Jobs.class.getName(),
                        cpuBound ? "cpu" : "io", Long.toString(amount), Integer.toString(first), Integer.toString(share))
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start());
                first += share;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            long sum = 0;
            for (Process child : children) {
                String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                if (!child.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) || child.exitValue() != 0) {
                    throw new RunFailed("a job process failed (exit " + (child.isAlive() ? "none" : child.exitValue())
                            + "): " + String.format(Locale.ROOT, "%.80s", out));
                }
                String[] words = out.split(" ");
                sum += Long.parseLong(words[0]);
                childCpu[0] += Math.max(0, Long.parseLong(words[1]));
            }
            return sum;
        } finally {
            children.forEach(Process::destroyForcibly);
        }
    }
}
