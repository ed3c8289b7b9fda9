package dev.parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * CPU time and resident memory of a process, read from Linux's {@code /proc}.
 * CPU comes from {@code /proc/PID/stat} (user + system time, in clock ticks of
 * {@value #CLOCK_TICKS_PER_SECOND} per second, the fixed USER_HZ of Linux), memory from
 * {@code VmRSS} in {@code /proc/PID/status}.
 */
final class ProcStats {
    static final long CLOCK_TICKS_PER_SECOND = 100;

    /** One reading; {@code writtenBytes} is {@code wchar} of {@code /proc/PID/io} (-1 when unreadable). */
    record Sample(long pid, double cpuSeconds, long rssBytes, long writtenBytes) {
    }

    private ProcStats() {
    }

    static boolean exists(long pid) {
        return Files.isReadable(Path.of("/proc", Long.toString(pid), "stat"));
    }

    static Optional<Sample> read(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
            long written;
            try {
                written = writtenBytes(Files.readString(Path.of("/proc", Long.toString(pid), "io")));
            } catch (IOException | RuntimeException e) {
                written = -1; // another user's process: io is not ours to read
            }
            return Optional.of(new Sample(pid, cpuSeconds(stat), rssBytes(status), written));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The sum of several processes' readings, named by the first's pid; empty when any of
     * them cannot be read (gone).
     */
    static Optional<Sample> readSum(List<Long> pids) {
        if (pids.isEmpty()) {
            return Optional.empty();
        }
        double cpu = 0;
        long rss = 0;
        long written = 0;
        for (long pid : pids) {
            Optional<Sample> s = read(pid);
            if (s.isEmpty()) {
                return Optional.empty();
            }
            cpu += s.get().cpuSeconds();
            rss += s.get().rssBytes();
            written = written < 0 || s.get().writtenBytes() < 0 ? -1 : written + s.get().writtenBytes();
        }
        return Optional.of(new Sample(pids.get(0), cpu, rss, written));
    }

    static Sample self() {
        return read(ProcessHandle.current().pid()).orElse(new Sample(ProcessHandle.current().pid(), 0, 0, -1));
    }

    /** User + system CPU seconds from the text of {@code /proc/PID/stat}. */
    static double cpuSeconds(String stat) {
        // the command name (field 2) is in parentheses and may hold spaces: count fields after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" +");
        long utime = Long.parseLong(f[11]); // field 14
        long stime = Long.parseLong(f[12]); // field 15
        return (utime + stime) / (double) CLOCK_TICKS_PER_SECOND;
    }

    /** Bytes the process passed to write calls ({@code wchar}) from the text of {@code /proc/PID/io}. */
    static long writtenBytes(String io) {
        for (String line : io.split("\n")) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        throw new IllegalArgumentException("no wchar line");
    }

    /** Resident bytes from the text of {@code /proc/PID/status}. */
    static long rssBytes(String status) {
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                String[] f = line.substring(6).trim().split(" +");
                return Long.parseLong(f[0]) * 1024;
            }
        }
        throw new IllegalArgumentException("no VmRSS line");
    }
}
