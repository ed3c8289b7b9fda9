package dev.parley.scan;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * ICMP echo for host discovery, when this process may send it: as root or with
 * {@code CAP_NET_RAW} (then {@link InetAddress#isReachable} sends a real echo request; without
 * the privilege it would try TCP port 7 instead, so it is not used then). Each ping blocks a
 * platform thread of this pinger's own pool (at most {@link #THREADS}); results are handed to
 * a callback on that thread, which must only queue them.
 */
interface Pinger extends AutoCloseable {
    /** Threads pinging at once at most. */
    int THREADS = 256;

    /** Starts pinging {@code address}; {@code done} gets the round trip in nanoseconds, or -1 for no answer. */
    void ping(InetAddress address, long timeoutNanos, Consumer<Long> done);

    @Override
    void close();

    /** A pinger that never pings (not privileged, or turned off). */
    Pinger NONE = new Pinger() {
        @Override
        public void ping(InetAddress address, long timeoutNanos, Consumer<Long> done) {
            throw new UnsupportedOperationException("no ICMP here");
        }

        @Override
        public void close() {
        }
    };

    /** ICMP echo when privileged, else {@link #NONE}. */
    static Pinger system() {
        return privileged() ? new Icmp() : NONE;
    }

    /** Root, or {@code CAP_NET_RAW} (bit 13) in the effective capabilities. Linux only; elsewhere false. */
    static boolean privileged() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return (caps & (1L << 13)) != 0;
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Echo requests through {@link InetAddress#isReachable}, one platform thread each. */
    final class Icmp implements Pinger {
        private final ExecutorService pool;

        Icmp() {
            ThreadPoolExecutor p = new ThreadPoolExecutor(THREADS, THREADS, 1, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> Thread.ofPlatform().daemon().name("parley-scan-ping").unstarted(r));
            p.allowCoreThreadTimeOut(true);
            pool = p;
        }

        @Override
        public void ping(InetAddress address, long timeoutNanos, Consumer<Long> done) {
            pool.execute(() -> {
                long start = System.nanoTime();
                boolean up;
                try {
                    up = address.isReachable((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeoutNanos / 1_000_000)));
                } catch (IOException e) {
                    up = false;
                }
                done.accept(up ? System.nanoTime() - start : -1L);
            });
        }

        @Override
        public void close() {
            pool.shutdownNow();
        }
    }
}
