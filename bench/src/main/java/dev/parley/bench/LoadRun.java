package dev.parley.bench;

import dev.parley.bench.BenchClient.Sender;
import dev.parley.bench.BenchResult.Correctness;
import dev.parley.bench.BenchResult.CrossCheck;
import dev.parley.bench.BenchResult.Latency;
import dev.parley.bench.BenchResult.Load;
import dev.parley.bench.BenchResult.ProcessUse;
import dev.parley.bench.BenchResult.Setup;
import dev.parley.bench.RunControl.Phase;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs one benchmark: builds the clients, spreads them over the event loops, moves the run
 * through its phases (setup, held, sending, drain, close) and adds up what the loops counted.
 * Runs on the calling thread; the loops run on their own.
 */
final class LoadRun {
    private final BenchConfig config;
    private final PrintWriter progress;
    private final RunControl control;
    private final EventLoop[] loops;
    private final BenchClient[] clients;
    private final BenchClient[] senders;

    LoadRun(BenchConfig config, PrintWriter progress) throws IOException {
        this.config = config;
        this.progress = progress;
        this.control = new RunControl(config.mode(), config.connectConcurrency());
        this.loops = new EventLoop[config.threads()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop(i, config, control);
        }
        int n = config.clients();
        int s = config.sendersActive();
        clients = new BenchClient[n];
        senders = new BenchClient[s];
        List<InetAddress> sources = config.sourceAddresses();
        for (int i = 0; i < n; i++) {
            int ch = config.channelOf(i);
            String chName = config.channel(ch);
            InetAddress src = sources.isEmpty() ? null : sources.get(i % sources.size());
            int server = config.serverOf(i);
            BenchClient c = new BenchClient(i, config.nick(i), ch, chName, src, server, config.servers().get(server));
            if (i < s) {
                c.sender = new Sender(i, Wire.messageHead(chName));
                senders[i] = c;
            }
            if (config.mode() != Mode.IDLE) {
                c.tracker = new SequenceTracker(s);
            }
            clients[i] = c;
            loops[i % loops.length].add(c);
        }
        for (EventLoop l : loops) {
            l.knowSenders(senders);
        }
    }

    BenchResult run() throws InterruptedException {
        Optional<ProcStats.Sample> serverBefore = ProcStats.readSum(config.serverPids());
        Optional<ProcStats.Sample> watchedBefore = ProcStats.readSum(config.watchPids());
        ProcStats.Sample selfBefore = ProcStats.self();

        List<Thread> threads = new ArrayList<>();
        for (EventLoop l : loops) {
            threads.add(l.start());
        }
        Window w;
        try {
            w = drive(serverBefore, watchedBefore, selfBefore);
        } finally {
            control.phase = Phase.CLOSE;
            for (EventLoop l : loops) {
                l.wakeup();
            }
            for (Thread t : threads) {
                t.join();
            }
        }
        return summarize(w);
    }

    private Window drive(Optional<ProcStats.Sample> serverBefore, Optional<ProcStats.Sample> watchedBefore,
                         ProcStats.Sample selfBefore) throws InterruptedException {
        long setupStart = System.nanoTime();
        long setupDeadline = setupStart + config.setupTimeout().toNanos();
        long nextReport = setupStart + 2_000_000_000L;
        int n = config.clients();
        while (control.ready.get() + control.failed.get() < n && System.nanoTime() < setupDeadline) {
            Thread.sleep(20);
            if (System.nanoTime() >= nextReport) {
                note("setup: %d of %d ready, %d failed, %.0f s", control.ready.get(), n, control.failed.get(),
                        (System.nanoTime() - setupStart) / 1e9);
                nextReport += 2_000_000_000L;
            }
        }
        long setupEnd = System.nanoTime();
        control.phase = Phase.HELD;
        for (EventLoop l : loops) {
            l.wakeup();
        }
        while (control.loopsSettled.get() < loops.length) {
            Thread.sleep(5);
        }
        int ready = control.ready.get();
        double setupSeconds = (setupEnd - setupStart) / 1e9;
        note("setup: %d of %d ready in %.2f s", ready, n, setupSeconds);
        if (ready == 0) {
            throw new NoClientsException(failureSummary());
        }

        long windowStart;
        long windowEnd;
        Optional<ProcStats.Sample> serverAtStart;
        Optional<ProcStats.Sample> watchedAtStart;
        ProcStats.Sample selfAtStart;
        if (config.mode() == Mode.IDLE) {
            sleepUntil(System.nanoTime() + config.warmup().toNanos());
            windowStart = System.nanoTime();
            serverAtStart = ProcStats.readSum(config.serverPids());
            watchedAtStart = ProcStats.readSum(config.watchPids());
            selfAtStart = ProcStats.self();
            windowEnd = windowStart + config.duration().toNanos();
            sleepUntil(windowEnd);
        } else {
            prepareSenders();
            long sendStart = System.nanoTime();
            windowStart = sendStart + config.warmup().toNanos();
            windowEnd = windowStart + config.duration().toNanos();
            if (config.mode() == Mode.RATE) {
                long interval = senderInterval();
                for (BenchClient s : senders) {
                    s.sender.intervalNanos = interval;
                    s.sender.nextDueNanos = sendStart + interval * s.sender.id / senders.length;
                }
            }
            control.measureStartNanos = windowStart;
            control.measureEndNanos = windowEnd;
            control.phase = Phase.SENDING;
            for (EventLoop l : loops) {
                l.wakeup();
            }
            note("sending: %s s warm-up, then %s s measured", ResultText.num(config.warmup().toMillis() / 1000.0),
                    ResultText.num(config.duration().toMillis() / 1000.0));
            sleepUntil(windowStart);
            serverAtStart = ProcStats.readSum(config.serverPids());
            watchedAtStart = ProcStats.readSum(config.watchPids());
            selfAtStart = ProcStats.self();
            sleepUntil(windowEnd);
        }
        Optional<ProcStats.Sample> serverAtEnd = ProcStats.readSum(config.serverPids());
        Optional<ProcStats.Sample> watchedAtEnd = ProcStats.readSum(config.watchPids());
        ProcStats.Sample selfAtEnd = ProcStats.self();
        if (config.mode() != Mode.IDLE) {
            control.phase = Phase.DRAIN;
            drain();
        }
        return new Window(ready, setupSeconds, (windowEnd - windowStart) / 1e9, serverBefore, serverAtStart,
                serverAtEnd, watchedBefore, watchedAtStart, watchedAtEnd, selfBefore, selfAtStart, selfAtEnd);
    }

