package dev.parley.chat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The chat loop of UDP mode: one thread (the one that calls {@link #run}) takes events from a
 * queue — datagrams from the server, lines the user typed — and is the only thread that
 * changes the session's state, sends datagrams and shows output. It says {@code hello <nick>},
 * answers the door's token with {@code hello <nick> <token>} (the door lets in only a sender
 * that proves it receives at its address), holds typed lines until the server's first reply, pings when it has sent nothing for the
 * ping interval, and ends at {@code -- bye}. There is no reconnecting: the door forgets a
 * sender that leaves.
 */
final class UdpClient {
    private final UdpSettings settings;
    private final Ui ui;
    private final Clock clock;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ChatState state;
    private final List<String> held = new ArrayList<>();
    private UdpLink link;
    private boolean answered;
    private boolean tokenSent;
    private boolean inputEnded;
    private boolean quitting;
    private boolean done;
    private long answerDeadline;
    private long quitDeadline;
    private long lastSent;
    private int keepalivePongs;
    private int exitCode;

    UdpClient(UdpSettings settings, Ui ui, Clock clock) {
        this.settings = settings;
        this.ui = ui;
        this.clock = clock;
        this.state = new ChatState(settings.nick());
    }

    /** Posts an event for the loop; safe from any thread. */
    void post(Event e) {
        events.add(e);
    }

    /** Runs the session until {@code -- bye}, the quit timeout or a failure; returns the exit code. */
    int run() throws InterruptedException {
        ui.prompt(state, false);
        try {
            link = UdpLink.open(settings.endpoint());
        } catch (UnknownHostException e) {
            show(Shown.error(now(), "unknown host " + settings.endpoint().host()));
            return 1;
        } catch (IOException e) {
            show(Shown.error(now(), "cannot open UDP to " + settings.endpoint() + ": " + e.getMessage()));
            return 1;
        }
        try {
            link.start(this::post);
            show(Shown.status(now(), "saying hello to " + settings.endpoint() + " over UDP as " + settings.nick()));
            answerDeadline = System.nanoTime() + settings.answerTimeout().toNanos();
            send("hello " + settings.nick());
            ui.startInput(this::post);
            while (!done) {
                long wait = nextDeadline() - System.nanoTime();
                Event e = events.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
                if (e == null) {
                    timers();
                } else {
                    handle(e);
                }
            }
        } finally {
            link.close();
        }
        return exitCode;
    }

    private void handle(Event e) {
        switch (e) {
            case Event.Datagram d -> received(Clean.text(d.line()));
            case Event.Unreachable u -> unreachable();
            case Event.DatagramFailed f -> fail("cannot receive from " + settings.endpoint() + ": " + f.reason());
            case Event.Typed t -> {
                try {
                    typed(t.line());
                } finally {
                    t.done().run();
                }
            }
            case Event.InputEnded ended -> inputEnded();
            default -> {
                // the IRC connection events are not posted in UDP mode
            }
        }
    }

    private void received(String line) {
        if (done) {
            return;
        }
        if (line.equals("pong") && keepalivePongs > 0) {
            keepalivePongs--;
            return;
        }
        String token = answered || tokenSent ? null : UdpLines.token(line);
        if (token != null) {
            tokenSent = true; // the door's return-address check: echo the token to join
            send("hello " + settings.nick() + " " + token);
            return;
        }
        track(line);
        show(UdpLines.shown(now(), line));
        if (UdpLines.isBye(line)) {
            finish(quitting ? 0 : 1);
        } else if (!answered && line.startsWith("! ")) {
            show(Shown.error(now(), "the server did not let " + settings.nick() + " in"));
            finish(1);
        } else if (!answered) {
            answered();
        }
    }

    /** Follows the own nick and the room, for the prompt and for showing the own nick in bold. */
    private void track(String line) {
        UdpLines.Joined joined = UdpLines.joined(line);
        if (joined != null) {
            state.nick(joined.nick());
            state.joined(joined.room());
            state.target(joined.room());
            ui.prompt(state, true);
            return;
        }
        String nick = UdpLines.ownNick(line);
        if (nick != null) {
            state.nick(nick);
        }
    }

    /** The first reply came: the lines typed meanwhile go out in order. */
    private void answered() {
        answered = true;
        ui.prompt(state, true);
        List<String> lines = List.copyOf(held);
        held.clear();
        lines.forEach(this::deliver);
        if (inputEnded) {
            quit("quit");
        }
    }

    private void typed(String line) {
        if (quitting || done) {
            return;
        }
        String datagram = UdpInput.datagram(line);
        if (datagram == null) {
            return;
        }
        int bytes = datagram.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > settings.maxDatagram()) {
            show(Shown.error(now(), "not sent: the line is " + bytes + " bytes in UTF-8, more than the "
                    + settings.maxDatagram() + " of --udp-max-datagram"));
            return;
        }
        if (answered || (held.isEmpty() && UdpInput.isQuit(datagram))) {
            deliver(datagram);
        } else {
            held.add(datagram);
        }
    }

    private void deliver(String datagram) {
        if (UdpInput.isQuit(datagram)) {
            quit(datagram);
        } else if (!quitting && !done) {
            send(datagram);
            String echo = UdpInput.echo(datagram, state.nick());
            if (echo != null) {
                show(UdpLines.shown(now(), echo));
            }
        }
    }

    private void inputEnded() {
        inputEnded = true;
        if (answered) {
            quit("quit"); // else once the server answers, after the lines typed meanwhile
        }
    }

    /** Sends the quit datagram and waits (up to the quit timeout) for {@code -- bye}. */
    private void quit(String datagram) {
        if (quitting || done) {
            return;
        }
        quitting = true;
        quitDeadline = System.nanoTime() + settings.quitTimeout().toNanos();
        send(datagram);
    }

    private long nextDeadline() {
        if (quitting) {
            return quitDeadline;
        }
        return answered ? lastSent + settings.pingInterval().toNanos() : answerDeadline;
    }

    private void timers() {
        if (System.nanoTime() - nextDeadline() < 0) {
            return;
        }
        if (quitting) {
            finish(0);
        } else if (!answered) {
            fail("no answer from " + settings.endpoint() + " over UDP within " + seconds(settings.answerTimeout()) + " s");
        } else {
            keepalivePongs++;
            send("ping");
        }
    }

    private void send(String datagram) {
        try {
            link.send(datagram);
            lastSent = System.nanoTime();
        } catch (PortUnreachableException e) {
            unreachable();
        } catch (IOException e) {
            fail("cannot send to " + settings.endpoint() + ": " + e.getMessage());
        }
    }

    private void unreachable() {
        if (quitting) {
            finish(0); // gone after we said quit: nothing is lost
        } else {
            fail("nothing listens on UDP " + settings.endpoint());
        }
    }

    private void fail(String reason) {
        if (!done) {
            show(Shown.error(now(), reason));
            finish(1);
        }
    }

    private void finish(int code) {
        if (!done) {
            done = true;
            exitCode = code;
        }
    }

    private void show(Shown s) {
        ui.show(s, state);
    }

    private Instant now() {
        return clock.instant();
    }

    /** {@code 10}, {@code 0.5}: a duration in seconds without trailing zeros. */
    static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }
}
