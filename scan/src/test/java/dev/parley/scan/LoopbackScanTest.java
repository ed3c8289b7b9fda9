package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.awaitility.Awaitility.await;

import dev.parley.scan.RecordingListener.Result;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Real scans over loopback with the selector-based connector. Wide port ranges go to
 * 127.0.0.77 rather than 127.0.0.1, so they meet only this test's listeners (and any
 * listener bound to every address).
 */
class LoopbackScanTest {
    private static final long MS = 1_000_000L;
    private final Listeners listeners = new Listeners();
    private final RecordingListener listener = new RecordingListener();
    private final List<NioConnector> connectors = Collections.synchronizedList(new ArrayList<>());
    private final InetAddress lo77 = address("127.0.0.77");
    private final InetAddress lo = InetAddress.getLoopbackAddress();

    private static InetAddress address(String text) {
        try {
            return InetAddress.getByName(text);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void closeListeners() throws Exception {
        listeners.close();
    }

    private ScanSummary scan(ScanSettings settings, InetAddress host, PortList ports) throws IOException {
        Scanner s = new Scanner(settings, () -> {
            NioConnector c = new NioConnector();
            connectors.add(c);
            return c;
        }, System::nanoTime, listener, List.of(new ScanHost(null, host)).iterator(), 1, ports);
        return s.run();
    }

    private static ScanSettings settings() {
        // generous timeouts: a busy machine must not turn a slow answer into "filtered"
        return ScanSettings.defaults().withTimeouts(10_000 * MS, 5_000 * MS).withConcurrency(64).withLanes(2);
    }

    @Test
    void listenersAreFoundOpenAndClosedPortsClosedInOrder() throws Exception {
        int a = listeners.silent(lo).getLocalPort();
        int b = listeners.silent(lo).getLocalPort();
        int c = listeners.silent(lo).getLocalPort();
        int x = Listeners.closedPort(lo);
        int y = Listeners.closedPort(lo);

        ScanSummary s = scan(settings(), lo, PortList.of(a, b, c, x, y));

        int[] sorted = IntStream.of(a, b, c, x, y).sorted().toArray();
        assertThat(listener.results).extracting(Result::port).containsExactly(sorted[0], sorted[1], sorted[2],
                sorted[3], sorted[4]);
        for (int open : new int[] {a, b, c}) {
            assertThat(listener.result(open).reason()).isEqualTo(Reason.CONNECTED);
        }
        for (int closed : new int[] {x, y}) {
            assertThat(listener.result(closed).reason()).isEqualTo(Reason.REFUSED);
        }
        assertThat(s.open()).isEqualTo(3);
        assertThat(s.closed()).isEqualTo(2);
    }

    @Test
    void aWholeRangeIsReportedInOrderWithEveryListenerOpen() throws Exception {
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(listeners.silent(lo77).getLocalPort());
        }
        int low = Math.max(1, Collections.min(mine) - 500);
        int high = Math.min(65535, Collections.max(mine) + 500);
        PortList range = PortList.parse(low + "-" + high, Services.bundled());

        ScanSummary s = scan(settings(), lo77, range);

        assertThat(listener.results).extracting(Result::port)
                .containsExactlyElementsOf(IntStream.rangeClosed(low, high).boxed().toList());
        for (int p : mine) {
            assertThat(listener.result(p).reason()).isEqualTo(Reason.CONNECTED);
        }
        assertThat(s.ports()).isEqualTo(high - low + 1);
    }

    @Test
    void ipv6LoopbackWorksToo() throws Exception {
        InetAddress v6 = address("::1");
        ServerSocket l;
        try {
            l = listeners.silent(v6);
        } catch (IOException e) {
            assumeTrue(false, "no IPv6 loopback here");
            return;
        }
        assertThat(v6).isInstanceOf(Inet6Address.class);
        int closed = Listeners.closedPort(v6);

        scan(settings(), v6, PortList.of(l.getLocalPort(), closed));

        assertThat(listener.result(l.getLocalPort()).reason()).isEqualTo(Reason.CONNECTED);
        assertThat(listener.result(closed).reason()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void bannersAreReadFromServicesThatSpeakFirst() throws Exception {
        int talker = listeners.greeting(lo, "SSH-2.0-ParleyTest\r\n").getLocalPort();
        int quiet = listeners.silent(lo).getLocalPort();

        scan(settings().withBanner(500 * MS), lo, PortList.of(talker, quiet));

        assertThat(listener.result(talker).banner()).isEqualTo("SSH-2.0-ParleyTest");
        assertThat(listener.result(quiet).banner()).isNull();
        assertThat(listener.result(quiet).reason()).isEqualTo(Reason.CONNECTED);
    }

    @Test
    void aListenerWhoseQueueIsFullDropsTheConnectionAndLooksFiltered() throws Exception {
        // Linux drops a SYN when the listener's accept queue is full: the scanner hears nothing
        ServerSocket full = new ServerSocket();
        full.bind(new InetSocketAddress(lo77, 0), 1);
        List<Socket> fillers = new ArrayList<>();
        boolean dropping = false;
        try {
            for (int i = 0; i < 10 && !dropping; i++) {
                Socket f = new Socket();
                fillers.add(f);
                try {
                    f.connect(full.getLocalSocketAddress(), 1000);
                } catch (SocketTimeoutException e) {
                    dropping = true;
                }
            }
            assumeTrue(dropping, "this kernel does not drop SYNs for a full accept queue");

            scan(ScanSettings.defaults().withTimeouts(300 * MS, 300 * MS).withRetries(1), lo77,
                    PortList.of(full.getLocalPort()));

            assertThat(listener.result(full.getLocalPort()).reason()).isEqualTo(Reason.NO_RESPONSE);
            assertThat(listener.result(full.getLocalPort()).reason().state()).isEqualTo(PortState.FILTERED);
        } finally {
            for (Socket f : fillers) {
                f.close();
            }
            full.close();
        }
    }

    @Test
    void aSocketConnectedToItselfIsToldApartFromAListener() throws Exception {
        try (java.nio.channels.SocketChannel self = java.nio.channels.SocketChannel.open();
             java.nio.channels.SocketChannel other = java.nio.channels.SocketChannel.open()) {
            self.bind(new InetSocketAddress(lo77, 0));
            InetSocketAddress itself = (InetSocketAddress) self.getLocalAddress();
            self.connect(itself); // TCP's simultaneous open, with itself
            Attempt a = new Attempt(null, 0, itself);
            assertThat(NioConnector.connectedKind(self, a)).isEqualTo(NioConnector.Kind.SELF);

            ServerSocket l = listeners.silent(lo77);
            other.connect(l.getLocalSocketAddress());
            Attempt b = new Attempt(null, 0, (InetSocketAddress) l.getLocalSocketAddress());
            assertThat(NioConnector.connectedKind(other, b)).isEqualTo(NioConnector.Kind.CONNECTED);
        }
    }

    @Test
    void socketsHeldNeverExceedTheBoundAndNoneAreLeftOpen() throws Exception {
        List<Integer> mine = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            mine.add(listeners.greeting(lo77, "hello\r\n").getLocalPort());
        }
        int low = Collections.min(mine);
        int high = Math.min(65535, low + 3999);
        ScanSummary s = scan(settings().withConcurrency(20).withBanner(200 * MS), lo77,
                PortList.parse(low + "-" + high, Services.bundled()));

        assertThat(s.ports()).isEqualTo(high - low + 1);
        assertThat(s.open()).isGreaterThanOrEqualTo(mine.stream().filter(p -> p <= high).count());
        assertThat(connectors).hasSize(2);
        assertThat(connectors).allSatisfy(c -> {
            assertThat(c.peakOpenSockets()).isPositive().isLessThanOrEqualTo(10);
            assertThat(c.openSockets()).isZero();
        });
        assertThat(s.maxInFlight()).isLessThanOrEqualTo(20);
        // only the scanner's own sockets count: those whose far end is 127.0.0.77 (the listeners'
        // accepted sockets have it as their near end, and other descriptors the JDK may open are no sockets)
        if (Files.isReadable(Path.of("/proc/net/tcp"))) {
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(socketsConnectedTo("4D00007F")).isZero());
        }
    }

    /**
     * This process's descriptors that are TCP sockets connected or connecting to the address
     * {@code hexAddress} (as {@code /proc/net/tcp} writes it: 127.0.0.77 is {@code 4D00007F}).
     */
    static long socketsConnectedTo(String hexAddress) throws IOException {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        inodes.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
                .map(line -> line.trim().split("\\s+"))
                .filter(f -> f.length > 9 && f[2].startsWith(hexAddress + ":") && inodes.contains(f[9]))
                .count();
    }
}
