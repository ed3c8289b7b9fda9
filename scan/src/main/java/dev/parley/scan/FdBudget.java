package dev.parley.scan;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * How many sockets a scan may hold at once without running out of file descriptors: the
 * process's open-file limit, less what is already open, less a reserve for everything else
 * (the JVM's own files, the selector, the terminal).
 *
 * <p>On Linux the limit comes from {@code /proc/self/limits} and the descriptors in use from
 * {@code /proc/self/fd} (the JVM raises its soft limit to the hard one at start, so this is
 * the raised value). Elsewhere the JVM's Unix operating-system bean answers; failing that a
 * limit of {@value #FALLBACK_LIMIT} is assumed, the usual default.
 *
 * @param limit  the soft limit on open files
 * @param inUse  descriptors open now
 */
record FdBudget(long limit, long inUse) {
    static final long FALLBACK_LIMIT = 1024;
    static final long FALLBACK_IN_USE = 64;

    /** Descriptors kept free for the rest of the program. */
    long reserve() {
        return Math.max(32, Math.min(1024, limit / 20));
    }

    /** Sockets the scan may hold at once; may be 0 when the process is already near its limit. */
    long available() {
        return Math.max(0, limit - inUse - reserve());
    }

    /** The budget of this process now. */
    static FdBudget current() {
        OptionalLong limit = OptionalLong.empty();
        try {
            limit = parseLimits(Files.readString(Path.of("/proc/self/limits")));
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc not mounted: ask the JVM below
        }
        long inUse = countOpen(Path.of("/proc/self/fd"));
        if (limit.isEmpty() || inUse < 0) {
            OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                if (limit.isEmpty() && unix.getMaxFileDescriptorCount() > 0) {
                    limit = OptionalLong.of(unix.getMaxFileDescriptorCount());
                }
                if (inUse < 0 && unix.getOpenFileDescriptorCount() >= 0) {
                    inUse = unix.getOpenFileDescriptorCount();
                }
            }
        }
        return new FdBudget(limit.orElse(FALLBACK_LIMIT), inUse < 0 ? FALLBACK_IN_USE : inUse);
    }

    /**
     * The soft "Max open files" value from the text of {@code /proc/<pid>/limits};
     * {@code unlimited} reads as {@link Long#MAX_VALUE}.
     */
    static OptionalLong parseLimits(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("Max open files")) {
                String[] cols = line.substring("Max open files".length()).trim().split("\\s+");
                if (cols.length == 0) {
                    return OptionalLong.empty();
                }
                if (cols[0].equals("unlimited")) {
                    return OptionalLong.of(Long.MAX_VALUE);
                }
                try {
                    return OptionalLong.of(Long.parseLong(cols[0]));
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /** Entries in a directory such as {@code /proc/self/fd}, or -1 when it cannot be read. */
    static long countOpen(Path fdDir) {
        if (!Files.isDirectory(fdDir)) {
            return -1;
        }
        long n = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(fdDir)) {
            for (Path ignored : entries) {
                n++;
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }
}
