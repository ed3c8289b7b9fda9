package dev.parley.server.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.nats.client.Connection;
import io.nats.client.ErrorListener;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A real NATS cluster with JetStream for tests: one or three {@code nats-server} processes on
 * loopback, each with its own config, store directory and log in a fresh temp directory.
 *
 * <pre>{@code
 * TestNats.assumeAvailable();                 // skips the test without nats-server
 * try (TestNats nats = TestNats.start(3)) {
 *     Connection nc = Nats.connect(Options.builder().servers(nats.urlArray()).build());
 *     ...
 *     nats.kill(0);                            // SIGKILL: a node fails
 *     nats.restart(0);                         // same ports and store: it comes back
 * }
 * }</pre>
 *
 * <p>{@link #start} returns only once JetStream is usable cluster-wide: the account info
 * answers and a stream replicated on every server can be created and deleted. That covers
 * the seconds after boot when the servers have no JetStream meta leader yet: API requests
 * then go unanswered (a timeout) or get "JetStream system temporarily unavailable", and a
 * replicated stream cannot be placed until every server has joined. Every wait is bounded ({@link #READY_TIMEOUT});
 * a timeout fails with the last error and the tail of every server's log.
 *
 * <p>The binary is {@code $PARLEY_NATS_SERVER}, else {@code /usr/sbin/nats-server} (Debian's
 * {@code nats-server} package), else {@code nats-server} on the {@code PATH}. Without it,
 * {@link #assumeAvailable()} skips the test with a message, unless {@code PARLEY_REQUIRE_NATS=1}
 * (CI sets it, after installing the package): then it fails.
 *
 * <p>{@link #close()} stops every server (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and
 * deletes the temp directory. A JVM shutdown hook kills the processes too, so a test that
 * never reaches {@code close()} leaves nothing running (a JVM killed with SIGKILL still can).
 *
 * <p>Not for concurrent use: one test thread drives an instance.
 */
public final class TestNats implements AutoCloseable {
    /** How long {@link #start} and {@link #restart} wait for JetStream to be usable. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    /** How long a stopped server gets to exit before it is killed. */
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Path DEBIAN_BINARY = Path.of("/usr/sbin/nats-server");
    private static final String CLUSTER_NAME = "parley-test";
    private static final int START_ATTEMPTS = 3;
    private static final int LOG_TAIL_LINES = 25;
    private static final String MISSING =
            "no nats-server: set PARLEY_NATS_SERVER, or install it (apt-get install nats-server)";

    private final Path binary;
    private final Path dir;
    private final int[] clientPorts;
    private final int[] routePorts;
    private final AtomicReferenceArray<Process> processes;
    private final Thread shutdownHook;

    private TestNats(Path binary, Path dir, int[] clientPorts, int[] routePorts) {
        this.binary = binary;
        this.dir = dir;
        this.clientPorts = clientPorts;
        this.routePorts = routePorts;
        this.processes = new AtomicReferenceArray<>(clientPorts.length);
        this.shutdownHook = new Thread(this::killAll, "test-nats-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    // ---- availability --------------------------------------------------------------------

    /** The nats-server binary this harness would run, if there is one. */
    public static Optional<Path> binary() {
        String fromEnv = System.getenv("PARLEY_NATS_SERVER");
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        if (Files.isExecutable(DEBIAN_BINARY)) {
            return Optional.of(DEBIAN_BINARY);
        }
        String path = System.getenv("PATH");
        return path == null ? Optional.empty() : Arrays.stream(path.split(java.io.File.pathSeparator))
                .filter(d -> !d.isEmpty())
                .map(d -> Path.of(d, "nats-server"))
                .filter(Files::isExecutable)
                .findFirst();
    }

    /** Whether a nats-server binary is installed (see {@link #binary()}). */
    public static boolean available() {
        return binary().isPresent();
    }

    /**
     * For the first line of a test that needs NATS: skips the test when nats-server is
     * missing, or fails it when {@code PARLEY_REQUIRE_NATS=1}.
     */
    public static void assumeAvailable() {
        assumeAvailable("1".equals(System.getenv("PARLEY_REQUIRE_NATS")), binary());
    }

    static void assumeAvailable(boolean required, Optional<Path> binary) {
        if (required && binary.isEmpty()) {
            fail(MISSING + "; PARLEY_REQUIRE_NATS=1 makes this a failure");
        }
        assumeTrue(binary.isPresent(), MISSING);
    }

    // ---- lifecycle -----------------------------------------------------------------------

    /**
     * Starts {@code servers} (1 or 3) nats-server processes with JetStream, clustered when
     * more than one, and waits until JetStream is usable on all of them.
     *
     * @throws IllegalStateException when nats-server is missing, or not ready in
     *         {@link #READY_TIMEOUT} (the message holds the servers' log tails)
     */
    public static TestNats start(int servers) {
        if (servers != 1 && servers != 3) {
            throw new IllegalArgumentException("servers must be 1 or 3, not " + servers);
        }
        Path bin = binary().orElseThrow(() -> new IllegalStateException(MISSING));
        for (int attempt = 1; ; attempt++) {
            TestNats nats = null;
            boolean started = false;
            try {
                int[] ports = freePorts(servers * 2);
                nats = new TestNats(bin, Files.createTempDirectory("parley-nats-"),
                        Arrays.copyOfRange(ports, 0, servers), Arrays.copyOfRange(ports, servers, 2 * servers));
                for (int i = 0; i < servers; i++) {
                    nats.writeConfig(i);
                    nats.launch(i);
                }
                nats.awaitReady();
                started = true;
                return nats;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (IllegalStateException e) {
                // a port found free can be taken by another process before the server binds it
                if (nats == null || attempt == START_ATTEMPTS || !nats.logTails().contains("address already in use")) {
                    throw e;
                }
            } finally {
                if (!started && nats != null) {
                    nats.close();
                }
            }
        }
    }

    /**
     * SIGKILLs server {@code i} and waits (bounded) for it to be gone; its store stays. The
     * survivors need a few seconds to elect new leaders for what it led (about 4 to 10 s on
     * nats-server 2.9): until then requests to those streams time out, so retry them with
     * Awaitility, giving publishes a message id so a retried one is stored once.
     */
    public void kill(int i) {
        Process p = processes.getAndSet(i, null);
        if (p != null) {
            p.destroyForcibly();
            waitGone(p);
        }
    }

    /**
     * Starts server {@code i} again, killing it first if it still runs, on the same ports and
     * store directory, and waits until JetStream is usable cluster-wide again.
     */
    public void restart(int i) {
        kill(i);
        try {
            launch(i);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        awaitReady();
    }

    /** Starts every killed server again (same ports and stores) at once, and waits until JetStream works again. */
    public void restartAll() {
        for (int i = 0; i < size(); i++) {
            if (!isRunning(i)) {
                try {
                    launch(i);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        awaitReady();
    }

    /** Stops every server (SIGTERM, SIGKILL after a grace period) and deletes the temp directory. */
    @Override
    public void close() {
        List<Process> running = new ArrayList<>();
        for (int i = 0; i < processes.length(); i++) {
            Process p = processes.getAndSet(i, null);
            if (p != null) {
                p.destroy();
                running.add(p);
            }
        }
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Process p : running) {
            try {
                if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    p.destroyForcibly();
                    waitGone(p);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running or about to: nothing left for it to do
        }
        deleteTree(dir);
    }

    // ---- addresses -----------------------------------------------------------------------

    /** How many servers this cluster has. */
    public int size() {
        return clientPorts.length;
    }

    /** The client URL of server {@code i}: {@code nats://127.0.0.1:P}. */
    public String url(int i) {
        return "nats://127.0.0.1:" + clientPorts[i];
    }

    /** All client URLs, comma-separated, as jnats {@code Options.Builder.server} accepts. */
    public String urls() {
        return String.join(",", urlArray());
    }

    /** All client URLs, for jnats {@code Options.Builder.servers}. */
    public String[] urlArray() {
        return IntStream.range(0, size()).mapToObj(this::url).toArray(String[]::new);
    }

    /** The {@code server_name} of server {@code i}, as stream cluster info reports leaders. */
    public String serverName(int i) {
        return "n" + i;
    }

    /** Whether server {@code i} runs (it was not killed, and did not die). */
    public boolean isRunning(int i) {
        Process p = processes.get(i);
        return p != null && p.isAlive();
    }

    /** The temp directory with configs ({@code nI.conf}), stores ({@code nI/}) and logs ({@code nI.log}). */
    public Path dir() {
        return dir;
    }

    // ---- internals -----------------------------------------------------------------------

    private void writeConfig(int i) throws IOException {
        StringBuilder conf = new StringBuilder()
                .append("server_name: ").append(serverName(i)).append('\n')
                .append("listen: 127.0.0.1:").append(clientPorts[i]).append('\n')
                .append("jetstream {\n")
                .append("  store_dir: \"").append(dir.resolve(serverName(i))).append("\"\n")
                .append("  max_memory_store: 64MB\n")
                .append("  max_file_store: 256MB\n")
                .append("}\n");
        if (size() > 1) {
            conf.append("cluster {\n")
                    .append("  name: ").append(CLUSTER_NAME).append('\n')
                    .append("  listen: 127.0.0.1:").append(routePorts[i]).append('\n')
                    .append("  routes: [\n");
            for (int j = 0; j < size(); j++) {
                if (j != i) {
                    conf.append("    nats-route://127.0.0.1:").append(routePorts[j]).append('\n');
                }
            }
            conf.append("  ]\n}\n");
        }
        Files.writeString(config(i), conf.toString());
    }

    private void launch(int i) throws IOException {
        Process p = new ProcessBuilder(binary.toString(), "-c", config(i).toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile()))
                .start();
        processes.set(i, p);
    }

    private Path config(int i) {
        return dir.resolve(serverName(i) + ".conf");
    }

    private Path log(int i) {
        return dir.resolve(serverName(i) + ".log");
    }

    /**
     * Waits until every running server takes client connections and JetStream answers: the
     * account info, then a stream replicated on every running server, created and deleted.
     */
    private void awaitReady() {
        AtomicReference<Exception> last = new AtomicReference<>();
        try {
            await().atMost(READY_TIMEOUT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(250))
                    .until(() -> {
                        try {
                            return ready();
                        } catch (IOException | JetStreamApiException e) {
                            last.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("NATS not ready in " + READY_TIMEOUT.toSeconds() + " s; last error: "
                    + last.get() + "\n" + logTails(), e);
        }
    }

    private boolean ready() throws Exception {
        List<Integer> running = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            Process p = processes.get(i);
            if (p != null && !p.isAlive()) {
                throw new IllegalStateException(serverName(i) + " exited with " + p.exitValue() + "\n" + logTails());
            }
            if (p != null) {
                running.add(i);
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), clientPorts[i]), 1000);
                }
            }
        }
        Options options = Options.builder()
                .servers(running.stream().map(this::url).toArray(String[]::new))
                .connectionTimeout(Duration.ofSeconds(2))
                .noReconnect()
                .errorListener(new ErrorListener() { })
                .build();
        try (Connection nc = Nats.connect(options)) {
            JetStreamManagement jsm = nc.jetStreamManagement(
                    JetStreamOptions.builder().requestTimeout(Duration.ofSeconds(2)).build());
            jsm.getAccountStatistics();
            String probe = "PARLEY_READY_" + System.nanoTime();
            jsm.addStream(StreamConfiguration.builder().name(probe).subjects("parley.ready." + probe)
                    .storageType(StorageType.Memory).replicas(running.size()).build());
            jsm.deleteStream(probe);
            return true;
        }
    }

    /** The last lines of every server's log, for failure messages. */
    String logTails() {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < size(); i++) {
            out.append("---- ").append(log(i)).append(" (last ").append(LOG_TAIL_LINES).append(" lines)\n");
            try {
                List<String> lines = Files.exists(log(i))
                        ? Files.readAllLines(log(i), StandardCharsets.UTF_8) : List.of("(no log)");
                lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException e) {
                out.append("(unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** The shutdown hook: no grace, the JVM is going away. */
    private void killAll() {
        for (int i = 0; i < processes.length(); i++) {
            Process p = processes.getAndSet(i, null);
            if (p != null) {
                p.destroyForcibly();
                waitGone(p);
            }
        }
    }

    private static void waitGone(Process p) {
        try {
            p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Distinct free loopback ports, all held open at once so none is handed out twice. */
    private static int[] freePorts(int n) throws IOException {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                sockets.add(s);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            }
            return sockets.stream().mapToInt(ServerSocket::getLocalPort).toArray();
        } finally {
            for (ServerSocket s : sockets) {
                s.close();
            }
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + root, e);
        }
    }
}