    /** Gives each live sender its receivers (and in flood mode its window). Loops are held. */
    private void prepareSenders() {
        int[] live = new int[config.channels()];
        for (BenchClient c : clients) {
            if (c.live) {
                live[c.channel]++;
            }
        }
        for (BenchClient s : senders) {
            s.sender.receivers = Math.max(0, live[s.channel] - 1);
            if (config.mode() == Mode.FLOOD) {
                s.sender.window = new FloodWindow(config.window(), s.sender.receivers,
                        config.inflightTimeout().toNanos());
            }
        }
    }

    private long senderInterval() {
        return Math.max(1, Math.round(1e9 * senders.length / config.rate()));
    }

    /** Waits until every message sent so far has reached all its receivers, or the drain time is up. */
    private void drain() throws InterruptedException {
        long deadline = System.nanoTime() + config.drain().toNanos();
        // let every loop see DRAIN and publish its final 'owed' count
        Thread.sleep(60);
        while (System.nanoTime() < deadline) {
            long unique = 0;
            long owed = 0;
            for (EventLoop l : loops) {
                unique += l.publishedUnique;
                owed += l.publishedOwed;
            }
            if (unique >= owed) {
                return;
            }
            Thread.sleep(10);
        }
    }

    private static void sleepUntil(long nanos) throws InterruptedException {
        while (true) {
            long left = nanos - System.nanoTime();
            if (left <= 0) {
                return;
            }
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    private String failureSummary() {
        Map<String, Integer> all = new TreeMap<>();
        for (EventLoop l : loops) {
            l.setupFailures().forEach((k, v) -> all.merge(k, v, Integer::sum));
        }
        return all.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .findFirst()
                .map(e -> e.getKey() + " (" + e.getValue() + " of " + config.clients() + ")")
                .orElse("setup timed out");
    }

    private void note(String fmt, Object... args) {
        if (progress != null) {
            progress.println(String.format(Locale.ROOT, fmt, args));
            progress.flush();
        }
    }

    /** No client got through setup: nothing to measure. */
    static final class NoClientsException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NoClientsException(String why) {
            super("no client could connect, register and join: " + why);
        }
    }

    /** What the coordinator read while the loops were running. */
    private record Window(int ready, double setupSeconds, double seconds,
                          Optional<ProcStats.Sample> serverBefore, Optional<ProcStats.Sample> serverAtStart,
                          Optional<ProcStats.Sample> serverAtEnd, Optional<ProcStats.Sample> watchedBefore,
                          Optional<ProcStats.Sample> watchedAtStart, Optional<ProcStats.Sample> watchedAtEnd,
                          ProcStats.Sample selfBefore,
                          ProcStats.Sample selfAtStart, ProcStats.Sample selfAtEnd) {
    }

    /** Adds up what the loops counted. Only after they have ended (joined). */
    private BenchResult summarize(Window w) {
        Histogram latency = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        Histogram handshake = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        Histogram same = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        Histogram across = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
        Map<String, Integer> failures = new TreeMap<>();
        Map<String, Integer> disconnects = new TreeMap<>();
        long deliveries = 0;
        long deliveryBytes = 0;
        for (EventLoop l : loops) {
            deliveryBytes += l.measuredDeliveryBytes();
            latency.add(l.latency());
            handshake.add(l.handshakeTimes());
            if (config.spread()) {
                same.add(l.latencySameServer());
                across.add(l.latencyAcrossServers());
            }
            l.setupFailures().forEach((k, v) -> failures.merge(k, v, Integer::sum));
            l.disconnects().forEach((k, v) -> disconnects.merge(k, v, Integer::sum));
            deliveries += l.measuredDeliveries();
        }
        final long measured = deliveries;
        Setup setup = new Setup(w.ready(), config.clients() - w.ready(), w.setupSeconds(),
                w.setupSeconds() > 0 ? w.ready() / w.setupSeconds() : 0, Latency.of(handshake), failures);
        Load load = null;
        Correctness correctness = null;
        if (config.mode() != Mode.IDLE) {
            long sent = 0;
            long skipped = 0;
            long timeouts = 0;
            for (BenchClient s : senders) {
                sent += s.sender.sent;
                skipped += s.sender.skipped;
                timeouts += s.sender.window == null ? 0 : s.sender.window.timedOut();
            }
            double sendSeconds = (config.warmup().toNanos() + config.duration().toNanos()) / 1e9;
            load = new Load(sent, skipped, sent / sendSeconds, measured, w.seconds(), measured / w.seconds(),
                    Latency.of(latency), config.spread() ? Latency.of(same) : null,
                    config.spread() ? Latency.of(across) : null, timeouts);
            correctness = correctness();
        }
        double perClientBase = w.ready();
        ProcessUse server = use(config.serverPids(), w.serverBefore(), w.serverAtStart(), w.serverAtEnd(), measured,
                perClientBase);
        ProcessUse watched = use(config.watchPids(), w.watchedBefore(), w.watchedAtStart(), w.watchedAtEnd(), measured,
                perClientBase);
        CrossCheck check = crossCheck(w, measured, deliveryBytes);
        ProcStats.Sample se = w.selfAtEnd();
        double selfCpu = se.cpuSeconds() - w.selfAtStart().cpuSeconds();
        ProcessUse self = new ProcessUse(se.pid(), null, round2(selfCpu), null, se.rssBytes(), w.selfBefore().rssBytes(),
                (double) Math.round((se.rssBytes() - w.selfBefore().rssBytes()) / perClientBase));
        return new BenchResult(config.target(),
                config.mode().label(), config.clients(), config.channels(), config.sendersActive(),
                config.mode() == Mode.RATE ? config.rate() : null,
                config.mode() == Mode.FLOOD ? config.window() : null,
                config.duration().toMillis() / 1000.0, config.warmup().toMillis() / 1000.0, config.threads(),
                config.connectConcurrency(), config.payloadBytes(), setup, load, correctness, disconnects,
                server, check, watched, self);
    }

    /**
     * What the server wrote in the measured window against the deliveries the clients counted;
     * null when nothing was measured or the server's {@code /proc/PID/io} cannot be read.
     */
    private static CrossCheck crossCheck(Window w, long measured, long deliveryBytes) {
        if (measured <= 0 || w.serverAtStart().isEmpty() || w.serverAtEnd().isEmpty()) {
            return null;
        }
        long start = w.serverAtStart().get().writtenBytes();
        long end = w.serverAtEnd().get().writtenBytes();
        if (start < 0 || end < start) {
            return null;
        }
        long written = end - start;
        double line = deliveryBytes / (double) measured;
        long byBytes = Math.round(written / line);
        return new CrossCheck(written, deliveryBytes, Math.round(line * 10) / 10.0, byBytes,
                Math.round(1000.0 * byBytes / measured) / 1000.0);
    }

    /** CPU in the window and memory of a group of processes (summed), or null when unread or gone. */
    private ProcessUse use(List<Long> pids, Optional<ProcStats.Sample> before, Optional<ProcStats.Sample> atStart,
                           Optional<ProcStats.Sample> atEnd, long measured, double perClientBase) {
        return atEnd.map(end -> {
            double cpu = atStart.map(s -> end.cpuSeconds() - s.cpuSeconds()).orElse(0.0);
            long base = before.map(ProcStats.Sample::rssBytes).orElse(0L);
            return new ProcessUse(end.pid(), pids.size() > 1 ? pids : null, round2(cpu),
                    config.mode() == Mode.IDLE || cpu <= 0 ? null : (double) Math.round(measured / cpu),
                    end.rssBytes(), base, (double) Math.round((end.rssBytes() - base) / perClientBase));
        }).orElse(null);
    }

    /** Every live sender's messages checked at every live receiver in its channel. */
    private Correctness correctness() {
        long expected = 0;
        long missing = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        long leftOut = 0;
        for (BenchClient r : clients) {
            if (r.tracker == null) {
                continue;
            }
            duplicated += r.tracker.duplicates();
            outOfOrder += r.tracker.outOfOrder();
            for (BenchClient s : senders) {
                if (s == r || s.channel != r.channel || !s.wasReady || !r.wasReady) {
                    continue;
                }
                if (!r.live || !s.live) {
                    leftOut++;
                    continue;
                }
                expected += s.sender.sent;
                missing += r.tracker.missing(s.sender.id, s.sender.sent);
            }
        }
        return new Correctness(expected, expected - missing, missing, duplicated, outOfOrder, leftOut);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
