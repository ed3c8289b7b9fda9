package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;

/**
 * The chat loop: one thread (the one that calls {@link #run}) takes events from a queue — lines
 * from the server, lines the user typed, connection outcomes — and is the only thread that
 * changes the session's state, writes to the socket and shows output. Reconnects with
 * backoff when a registered connection drops, and rejoins the channels it was in.
 */
final class ChatClient {
    private final ChatSettings settings;
    private final Ui ui;
    private final Clock clock;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final ChatState state;
    private final Registration registration;
    private final ServerMessages incoming;
    private final Connector connector;
    private final Backoff backoff;
    private final Keepalive keepalive;
    private final List<String> held = new ArrayList<>();
    private final Set<String> rejoin = new LinkedHashSet<>();
    private Link link;
    private long linkId;
    private boolean registered;
    private boolean everRegistered;
    private boolean inputEnded;
    private boolean quitting;
    private long quitDeadline;
    private long reconnectAt;
    private boolean reconnectPending;
    private boolean done;
    private int exitCode;

    ChatClient(ChatSettings settings, Ui ui, Clock clock, RandomGenerator random) {
        this.settings = settings;
        this.ui = ui;
        this.clock = clock;
        this.state = new ChatState(settings.nick());
        this.registration = new Registration(this);
        this.incoming = new ServerMessages(this);
        this.connector = new Connector(settings.endpoint(), settings.tls(), settings.connectTimeout());
        this.backoff = new Backoff(settings.reconnectDelay(), settings.reconnectMax(), settings.reconnects(), random);
        this.keepalive = new Keepalive(settings.pingInterval());
        this.rejoin.addAll(settings.joins());
    }

    /** Posts an event for the loop; safe from any thread. */
    void post(Event e) {
        events.add(e);
    }

