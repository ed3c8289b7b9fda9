package dev.parley.bench;

import dev.parley.bench.BenchClient.Sender;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends the numbered messages of one event loop's senders, many per write, built in one
 * buffer the loop reuses. In flood mode a sender sends while its {@link FloodWindow} has room
 * and its socket took everything so far; in rate mode each message goes out when due, and one
 * due while the socket holds too much unsent output is skipped and counted. Counts the
 * deliveries owed for what was sent (one per receiver of each message).
 *
 * <p>Runs on the event loop's thread, only while the run is sending.
 */
final class SendPump {
    /** Rate mode: a sender with more unsent output than this skips messages instead of queueing. */
    private static final int MAX_PENDING = 256 * 1024;

    private final RunControl control;
    private final ClientIo io;
    private final List<BenchClient> senders = new ArrayList<>();
    private final ByteBuffer writeBuf = ByteBuffer.allocate(64 * 1024);
    private final byte[] filler;
    private long owed;

    SendPump(BenchConfig config, RunControl control, ClientIo io) {
        this.control = control;
        this.io = io;
        this.filler = Wire.ascii("x".repeat(config.payloadBytes()));
    }

    void add(BenchClient c) {
        senders.add(c);
    }

    /** Deliveries owed for every message sent so far. */
    long owed() {
        return owed;
    }

    /** Sends what the senders of this loop may send now; returns how long the loop may sleep (ms). */
    long pump(long now) {
        long sleep = 50;
        for (BenchClient c : senders) {
            if (!c.live) {
                continue;
            }
            Sender s = c.sender;
            if (s.window != null) {
                pumpFlood(c, s, now);
            } else {
                sleep = Math.min(sleep, pumpRate(c, s, now));
            }
        }
        return sleep;
    }

    private void pumpFlood(BenchClient c, Sender s, long now) {
        if (c.pendingLen > 0) {
            return; // the socket is full: wait for it to take what it has
        }
        writeBuf.clear();
        byte[] out = writeBuf.array();
        int at = 0;
        int max = Wire.maxMessageLength(s.head, filler);
        long micros = control.micros(now);
        while (at + max <= out.length && s.window.tryAcquire(s.nextSeq, now)) {
            at = Wire.writeMessage(out, at, s.head, s.id, s.nextSeq, micros, filler);
            s.sent = s.nextSeq++;
            owed += s.receivers;
        }
        if (at > 0) {
            io.send(c, out, 0, at);
        }
    }

    private long pumpRate(BenchClient c, Sender s, long now) {
        writeBuf.clear();
        byte[] out = writeBuf.array();
        int at = 0;
        int max = Wire.maxMessageLength(s.head, filler);
        while (s.nextDueNanos <= now && at + max <= out.length) {
            if (c.pendingLen > MAX_PENDING) {
                s.skipped++;
            } else {
                at = Wire.writeMessage(out, at, s.head, s.id, s.nextSeq, control.micros(s.nextDueNanos), filler);
                s.sent = s.nextSeq++;
                owed += s.receivers;
            }
            s.nextDueNanos += s.intervalNanos;
        }
        if (at > 0) {
            io.send(c, out, 0, at);
        }
        long wait = s.nextDueNanos - System.nanoTime();
        return wait <= 0 ? 0 : Math.max(1, wait / 1_000_000);
    }
}
