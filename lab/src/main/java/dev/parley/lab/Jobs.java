package dev.parley.lab;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The two kinds of job the cpu-vs-io demo runs, and a {@code main} so a separate process can run
 * a share of them: {@code java -cp … dev.parley.lab.Jobs cpu|io AMOUNT FIRST COUNT} prints the sum
 * of the jobs' answers and the CPU time the process used.
 */
final class Jobs {
    private Jobs() {
    }

    /** CPU-bound: {@code iterations} rounds of xorshift from {@code seed}; no step can be skipped. */
    static long cpu(long iterations, long seed) {
        long x = seed * 0x9E3779B97F4A7C15L + 1;
        for (long i = 0; i < iterations; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    /** I/O-bound: waits {@code millis} as a network or disk call would; the CPU is idle meanwhile. */
    static long io(long millis, long seed) {
        try {
            Thread.sleep(Duration.ofMillis(millis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return seed;
    }

    static long run(boolean cpuBound, long amount, long seed) {
        return cpuBound ? cpu(amount, seed) : io(amount, seed);
    }

    /** CPU time this whole process has used so far, in nanoseconds (-1 where the JVM cannot tell). */
    static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : -1;
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: Jobs cpu|io AMOUNT FIRST COUNT");
            System.exit(2);
        }
        boolean cpuBound = args[0].equals("cpu");
        long amount = Long.parseLong(args[1]);
        long first = Long.parseLong(args[2]);
        long count = Long.parseLong(args[3]);
        long sum = 0;
        for (long i = first; i < first + count; i++) {
            sum += run(cpuBound, amount, i);
        }
        System.out.println(sum + " " + processCpuNanos());
    }
}
