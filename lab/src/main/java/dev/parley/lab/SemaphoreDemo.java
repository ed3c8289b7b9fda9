package dev.parley.lab;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab semaphore}: bounding how many are inside at once. */
@Command(name = "semaphore",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "At most K of N workers inside a section at once (measured), against an unbounded run; "
                + "then a downloader limited by a semaphore against a local HTTP server.")
final class SemaphoreDemo extends Demo {
    @Option(names = "--workers", paramLabel = "N", defaultValue = "16",
            description = "Workers wanting into the section (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--permits", paramLabel = "K", defaultValue = "3",
            description = "Semaphore permits: most workers or downloads at once (default: ${DEFAULT-VALUE}).")
    int permits;

    @Option(names = "--hold-ms", paramLabel = "MS", defaultValue = "50",
            description = "How long each worker stays inside the section (default: ${DEFAULT-VALUE}).")
    int holdMs;

    @Option(names = "--downloads", paramLabel = "D", defaultValue = "24",
            description = "Files the downloader fetches (default: ${DEFAULT-VALUE}).")
    int downloads;

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "100",
            description = "How long the local HTTP server takes to answer each request (default: ${DEFAULT-VALUE}).")
    int latencyMs;

    @Option(names = "--size-kb", paramLabel = "KB", defaultValue = "64",
            description = "Size of each file (default: ${DEFAULT-VALUE}).")
    int sizeKb;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** A section run: how many were inside at most, and how long all took. {@code permits} 0 = no semaphore. */
    record SectionRun(int workers, int permits, int maxInside, long nanos) {
    }

    /** A download run: most downloads in flight (client side and as the server saw it), bytes, time. */
    record DownloadRun(int downloads, int permits, int maxInFlight, int serverMaxConcurrent, long bytes, long nanos) {
    }

    @Override
    String title() {
        return "limiting concurrency with a semaphore";
    }

    @Override
    String shows() {
        return workers + " workers each want to spend " + holdMs + " ms inside a section. A semaphore with " + permits
                + " permits lets at most " + permits + " in at once; without it all of them crowd in. Each worker counts "
                + "who is inside as it enters, so the maximum is measured, not assumed. Then " + downloads
                + " downloads from a local HTTP server (started on loopback, " + latencyMs
                + " ms per answer) run with and without a " + permits + "-permit semaphore.";
    }

    @Override
    void validate() {
        require("--workers", workers, 1, 10_000);
        require("--permits", permits, 1, 10_000);
        require("--hold-ms", holdMs, 0, 10_000);
        require("--downloads", downloads, 1, 10_000);
        require("--latency-ms", latencyMs, 0, 10_000);
        require("--size-kb", sizeKb, 0, 16 * 1024);
        require("--timeout", timeoutSeconds, 1, 3600);
    }

    @Override
    void run(Report report) throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Table sections = new Table("section", "Workers inside the section at once:")
                .col("run", "run").col("workers", "workers").col("permits", "permits")
                .col("maxInside", "max inside (measured)").col("ms", "ms");
        report.progress("section with a " + permits + "-permit semaphore…");
        SectionRun limited = section(workers, permits, Duration.ofMillis(holdMs), timeout);
        report.progress("section without a semaphore…");
        SectionRun open = section(workers, 0, Duration.ofMillis(holdMs), timeout);
        sections.row("semaphore(" + permits + ")", workers, permits, limited.maxInside(), limited.nanos() / 1e6);
        sections.row("unbounded", workers, null, open.maxInside(), open.nanos() / 1e6);
        report.table(sections);

        Table dl = new Table("downloads", "Downloads from the local HTTP server (" + sizeKb + " KiB each, "
                + latencyMs + " ms to answer):")
                .col("run", "run").col("downloads", "downloads").col("permits", "permits")
                .col("maxInFlight", "max in flight").col("serverMaxConcurrent", "server saw at once")
                .col("ms", "ms").col("mbPerSecond", "MB/s");
        try (FileServer server = new FileServer(sizeKb * 1024, Duration.ofMillis(latencyMs))) {
            report.progress("HTTP server on " + server.uri() + "; one untimed download to warm up the client…");
            download(server, 1, 1, timeout);
            report.progress("downloading with a " + permits + "-permit semaphore…");
            DownloadRun a = download(server, downloads, permits, timeout);
            report.progress("downloading with no limit…");
            DownloadRun b = download(server, downloads, 0, timeout);
            for (DownloadRun r : List.of(a, b)) {
                dl.row(r.permits() > 0 ? "semaphore(" + r.permits() + ")" : "unbounded", r.downloads(),
                        r.permits() > 0 ? r.permits() : null, r.maxInFlight(), r.serverMaxConcurrent(),
                        r.nanos() / 1e6, r.bytes() / 1e6 / (r.nanos() / 1e9));
            }
        }
        report.table(dl);
        report.say("With the semaphore never more than " + permits + " were inside; without it up to "
                + open.maxInside() + " of " + workers + " were.");
    }

    @Override
    String why() {
        return "A semaphore is a counter of permits: acquire() takes one or waits until one is free, release() gives "
                + "it back. With K permits, a (K+1)th worker blocks at the door, so the number inside can never pass K, "
                + "whatever the scheduler does. The price is time: " + workers + " workers of " + holdMs + " ms each "
                + "through " + permits + " slots need about ceil(N/K) x " + holdMs + " ms. That is the point for a "
                + "downloader: limiting requests in flight protects the server, the network and your own memory, "
                + "at the cost of finishing later. The unbounded run finishes fastest here only because the local "
                + "server has no limit of its own; a real one would refuse or slow down.";
    }

    /** Runs {@code workers} threads through a section guarded by {@code permits} permits (0 = unguarded). */
    static SectionRun section(int workers, int permits, Duration hold, Duration timeout) throws Exception {
        Semaphore semaphore = permits > 0 ? new Semaphore(permits) : null;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        CountDownLatch go = new CountDownLatch(1);
        long start;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < workers; i++) {
                done.add(pool.submit(() -> {
                    go.await();
                    if (semaphore != null) {
                        semaphore.acquire();
                    }
                    try {
                        max.accumulateAndGet(inside.incrementAndGet(), Math::max);
                        Thread.sleep(hold);
                        inside.decrementAndGet();
                    } finally {
                        if (semaphore != null) {
                            semaphore.release();
                        }
                    }
                    return null;
                }));
            }
            start = System.nanoTime();
            go.countDown();
            awaitAll(done, timeout);
        }
        return new SectionRun(workers, permits, max.get(), System.nanoTime() - start);
    }

    /** Downloads {@code count} files, at most {@code permits} at once (0 = no limit). */
    static DownloadRun download(FileServer server, int count, int permits, Duration timeout) throws Exception {
        server.resetConcurrency();
        Semaphore semaphore = permits > 0 ? new Semaphore(permits) : null;
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicLong bytes = new AtomicLong();
        long start = System.nanoTime();
        try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                HttpRequest request = HttpRequest.newBuilder(server.uri().resolve("/file/" + i)).timeout(timeout).build();
                done.add(pool.submit(() -> {
                    if (semaphore != null) {
                        semaphore.acquire();
                    }
                    try {
                        max.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                        HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() != 200) {
                            throw new IOException("HTTP " + r.statusCode() + " for " + request.uri());
                        }
                        bytes.addAndGet(r.body().length);
                        inFlight.decrementAndGet();
                    } finally {
                        if (semaphore != null) {
                            semaphore.release();
                        }
                    }
                    return null;
                }));
            }
            awaitAll(done, timeout);
        }
        return new DownloadRun(count, permits, max.get(), server.maxConcurrent(), bytes.get(), System.nanoTime() - start);
    }

    private static void awaitAll(List<Future<?>> futures, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Future<?> f : futures) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                futures.forEach(x -> x.cancel(true));
                throw new RunFailed("run did not finish within " + timeout.toSeconds() + " s (--timeout)", e);
            }
        }
    }

    /**
     * A loopback HTTP server that answers every GET with a file of fixed size after a fixed delay,
     * counting the requests it is working on at once.
     */
    static final class FileServer implements AutoCloseable {
        private final HttpServer server;
        private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
        private final AtomicInteger concurrent = new AtomicInteger();
        private final AtomicInteger maxConcurrent = new AtomicInteger();

        FileServer(int bytes, Duration latency) throws IOException {
            byte[] body = new byte[bytes];
            for (int i = 0; i < bytes; i++) {
                body[i] = (byte) ('a' + i % 26);
            }
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 128);
            server.setExecutor(handlers);
            server.createContext("/file/", exchange -> {
                try {
                    maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
                    try {
                        Thread.sleep(latency);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        // counted out before the answer leaves, so a client holding a permit covers the whole count
                        concurrent.decrementAndGet();
                    }
                    exchange.getResponseHeaders().set("Connection", "close");   // one connection per download
                    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
                    if (body.length > 0) {
                        try (OutputStream out = exchange.getResponseBody()) {
                            out.write(body);
                        }
                    }
                } finally {
                    exchange.close();
                }
            });
            server.start();
        }

        URI uri() {
            InetSocketAddress a = server.getAddress();
            return URI.create("http://" + a.getAddress().getHostAddress() + ":" + a.getPort() + "/");
        }

        void resetConcurrency() {
            maxConcurrent.set(0);
        }

        int maxConcurrent() {
            return maxConcurrent.get();
        }

        @Override
        public void close() {
            server.stop(0);
            handlers.close();
        }
    }
}