    /** Runs the session until the user quits or the connection is lost for good; returns the exit code. */
    int run() throws InterruptedException {
        ui.prompt(state, false);
        connect();
        ui.startInput(this::post);
        while (!done) {
            Long deadline = nextDeadline();
            Event e = deadline == null ? events.take()
                    : events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                timers();
            } else {
                handle(e);
            }
        }
        if (link != null) {
            link.close();
        }
        return exitCode;
    }

    private void handle(Event e) {
        switch (e) {
            case Event.Connected c -> connected(c);
            case Event.ConnectFailed f -> {
                if (f.id() == linkId && !done) {
                    show(Shown.error(now(), "cannot connect to " + settings.endpoint() + ": " + f.reason()));
                    lost();
                }
            }
            case Event.Received r -> {
                if (link != null && r.link() == link.id()) {
                    keepalive.heard(System.nanoTime());
                    incoming.handle(r.message());
                }
            }
            case Event.Closed c -> {
                if (link != null && c.link() == link.id()) {
                    closed(c.reason());
                }
            }
            case Event.Typed t -> {
                try {
                    typed(t.line());
                } finally {
                    t.done().run();
                }
            }
            case Event.InputEnded ended -> inputEnded();
            case Event.Udp udp -> {
                // only the UDP loop opens a datagram channel
            }
        }
    }

    private void connected(Event.Connected c) {
        if (c.id() != linkId || done) {
            c.link().close();
            return;
        }
        link = c.link();
        keepalive.heard(System.nanoTime());
        link.start(this::post);
        show(Shown.status(now(), "connected to " + settings.endpoint() + (settings.tls() != null ? " (TLS)" : "")));
        if (settings.tls() != null && settings.tls().trust() instanceof TlsSettings.ServerTrust.AnyCertificate) {
            String fp = link.serverFingerprint();
            show(Shown.error(now(), "WARNING: --tls-insecure: the server's certificate was not checked, so anyone"
                    + " between you and the server can read and change this connection; its SHA-256 fingerprint is "
                    + fp + " (--tls-fingerprint " + fp + " accepts that certificate only)"));
        }
        registration.begin();
    }

    private void closed(String reason) {
        link = null;
        registered = false;
        rejoin.addAll(state.disconnected());
        ui.prompt(state, false);
        if (quitting) {
            finish(0);
            return;
        }
        show(Shown.status(now(), "disconnected: " + reason));
        lost();
    }

    /** A connection attempt failed or a connection ended: retry with backoff, or give up. */
    private void lost() {
        if (!everRegistered || inputEnded) {
            finish(1);
        } else if (!backoff.hasNext()) {
            show(Shown.error(now(), "giving up after " + backoff.attempts() + " reconnect attempts"));
            finish(1);
        } else {
            Duration wait = backoff.next();
            reconnectAt = System.nanoTime() + wait.toNanos();
            reconnectPending = true;
            show(Shown.status(now(), String.format(Locale.ROOT, "reconnecting in %.1f s (attempt %d of %d)",
                    wait.toMillis() / 1000.0, backoff.attempts(), backoff.maxAttempts())));
        }
    }

    private void connect() {
        linkId++;
        show(Shown.status(now(), "connecting to " + settings.endpoint() + (settings.tls() != null ? " with TLS" : "")));
        connector.open(linkId, this::post);
    }

    /** The next {@link System#nanoTime} at which a timer is due, or null for none. */
    private Long nextDeadline() {
        if (quitting) {
            return quitDeadline;
        }
        return link != null ? Long.valueOf(keepalive.deadline()) : reconnectPending ? Long.valueOf(reconnectAt) : null;
    }

    private void timers() {
        long now = System.nanoTime();
        if (quitting) {
            finish(0);
        } else if (link != null && now - keepalive.deadline() >= 0) {
            if (keepalive.due() == Keepalive.Due.PING) {
                send(IrcMessage.of("PING", "parley-keepalive"));
            } else {
                Link dead = link;
                closed(String.format(Locale.ROOT, "no reply from the server for %.1f s", keepalive.silence().toMillis() / 1000.0));
                dead.close();
            }
        } else if (link == null && reconnectPending && now - reconnectAt >= 0) {
            reconnectPending = false;
            connect();
        }
    }

    private void typed(String line) {
        Input in = Input.parse(line);
        if (in == null || quitting || done) {
            return;
        }
        boolean early = held.isEmpty() && in instanceof Input.Command cmd && (cmd.name().equals("quit")
                || cmd.name().equals("nick") || cmd.name().equals("help") || cmd.name().equals("query"));
        if (registered || early) {
            UserCommands.handle(this, in);
        } else if (link == null && everRegistered) {
            show(Shown.error(now(), "not connected; not sent: " + line));
        } else {
            held.add(line);
        }
    }

    private void inputEnded() {
        inputEnded = true;
        if (registered || (link == null && everRegistered)) {
            quit(null); // else once registered, after the lines typed meanwhile
        }
    }

    /** Called by {@link Registration} on the welcome: join, send what was typed meanwhile. */
    void registered() {
        registered = true;
        everRegistered = true;
        backoff.reset();
        if (!rejoin.isEmpty()) {
            if (state.target() == null) {
                state.target(rejoin.iterator().next()); // lines typed meanwhile go there
            }
            send(IrcMessage.of("JOIN", String.join(",", rejoin)));
            rejoin.clear();
        }
        ui.prompt(state, true);
        List<String> lines = List.copyOf(held);
        held.clear();
        lines.forEach(this::typed);
        if (inputEnded) {
            quit(null);
        }
    }

    /** Sends QUIT and waits (up to the quit timeout) for the server to close the connection. */
    void quit(String reason) {
        if (quitting || done) {
            return;
        }
        if (link == null) {
            finish(0);
            return;
        }
        quitting = true;
        quitDeadline = System.nanoTime() + settings.quitTimeout().toNanos();
        send(reason == null || reason.isEmpty() ? IrcMessage.of("QUIT") : IrcMessage.of("QUIT", reason));
    }

    private void finish(int code) {
        done = true;
        exitCode = code;
    }

    void send(IrcMessage m) {
        if (link != null) {
            link.send(m);
        }
    }

    void show(Shown s) {
        ui.show(s, state);
    }

    void promptChanged() {
        ui.prompt(state, link != null);
    }

    Instant now() {
        return clock.instant();
    }

    boolean isRegistered() {
        return registered;
    }

    ChatState state() {
        return state;
    }

    ChatSettings settings() {
        return settings;
    }

    ServerMessages incoming() {
        return incoming;
    }

    Registration registration() {
        return registration;
    }
}
