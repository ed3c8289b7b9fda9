package dev.parley.scan;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Host discovery and round-trip learning, before the bulk of a scan: connects to a few
 * {@link #DEFAULT_PORTS common ports} of every address. A host that accepts or refuses any of
 * them is up, and the time that first answer took is its round trip, so the scan proper can
 * give silent ports a timeout fitted to the host instead of the full {@code --timeout}.
 * As soon as a host has answered once its other probes are dropped; a host that answers
 * nothing within {@code --timeout} (or is unreachable) is down. When privileged, an ICMP echo
 * goes out beside the TCP probes ({@link Pinger}), and a reply counts as an answer.
 *
 * <p>Threads: runs entirely on the thread that calls {@link #run}, with one connector; the
 * bound on attempts in flight and the rate limit are the scan's.
 */
final class Discovery {
    /**
     * Probed on every address: web, secure web and SSH (the services most often found open),
     * and one high port above the usual ephemeral range, which almost every host that is up
     * refuses at once. Four, so that a /24 fits the default 1024 attempts in flight at once.
     */
    static final PortList DEFAULT_PORTS = PortList.of(80, 443, 22, 65432);
    /** The loop never sleeps longer than this. */
    private static final long MAX_WAIT_NANOS = 100_000_000L;

    /**
     * What discovery found.
     *
     * @param hosts   every address probed, in the order given
     * @param up      the addresses that answered, in the order given
     * @param learned the round trip of each host that answered
     */
    record Result(List<ScanHost> hosts, List<ScanHost> up, Map<ScanHost, RttEstimator> learned) {
        RttEstimator learned(ScanHost host) {
            return learned.get(host);
        }
    }

    private final ScanSettings settings;
    private final LongSupplier clock;
    private final PortList ports;
    private final Pinger pinger;
    /** Ping answers, queued by the pinger's threads, taken by the discovering thread. */
    private final ConcurrentLinkedQueue<Pong> pongs = new ConcurrentLinkedQueue<>();
    private int pinging;

    private record Pong(Probe probe, long rttNanos) {
    }

    Discovery(ScanSettings settings, LongSupplier clock, PortList ports) {
        this(settings, clock, ports, Pinger.NONE);
    }

    /** @param pinger ICMP echo beside the TCP probes ({@link Pinger#NONE}: TCP only) */
    Discovery(ScanSettings settings, LongSupplier clock, PortList ports, Pinger pinger) {
        this.settings = settings;
        this.clock = clock;
        this.ports = ports;
        this.pinger = pinger;
    }

    /** One address being probed. */
    private static final class Probe {
        final ScanHost host;
        /** Where the host was in the order given. */
        final int position;
        final Scanner.HostRun run;
        final List<Attempt> inFlight = new ArrayList<>();
        int unstarted;
        boolean decided;
        boolean up;
        /** An echo request is out and its answer still matters. */
        boolean pinging;

        Probe(ScanHost host, int position, Scanner.HostRun run, int ports) {
            this.host = host;
            this.position = position;
            this.run = run;
            this.unstarted = ports;
        }
    }

    private record Timer(long deadline, Attempt attempt, int generation) {
    }

    private final ArrayDeque<Attempt> queue = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::deadline));
    private final Map<Scanner.HostRun, Probe> probes = new IdentityHashMap<>();
    private Connector connector;
    private int inFlight;
    private int limit;
    private long now;

    /**
     * Probes every host (in a random order when the settings say so); the result lists them
     * in the order given. {@code connector} is closed by the caller.
     */
    Result run(Iterator<ScanHost> given, long count, Connector connector) throws IOException {
        List<ScanHost> hosts = new ArrayList<>((int) Math.min(count, 1 << 16));
        given.forEachRemaining(hosts::add);
        List<Integer> order = new ArrayList<>(hosts.size());
        for (int i = 0; i < hosts.size(); i++) {
            order.add(i);
        }
        if (settings.randomize()) {
            Collections.shuffle(order, new SecureRandom());
        }
        return probe(hosts, order.iterator(), connector);
    }

    private Result probe(List<ScanHost> given, Iterator<Integer> hosts, Connector connector) throws IOException {
        this.connector = connector;
        this.limit = settings.concurrency();
        RateLimiter rate = settings.rate() > 0 ? new RateLimiter(settings.rate(), clock.getAsLong()) : null;
        List<Probe> all = new ArrayList<>();
        Connector.Events events = new Events();
        while (true) {
            now = clock.getAsLong();
            expire();
            takePongs();
            boolean rateBound = false;
            while (inFlight < limit) {
                if (queue.isEmpty()) {
                    if (!hosts.hasNext()) {
                        break;
                    }
                    int position = hosts.next();
                    ScanHost host = given.get(position);
                    Probe p = new Probe(host, position, new Scanner.HostRun(host, ports.size(), 1, null), ports.size());
                    probes.put(p.run, p);
                    all.add(p);
                    for (int i = 0; i < ports.size(); i++) {
                        queue.addLast(new Attempt(p.run, i, new InetSocketAddress(host.address(), ports.get(i))));
                    }
                    if (pinger != Pinger.NONE) {
                        p.pinging = true;
                        pinging++;
                        pinger.ping(host.address(), settings.timeoutNanos(), rtt -> pongs.add(new Pong(p, rtt)));
                    }
                }
                Attempt a = queue.peekFirst();
                Probe p = probes.get(a.host);
                if (p.decided) {
                    queue.pollFirst();
                    continue;
                }
                if (rate != null && !rate.tryAcquire(now)) {
                    rateBound = true;
                    break;
                }
                queue.pollFirst();
                p.unstarted--;
                begin(a, p);
            }
            if (inFlight == 0 && queue.isEmpty() && !hosts.hasNext() && pinging == 0) {
                break;
            }
            long wait = MAX_WAIT_NANOS;
            if (!timers.isEmpty()) {
                wait = Math.min(wait, timers.peek().deadline() - now);
            }
            if (inFlight < limit && !queue.isEmpty()) {
                wait = rateBound ? Math.min(wait, rate.nanosUntilNext(now)) : 0;
            }
            connector.poll(Math.max(0, wait), events);
        }
        all.sort(Comparator.comparingInt(p -> p.position));
        List<ScanHost> hostList = new ArrayList<>(all.size());
        List<ScanHost> up = new ArrayList<>();
        Map<ScanHost, RttEstimator> learned = new HashMap<>();
        for (Probe p : all) {
            hostList.add(p.host);
            if (p.up) {
                up.add(p.host);
                RttEstimator r = p.run.rtt[0];
                r.markLearned();
                learned.put(p.host, r);
            }
        }
        return new Result(hostList, up, learned);
    }

    /** Ping answers: an echo reply makes a host up like a TCP answer does. */
    private void takePongs() {
        Pong pong;
        while ((pong = pongs.poll()) != null) {
            Probe p = pong.probe();
            if (!p.pinging) {
                continue;
            }
            stopPinging(p);
            if (pong.rttNanos() >= 0 && !p.up) {
                p.run.rtt[0].sample(pong.rttNanos());
                p.up = true;
                p.decided = true;
                for (Attempt other : List.copyOf(p.inFlight)) {
                    end(other);
                }
            } else if (p.inFlight.isEmpty() && p.unstarted == 0) {
                p.decided = true;
            }
        }
    }

    private void stopPinging(Probe p) {
        if (p.pinging) {
            p.pinging = false;
            pinging--;
        }
    }

    private void begin(Attempt a, Probe p) {
        a.tries++;
        a.generation++;
        a.startedNanos = now;
        inFlight++;
        p.inFlight.add(a);
        if (!connector.connect(a)) {
            timers.add(new Timer(now + settings.timeoutNanos(), a, a.generation));
        }
    }

    private void expire() {
        while (!timers.isEmpty() && timers.peek().deadline() <= now) {
            Timer t = timers.poll();
            if (t.generation() == t.attempt().generation) {
                end(t.attempt());
            }
        }
    }

    /** The attempt is over: frees its socket; the host is decided once nothing of it is left. */
    private void end(Attempt a) {
        a.generation++;
        connector.close(a);
        inFlight--;
        Probe p = probes.get(a.host);
        p.inFlight.remove(a);
        if (p.inFlight.isEmpty() && p.unstarted == 0 && !p.pinging) {
            p.decided = true;
        }
    }

    /** The host answered: it is up; its other probes are not needed any more. */
    private void answered(Attempt a) {
        Probe p = probes.get(a.host);
        p.run.rtt[0].sample(clock.getAsLong() - a.startedNanos);
        p.up = true;
        p.decided = true;
        stopPinging(p);
        end(a);
        for (Attempt other : List.copyOf(p.inFlight)) {
            end(other);
        }
    }

    /** Outcomes from the connector, on the discovering thread. */
    private final class Events implements Connector.Events {
        @Override
        public void connected(Attempt a) {
            answered(a);
        }

        @Override
        public void refused(Attempt a) {
            answered(a);
        }

        @Override
        public void unreachable(Attempt a) {
            end(a);
        }

        @Override
        public void noAnswer(Attempt a) {
            end(a);
        }

        @Override
        public void selfConnected(Attempt a) {
            end(a);
        }

        @Override
        public void localFailure(Attempt a, IOException cause) {
            limit = Math.max(1, Math.min(limit, inFlight - 1));
            end(a);
        }

        @Override
        public void data(Attempt a, byte[] bytes, int length, boolean end) {
        }
    }
}
