package dev.parley.bench;

import dev.parley.bench.BenchClient.Sender;
import dev.parley.bench.BenchClient.State;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;

/**
 * Every line the clients of one event loop read, and the delivery accounting. A ready
 * client's lines take a fast path with no allocation for messages: a bench message is checked
 * against its receiver's {@link SequenceTracker}, counted, timed inside the measured window
 * and acknowledged to its sender's {@link FloodWindow}; {@code PING} is answered and
 * {@code ERROR} kept as the reason for the close that follows. A client still in setup has its
 * lines handed to the {@link Handshake}.
 *
 * <p>Runs on the event loop's thread. A completed flood window may belong to a sender of
 * another loop, which is then woken; the coordinator reads the counts after the loop has
 * ended.
 */
final class Inbound {
    private final EventLoop loop;
    private final RunControl control;
    private final ClientIo io;
    private final Handshake handshake;
    /** Every sender of the run, by sender id, to reach their windows from here. */
    private BenchClient[] allSenders = new BenchClient[0];
    private final long[] parsed = new long[3];

    final Histogram latency = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);
    /** With several servers only: the same latencies, split by whether sender and receiver share a server. */
    final Histogram latencySame;
    final Histogram latencyAcross;
    long measuredDeliveries;
    /** Bytes of the deliveries counted in {@link #measuredDeliveries}, CRLF included. */
    long measuredDeliveryBytes;
    long totalDeliveries;
    long uniqueDeliveries;
    long duplicateDeliveries;
    long foreignLines;
    long pingsAnswered;

    Inbound(EventLoop loop, RunControl control, ClientIo io, Handshake handshake, boolean spread) {
        this.loop = loop;
        this.latencySame = spread ? new Histogram(EventLoop.MAX_LATENCY_MICROS, 3) : null;
        this.latencyAcross = spread ? new Histogram(EventLoop.MAX_LATENCY_MICROS, 3) : null;
        this.control = control;
        this.io = io;
        this.handshake = handshake;
    }

    void knowSenders(BenchClient[] all) {
        this.allSenders = all;
    }

    /** One line from the server. The fast path takes no allocation for messages and PING. */
    void line(BenchClient c, byte[] a, int from, int to, long now) {
        if (c.state == State.READY) {
            int cmd = Wire.commandStart(a, from, to);
            if (cmd < 0) {
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.PRIVMSG)) {
                if (Wire.parseMessage(a, cmd, to, parsed)) {
                    delivery(c, (int) parsed[0], parsed[1], parsed[2], now, to - from + 2);
                } else {
                    foreignLines++;
                }
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.PING)) {
                pong(c, a, cmd + Wire.PING.length, to);
                return;
            }
            if (Wire.startsWith(a, cmd, to, Wire.ERROR)) {
                c.lastError = ClientIo.errorText(new String(a, cmd + Wire.ERROR.length, to - cmd - Wire.ERROR.length,
                        StandardCharsets.UTF_8));
            }
            return;
        }
        handshake.line(c, a, from, to);
    }

    private void pong(BenchClient c, byte[] a, int from, int to) {
        byte[] line = new byte[5 + (to - from) + 2];
        System.arraycopy(Wire.ascii("PONG "), 0, line, 0, 5);
        System.arraycopy(a, from, line, 5, to - from);
        line[line.length - 2] = '\r';
        line[line.length - 1] = '\n';
        io.send(c, line);
        pingsAnswered++;
    }

    private void delivery(BenchClient c, int sender, long seq, long sentMicros, long now, int lineBytes) {
        totalDeliveries++;
        if (c.tracker == null || sender < 0 || sender >= allSenders.length) {
            foreignLines++;
            return;
        }
        SequenceTracker.Outcome o = c.tracker.record(sender, seq);
        if (!o.isFirstReceipt()) {
            duplicateDeliveries++;
            return;
        }
        uniqueDeliveries++;
        if (now >= control.measureStartNanos && now < control.measureEndNanos) {
            measuredDeliveries++;
            measuredDeliveryBytes += lineBytes;
            long lat = Math.max(0, Math.min(EventLoop.MAX_LATENCY_MICROS, control.micros(now) - sentMicros));
            latency.recordValue(lat);
            if (latencySame != null) {
                (allSenders[sender].serverIndex == c.serverIndex ? latencySame : latencyAcross).recordValue(lat);
            }
        }
        Sender s = allSenders[sender].sender;
        if (s.window != null && s.window.delivered(seq)) {
            EventLoop owner = s.owner;
            if (owner == loop) {
                loop.pumpSoon();
            } else {
                owner.wakeup();
            }
        }
    }
}
