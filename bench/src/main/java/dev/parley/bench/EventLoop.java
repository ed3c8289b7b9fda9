package dev.parley.bench;

import dev.parley.bench.BenchClient.State;
import dev.parley.bench.RunControl.Phase;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;

/**
 * One selector thread driving many clients. Each pass reads the run's phase, starts
 * connections while setup lasts (within the shared handshake budget) and closes the stragglers
 * once it ends, lets the senders send while the run is sending, then waits on the selector no
 * longer than the next thing due, and hands each ready key to its client: a connection made
 * goes to the {@link Handshake}, room to write and input to the {@link ClientIo} (which passes
 * lines on to {@link Inbound}). At the end of each pass it publishes its progress.
 *
 * <p>Everything here runs on the loop's own thread ({@code bench-loop-N}), except
 * {@link #wakeup()} and the volatile progress counters; the coordinator reads the counts after
 * the thread has ended.
 */
final class EventLoop implements Runnable {
    /** Longest latency the histograms hold, in microseconds (one hour). */
    static final long MAX_LATENCY_MICROS = 3_600_000_000L;

    private final int id;
    private final RunControl control;
    private final Selector selector;
    private final ArrayDeque<BenchClient> toStart = new ArrayDeque<>();
    private final List<BenchClient> clients = new ArrayList<>();
    private final ClientIo io;
    private final Handshake handshake;
    private final Inbound inbound;
    private final SendPump pump;

    /** Progress for the coordinator: distinct deliveries, and deliveries owed for what was sent. */
    volatile long publishedUnique;
    volatile long publishedOwed;
    private boolean pumpSoon;
    private boolean settled;
    private Thread thread;

    EventLoop(int id, BenchConfig config, RunControl control) throws IOException {
        this.id = id;
        this.control = control;
        this.selector = Selector.open();
        this.io = new ClientIo(selector, control,
                config.tls() ? BenchTls.trustingAny() : null, config.websocket() ? config.websocketPath() : null);
        this.handshake = new Handshake(control, io);
        this.inbound = new Inbound(this, control, io, handshake, config.spread());
        this.pump = new SendPump(config, control, io);
    }

    void add(BenchClient c) {
        clients.add(c);
        toStart.add(c);
        if (c.sender != null) {
            c.sender.owner = this;
            pump.add(c);
        }
    }

    void knowSenders(BenchClient[] all) {
        inbound.knowSenders(all);
    }

    List<BenchClient> clients() {
        return clients;
    }

    int id() {
        return id;
    }

    Thread start() {
        thread = Thread.ofPlatform().name("bench-loop-" + id).start(this);
        return thread;
    }

    /** Any thread: ends the current or next wait on the selector. */
    void wakeup() {
        selector.wakeup();
    }

    /** Loop only: the senders may have room again, so the next pass sends without waiting. */
    void pumpSoon() {
        pumpSoon = true;
    }

    // ---- counts, read by the coordinator after the loop has ended ----

    Histogram latency() {
        return inbound.latency;
    }

    /** With several servers: latency of deliveries within one server, and across servers. */
    Histogram latencySameServer() {
        return inbound.latencySame;
    }

    Histogram latencyAcrossServers() {
        return inbound.latencyAcross;
    }

    Histogram handshakeTimes() {
        return handshake.times;
    }

    long measuredDeliveryBytes() {
        return inbound.measuredDeliveryBytes;
    }

    long measuredDeliveries() {
        return inbound.measuredDeliveries;
    }

    Map<String, Integer> setupFailures() {
        return io.setupFailures;
    }

    Map<String, Integer> disconnects() {
        return io.disconnects;
    }

    // ---- the loop ----

    @Override
    public void run() {
        try {
            loop();
        } catch (IOException | RuntimeException e) {
            for (BenchClient c : clients) {
                io.close(c, "load generator failed: " + e);
            }
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        } finally {
            for (BenchClient c : clients) {
                ClientIo.closeQuietly(c);
            }
            try {
                selector.close();
            } catch (IOException ignored) {
                // nothing left to do with it
            }
        }
    }

    private void loop() throws IOException {
        while (true) {
            Phase phase = control.phase;
            if (phase == Phase.CLOSE) {
                return;
            }
            if (phase == Phase.SETUP) {
                startConnects();
            } else if (!settled) {
                closeStragglers();
            }
            long timeoutMs = phase == Phase.SETUP ? (toStart.isEmpty() ? 50 : 5) : 50;
            if (phase == Phase.SENDING) {
                timeoutMs = Math.min(timeoutMs, pump.pump(System.nanoTime()));
            }
            if (pumpSoon) {
                timeoutMs = 0;
                pumpSoon = false;
            }
            if (timeoutMs <= 0) {
                selector.selectNow();
            } else {
                selector.select(timeoutMs);
            }
            Set<SelectionKey> keys = selector.selectedKeys();
            if (!keys.isEmpty()) {
                long now = System.nanoTime();
                Iterator<SelectionKey> it = keys.iterator();
                while (it.hasNext()) {
                    SelectionKey k = it.next();
                    it.remove();
                    handle((BenchClient) k.attachment(), k, now);
                }
            }
            publishedUnique = inbound.uniqueDeliveries;
            publishedOwed = pump.owed();
        }
    }

    private void startConnects() {
        while (!toStart.isEmpty() && control.tryTakeSlot()) {
            handshake.start(toStart.poll());
        }
    }

    private void closeStragglers() {
        settled = true;
        toStart.clear();
        for (BenchClient c : clients) {
            if (c.state != State.READY && c.state != State.CLOSED) {
                io.close(c, "not ready within --setup-timeout");
            }
        }
        for (BenchClient c : clients) {
            if (c.state == State.NEW) {
                io.close(c, "not started within --setup-timeout");
            }
        }
        control.loopsSettled.incrementAndGet();
    }

    private void handle(BenchClient c, SelectionKey k, long now) {
        if (c.state == State.CLOSED || !k.isValid()) {
            return;
        }
        try {
            if (k.isConnectable()) {
                if (io.finishConnect(c)) {
                    handshake.connected(c);
                }
                return;
            }
            if (k.isWritable() && io.flush(c) && c.sender != null) {
                pumpSoon = true;
            }
            if (k.isValid() && k.isReadable()) {
                io.read(c, now, inbound);
            }
        } catch (IOException e) {
            io.close(c, (c.state == State.CONNECTING ? "connect: " : "I/O error: ") + ClientIo.describe(e));
        }
    }
}
