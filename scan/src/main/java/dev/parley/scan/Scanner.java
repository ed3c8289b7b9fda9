package dev.parley.scan;

import java.io.IOException;
import java.security.SecureRandom;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * A scan: hands out ports to its {@link Lane lanes}, collects their results and reports every
 * port in order as soon as all the ports before it are known. With a random order, hosts are
 * taken shuffled and each host's ports with a random stride, but reports still follow the
 * order given.
 *
 * <p>Threads: lane 0 runs on the thread that calls {@link #run}, any further lanes on threads of
 * their own. Everything shared between them (the host iterator, the results, the listener) is
 * guarded by {@link #lock}; lanes take ports and hand in results in batches, so they rarely
 * meet there. The listener is only ever called with the lock held, so from one thread at a
 * time. {@link #done()} may be read from anywhere (the progress bar).
 */
final class Scanner {
    private static final Reason[] REASONS = Reason.values();
    /**
     * Hosts are taken in a random order only while all their results fit in memory at once
     * (a byte a port): results are held until every host before them in the order given is done.
     */
    static final long MAX_SHUFFLED_RESULTS = 1L << 26;

    final ScanSettings settings;
    final LongSupplier clock;
    private final Connector.Factory connectors;
    private final ScanListener listener;
    private final PortList ports;
    private final long total;
    private final long hostTotal;
    private final Function<ScanHost, RttEstimator> learned;
    private final SplittableRandom random = new SplittableRandom(new SecureRandom().nextLong());

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock:
    private final Iterator<ScanHost> hosts;
    /** Hosts taken but not yet fully reported, by their position in the order given. */
    private final Map<Integer, HostRun> unreported = new HashMap<>();
    /** With a random host order: every host, in the order given, and the order to take them in. */
    private List<ScanHost> shuffledHosts;
    private int[] shuffledOrder;
    private int hostsTaken;
    private int nextReport;
    private HostRun dispatching;
    private int nextPort;
    private long hostCount;
    private long open;
    private long closed;
    private long filtered;
    // written under lock, read anywhere:
    private volatile long done;
    private volatile long hostsFinished;
    private volatile boolean exhausted;
    private volatile RuntimeException failure;

    /**
     * @param connectors opens one connector per lane
     * @param hosts      the hosts, in order; read lazily
     * @param hostCount  how many {@code hosts} yields (for progress)
     * @param clock      {@link System#nanoTime} in the product
     */
    Scanner(ScanSettings settings, Connector.Factory connectors, LongSupplier clock, ScanListener listener,
            Iterator<ScanHost> hosts, long hostCount, PortList ports) {
        this(settings, connectors, clock, listener, hosts, hostCount, ports, host -> null);
    }

    /**
     * @param learned each host's round trip as measured before the scan (by {@link Discovery}),
     *                or {@code null} when unknown; every lane starts from a copy
     */
    Scanner(ScanSettings settings, Connector.Factory connectors, LongSupplier clock, ScanListener listener,
            Iterator<ScanHost> hosts, long hostCount, PortList ports, Function<ScanHost, RttEstimator> learned) {
        this.learned = learned;
        this.settings = settings;
        this.connectors = connectors;
        this.clock = clock;
        this.listener = listener;
        this.hosts = hosts;
        this.ports = ports;
        this.total = hostCount * ports.size();
        this.hostTotal = hostCount;
        if (settings.randomize() && hostCount > 1 && hostCount * ports.size() <= MAX_SHUFFLED_RESULTS) {
            shuffledHosts = new ArrayList<>((int) hostCount);
            hosts.forEachRemaining(shuffledHosts::add);
            shuffledOrder = new int[shuffledHosts.size()];
            for (int i = 0; i < shuffledOrder.length; i++) {
                shuffledOrder[i] = i;
            }
            for (int i = shuffledOrder.length - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = shuffledOrder[i];
                shuffledOrder[i] = shuffledOrder[j];
                shuffledOrder[j] = t;
            }
        }
    }

    /** Ports whose result is known. */
    long done() {
        return done;
    }

    /** Hosts the scan covers. */
    long hostTotal() {
        return hostTotal;
    }

    /** Hosts whose every port is reported. */
    long hostsFinished() {
        return hostsFinished;
    }

    /** Ports the scan probes in all. */
    long total() {
        return total;
    }

    /**
     * Scans every host and port and reports them to the listener.
     *
     * @throws ScanFailedException when sockets cannot be opened here at all
     */
    ScanSummary run() throws IOException {
        long start = clock.getAsLong();
        int n = settings.lanes();
        List<Lane> lanes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lanes.add(new Lane(this, i, share(settings.concurrency(), n, i),
                    settings.rate() > 0 ? share(settings.rate(), n, i) : 0));
        }
        List<Thread> threads = new ArrayList<>();
        for (Lane lane : lanes.subList(1, n)) {
            threads.add(Thread.ofPlatform().name("parley-scan-lane-" + lane.index).start(() -> runLane(lane)));
        }
        runLane(lanes.get(0));
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail(new ScanFailedException("interrupted"));
            }
        }
        if (failure != null) {
            throw failure;
        }
        lock.lock();
        try {
            listener.flush();
            long elapsed = clock.getAsLong() - start;
            int maxInFlight = lanes.stream().mapToInt(Lane::maxInFlight).sum();
            return new ScanSummary(hostCount, open + closed + filtered, open, closed, filtered, elapsed,
                    settings.concurrency(), maxInFlight, hostCount, hostCount);
        } finally {
            lock.unlock();
        }
    }

    /** Lane {@code i}'s part of {@code amount} split {@code n} ways. */
    static int share(long amount, int n, int i) {
        return (int) Math.min(Integer.MAX_VALUE, amount / n + (i < amount % n ? 1 : 0));
    }

    private void runLane(Lane lane) {
        try (Connector connector = connectors.open()) {
            lane.run(connector);
        } catch (IOException e) {
            fail(new ScanFailedException("cannot scan: " + e.getMessage()));
        } catch (RuntimeException e) {
            fail(e);
        }
    }

    /** Ends the scan: every lane stops at its next turn. The first failure wins. */
    void fail(RuntimeException e) {
        lock.lock();
        try {
            if (failure == null) {
                failure = e;
            }
        } finally {
            lock.unlock();
        }
    }

    boolean failed() {
        return failure != null;
    }

    /** Whether ports remain that no lane has taken yet. */
    boolean freshLeft() {
        return !exhausted;
    }

    /** Moves up to {@code max} untried ports, in order, into {@code into}; returns how many. */
    int takeFresh(ArrayDeque<Attempt> into, int max) {
        if (exhausted) {
            return 0;
        }
        lock.lock();
        try {
            int taken = 0;
            while (taken < max) {
                if (dispatching == null || nextPort >= ports.size()) {
                    ScanHost next;
                    int position = hostsTaken;
                    if (shuffledHosts != null) {
                        if (hostsTaken >= shuffledOrder.length) {
                            exhausted = true;
                            break;
                        }
                        position = shuffledOrder[hostsTaken];
                        next = shuffledHosts.get(position);
                    } else if (hosts.hasNext()) {
                        next = hosts.next();
                    } else {
                        exhausted = true;
                        break;
                    }
                    hostsTaken++;
                    dispatching = new HostRun(next, ports.size(), settings.lanes(), learned.apply(next));
                    if (settings.randomize()) {
                        dispatching.shuffle(random);
                    }
                    hostCount++;
                    unreported.put(position, dispatching);
                    nextPort = 0;
                }
                int index = dispatching.order(nextPort++);
                into.addLast(new Attempt(dispatching, index,
                        new InetSocketAddress(dispatching.host.address(), ports.get(index))));
                taken++;
            }
            return taken;
        } finally {
            lock.unlock();
        }
    }

    /** Takes in a lane's finished attempts and reports whatever is now in order. */
    void commit(List<Attempt> finished) {
        lock.lock();
        try {
            for (Attempt a : finished) {
                HostRun h = a.host;
                h.reasons[a.portIndex] = (byte) (a.result.ordinal() + 1);
                if (a.bannerText != null) {
                    h.banners.put(a.portIndex, a.bannerText);
                }
                switch (a.result.state()) {
                    case OPEN -> {
                        open++;
                        h.open++;
                    }
                    case CLOSED -> {
                        closed++;
                        h.closed++;
                    }
                    case FILTERED -> {
                        filtered++;
                        h.filtered++;
                    }
                }
            }
            done += finished.size();
            report();
        } finally {
            lock.unlock();
        }
    }

    /** Pushes out buffered output; a lane calls this before it waits. */
    void flush() {
        lock.lock();
        try {
            listener.flush();
        } finally {
            lock.unlock();
        }
    }

    /** Reports, in order, every result whose predecessors are all known. Lock held. */
    private void report() {
        while (true) {
            HostRun h = unreported.get(nextReport);
            if (h == null) {
                return; // not taken yet (or none left)
            }
            if (!h.started) {
                h.started = true;
                listener.hostStarted(h.host);
            }
            while (h.reported < h.reasons.length && h.reasons[h.reported] != 0) {
                int i = h.reported++;
                Reason r = REASONS[h.reasons[i] - 1];
                listener.port(h.host, ports.get(i), r, r == Reason.CONNECTED ? h.banners.remove(i) : null);
            }
            if (h.reported < h.reasons.length) {
                return;
            }
            listener.hostTiming(h.host, h.timing(settings));
            listener.hostFinished(h.host, h.open, h.closed, h.filtered);
            hostsFinished++;
            unreported.remove(nextReport);
            nextReport++;
        }
    }

    /** One host being scanned. Its results are guarded by the scanner's lock; each lane keeps its own {@link #rtt}. */
    static final class HostRun {
        final ScanHost host;
        /** Per port index: 0 while unknown, else the {@link Reason}'s ordinal + 1. */
        final byte[] reasons;
        final Map<Integer, String> banners = new HashMap<>();
        /** Round-trip estimates, one per lane, each touched only by its lane's thread. */
        final RttEstimator[] rtt;
        int reported;
        boolean started;
        /** Ports go out as {@code (offset + stride * i) mod n}: a permutation when stride and n share no factor. */
        private long stride = 1;
        private long offset;
        long open;
        long closed;
        long filtered;

        HostRun(ScanHost host, int ports, int lanes, RttEstimator learned) {
            this.host = host;
            this.reasons = new byte[ports];
            this.rtt = new RttEstimator[lanes];
            for (int i = 0; i < lanes; i++) {
                rtt[i] = learned == null ? new RttEstimator() : learned.copy();
            }
        }

        /** A random order for this host's ports (a random stride through them from a random start). */
        void shuffle(SplittableRandom random) {
            int n = reasons.length;
            if (n < 3) {
                return;
            }
            long s;
            do {
                s = random.nextLong(1, n);
            } while (gcd(s, n) != 1);
            stride = s;
            offset = random.nextLong(n);
        }

        /** The index of the {@code i}-th port to try. */
        int order(int i) {
            return (int) ((offset + stride * i) % reasons.length);
        }

        private static long gcd(long a, long b) {
            while (b != 0) {
                long t = a % b;
                a = b;
                b = t;
            }
            return a;
        }

        /**
         * The timing of the lane that measured the most answers. Called under the scanner's
         * lock once every port is committed, when no lane touches this host any more.
         */
        HostTiming timing(ScanSettings settings) {
            RttEstimator best = rtt[0];
            for (RttEstimator r : rtt) {
                if (r.samples() > best.samples()) {
                    best = r;
                }
            }
            return new HostTiming(best.srtt(), best.timeout(0, settings.minTimeoutNanos(), settings.timeoutNanos()),
                    best.samples(), best.learned());
        }
    }
}
