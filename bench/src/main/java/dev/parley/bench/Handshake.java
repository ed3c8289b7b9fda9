package dev.parley.bench;

import dev.parley.bench.BenchClient.State;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import java.nio.charset.StandardCharsets;
import org.HdrHistogram.Histogram;

/**
 * A client's way from nothing to ready: connect, register ({@code NICK}/{@code USER} until
 * {@code 001}), join its channel (until the {@code 366} end of names). The client holds one of
 * the run's handshake slots from the start of its connect until it is ready (or closed, see
 * {@link ClientIo#close}). Lines read before the client is ready are parsed in full here; a
 * refusal closes the client with the numeric as its reason. Records how long each handshake
 * took.
 *
 * <p>Runs on the event loop's thread; the coordinator reads the handshake times after the loop
 * has ended.
 */
final class Handshake {
    private final RunControl control;
    private final ClientIo io;

    /** Connect to end of join, in microseconds, per client that became ready. */
    final Histogram times = new Histogram(EventLoop.MAX_LATENCY_MICROS, 3);

    Handshake(RunControl control, ClientIo io) {
        this.control = control;
        this.io = io;
    }

    /** Starts connecting a client that holds a handshake slot. */
    void start(BenchClient c) {
        c.startedNanos = System.nanoTime();
        c.state = State.CONNECTING;
        if (io.connect(c)) {
            connected(c);
        }
    }

    /** The connection is made: registration begins. */
    void connected(BenchClient c) {
        c.state = State.REGISTERING;
        io.startReading(c);
        io.send(c, Wire.registration(c.nick));
    }

    private void becameReady(BenchClient c) {
        c.state = State.READY;
        c.live = true;
        c.wasReady = true;
        times.recordValue(Math.min(EventLoop.MAX_LATENCY_MICROS, (System.nanoTime() - c.startedNanos) / 1000));
        control.ready.incrementAndGet();
        control.releaseSlot();
    }

    /** One line from the server to a client that is not ready yet; lines that do not parse are ignored. */
    void line(BenchClient c, byte[] a, int from, int to) {
        String text = new String(a, from, to - from, StandardCharsets.UTF_8);
        IrcMessage m;
        try {
            m = IrcParser.parseLine(text);
        } catch (IrcParseException e) {
            return;
        }
        setupLine(c, m);
    }

    /** A line while registering or joining. */
    private void setupLine(BenchClient c, IrcMessage m) {
        switch (m.command()) {
            case "PING" -> io.send(c, Wire.ascii("PONG :" + (m.last() == null ? "" : m.last()) + "\r\n"));
            case "ERROR" -> c.lastError = ClientIo.errorText(m.last() == null ? "" : m.last());
            case "001" -> {
                if (c.state == State.REGISTERING) {
                    c.state = State.JOINING;
                    io.send(c, Wire.join(c.channelName));
                }
            }
            case "366" -> {
                if (c.state == State.JOINING && c.channelName.equalsIgnoreCase(m.param(1))) {
                    becameReady(c);
                }
            }
            case "403", "405", "471", "473", "474", "475", "476", "477", "437", "489" -> {
                if (c.state == State.JOINING) {
                    io.close(c, "JOIN refused: " + m.command() + " " + m.last());
                }
            }
            case "432", "433", "436", "451", "461", "462", "464", "465" -> {
                if (c.state == State.REGISTERING) {
                    io.close(c, "registration refused: " + m.command() + " " + m.last());
                }
            }
            default -> {
                // notices, welcome burst, names: nothing to do
            }
        }
    }
}
