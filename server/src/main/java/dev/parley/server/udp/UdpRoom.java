package dev.parley.server.udp;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.command.Doors;
import dev.parley.server.command.Messages;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.ConnectionGate;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door's participants and what their datagrams do: joining (nick, admission, JOIN),
 * talking ({@link Messages}), renaming, leaving, and the idle sweep — all through the hub's
 * typed API ({@link Hub#apply}, {@link Channel.View}); no IRC line is made or read.
 *
 * <p>Threading: the door thread only, except {@link #flushLater} and {@link #overflowed},
 * which a participant's outbox calls from any thread. The door thread is every participant's
 * reader, so one participant's datagrams take effect in the order they came.
 */
final class UdpRoom implements UdpParticipant.Owner {
    static final Logger LOG = LoggerFactory.getLogger("parley.udp");

    private final UdpDoor door;
    private final Hub hub;
    private final ConnectionGate gate;
    private final ServerConfig.Udp cfg;
    private final UdpLines lines;
    private final UdpJoin joining;
    private final AtomicInteger count = new AtomicInteger();
    /** Door thread only. */
    private final Map<InetSocketAddress, UdpParticipant> participants = new HashMap<>();

    UdpRoom(UdpDoor door, Hub hub, ConnectionGate gate, ServerConfig.Udp cfg) {
        this.door = door;
        this.hub = hub;
        this.gate = gate;
        this.cfg = cfg;
        this.lines = new UdpLines(cfg.channel(), hub.caseMapping());
        this.joining = new UdpJoin(this, hub, cfg.channel());
    }

    /** Participants in the room right now (any thread). */
    int count() {
        return count.get();
    }

    /** One datagram from {@code sender}, already read. */
    void handle(InetSocketAddress sender, UdpInput.Command cmd) {
        UdpParticipant p = participants.get(sender);
        if (p != null) {
            long now = hub.now();
            p.lastHeardMillis = now;
            p.client.touch(now); // every datagram is a sign of life, for the hub's ping timeout too
        }
        dispatch(sender, p, cmd);
        UdpParticipant after = participants.get(sender);
        if (after != null) {
            flush(after); // answers go out in the order the commands came, before any direct reply that follows
        }
    }

    private void dispatch(InetSocketAddress sender, UdpParticipant p, UdpInput.Command cmd) {
        switch (cmd) {
            case UdpInput.Invalid bad -> door.send(sender, "! " + bad.error());
            case UdpInput.Empty empty -> {
            }
            case UdpInput.Hello hello -> {
                if (p == null && door.cookie().isValid(sender, hello.token(), hub.now())) {
                    join(sender, hello.nick());
                } else if (p == null) {
                    challenge(sender, hello.nick());
                } else {
                    say(p, cfg.channel(), hello.text()); // "hello everyone" from someone here
                }
            }
            case UdpInput.Nick n -> {
                if (p == null) {
                    challenge(sender, n.nick());
                } else {
                    joining.rename(p, n.nick());
                }
            }
            case UdpInput.Quit q -> {
                if (p != null) {
                    p.client.quit(q.reason().isEmpty() ? "Client Quit" : "Quit: " + q.reason());
                }
            }
            case UdpInput.Help help -> {
                for (String line : UdpInput.HELP) {
                    door.send(sender, line);
                }
            }
            case UdpInput.Ping ping -> door.send(sender, p == null ? notJoined() : "pong");
            case UdpInput.Say s -> inRoom(sender, p, () -> say(p, cfg.channel(), s.text()));
            case UdpInput.Me me -> inRoom(sender, p, () -> say(p, cfg.channel(), "\u0001ACTION " + me.text() + "\u0001"));
            case UdpInput.Msg msg -> inRoom(sender, p, () -> say(p, msg.target(), msg.text()));
            case UdpInput.Names names -> inRoom(sender, p, () -> joining.names(p));
            case UdpInput.Topic topic -> inRoom(sender, p, () -> joining.topic(p));
        }
    }

    private void inRoom(InetSocketAddress sender, UdpParticipant p, Runnable action) {
        if (p == null) {
            door.send(sender, notJoined());
        } else {
            action.run();
        }
    }

    private static String notJoined() {
        return "! send \"hello <nick>\" first";
    }

    /**
     * A sender not in the room asked to join as {@code nick}: it gets one short line with its
     * token ({@code ! say: hello alice <token>}, or {@code ! token <token>} when that is all
     * the anti-amplification budget allows) and must echo it to join.
     */
    private void challenge(InetSocketAddress sender, String nick) {
        int nickLength = hub.config().nickLength();
        if (!Names.isValidNick(nick, nickLength)) {
            String why = invalidNick(nick, nickLength);
            boolean fits = door.budget().remaining(sender) >= why.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            door.send(sender, fits ? why : "! nick is not valid: " + nick);
            return;
        }
        String token = door.cookie().token(sender, hub.now());
        String full = "! say: hello " + nick + " " + token;
        if (door.budget().remaining(sender) >= full.getBytes(java.nio.charset.StandardCharsets.UTF_8).length) {
            door.send(sender, full);
        } else {
            door.send(sender, "! token " + token);
        }
    }

    private static String invalidNick(String nick, int nickLength) {
        return "! nick is not valid: " + nick + " (letters, digits and []\\`_^{|}-, at most " + nickLength + ")";
    }

    /** A PRIVMSG from {@code p} to {@code target}, through the same operation IRC users' PRIVMSG uses. */
    private void say(UdpParticipant p, String target, String text) {
        int at = target.indexOf('@');
        if (Doors.isServiceNick(at < 0 ? target : target.substring(0, at))) {
            // a UDP source address can be forged: no account operation may rest on it
            reply(p, "! " + target + " is not available over UDP (UDP senders can be forged); use an IRC client for accounts");
            return;
        }
        Client c = p.client;
        c.markMessageSent();
        Messages.Result r = Messages.send(c, target, text, Messages.Kind.PRIVMSG, Map.of());
        switch (r.status()) {
            case SENT -> {
                // an away recipient's message means nothing to a UDP user
            }
            case NO_SUCH_TARGET -> reply(p, "! " + r.target() + ": No such nick/channel");
            case CANNOT_SEND -> reply(p, "! " + r.target() + ": " + r.detail());
        }
    }

    private void join(InetSocketAddress sender, String nick) {
        if (door.isRefusingJoins()) {
            door.send(sender, "! the server is shutting down");
            return;
        }
        int nickLength = hub.config().nickLength();
        if (!Names.isValidNick(nick, nickLength)) {
            door.send(sender, invalidNick(nick, nickLength));
            return;
        }
        if (participants.size() >= cfg.maxParticipants()) {
            door.send(sender, "! the room is full (" + cfg.maxParticipants() + " UDP participants)");
            return;
        }
        int suffix = joining.firstFreeSuffix(nick);
        if (suffix < 0) {
            door.send(sender, noFreeNick(nick));
            return;
        }
        ConnectionGate.Refusal refusal = gate.tryEnter(sender.getAddress()); // the server's connection limits
        if (refusal != null) {
            door.send(sender, "! " + refusal.reason());
            return;
        }
        door.budget().prove(sender); // it echoed its token: it receives at this address
        UdpParticipant p = new UdpParticipant(this, sender, queueCapacity(), hub.now());
        p.client = hub.connect(p, sender.getAddress(), false);
        participants.put(sender, p);
        count.incrementAndGet();
        joining.join(p, nick, suffix);
    }

    static String noFreeNick(String nick) {
        return "! no free nick like " + nick + "; try another";
    }

    /** Deliveries a participant may have waiting: about as many lines as a session's SendQ holds. */
    private int queueCapacity() {
        return Math.max(256, hub.config().sendQBytes() / 64);
    }

    /** Sends {@code line} to {@code p} after everything the hub queued for it before. Door thread. */
    void reply(UdpParticipant p, String line) {
        flush(p);
        if (p.state != UdpParticipant.State.GONE) {
            door.send(p.sender(), line);
        }
    }

    /** Lines to {@code p} at once (the door's own answers); they follow what the hub queued first. */
    void reply(UdpParticipant p, List<String> out) {
        flush(p);
        for (String line : out) {
            door.send(p.sender(), line);
        }
    }

    /** Turns what the hub queued for {@code p} into datagrams, in order. Door thread. */
    void flush(UdpParticipant p) {
        p.flushStarted();
        Object next;
        while ((next = p.poll()) != null) {
            if (p.state == UdpParticipant.State.GONE) {
                continue; // told "-- bye" already: what the hub sends while letting go of it is not news
            }
            switch (next) {
                case IrcMessage m -> {
                    if (m.command().equals("PING")) {
                        p.client.touch(hub.now()); // the door answers for its participants; its idle timeout judges them
                        continue;
                    }
                    for (String line : lines.translate(p, m)) {
                        door.send(p.sender(), line);
                    }
                }
                case UdpParticipant.Closed closed -> {
                    p.state = UdpParticipant.State.GONE;
                    door.send(p.sender(), UdpLines.bye(closed.reason()));
                }
                default -> throw new IllegalStateException("unexpected delivery " + next);
            }
        }
        if (p.state == UdpParticipant.State.GONE) {
            forget(p);
        }
    }

    /** Any thread: {@code p} has output waiting. */
    @Override
    public void flushLater(UdpParticipant p) {
        door.execute(() -> {
            try {
                flush(p);
            } catch (RuntimeException e) {
                LOG.error("UDP output for {} failed", p.sender(), e);
                forget(p);
            }
        });
    }

    /** Any thread: {@code p}'s queue is full; like a full SendQ, it costs that participant its place. */
    @Override
    public void overflowed(UdpParticipant p) {
        hub.defer(() -> p.client.close("SendQ exceeded", true, true));
    }

    /** Takes {@code p} out of the room (if its client is still there) and forgets its address. Door thread. */
    void forget(UdpParticipant p) {
        if (participants.remove(p.sender(), p)) {
            count.decrementAndGet();
            gate.leave(p.sender().getAddress());
            door.budget().forget(p.sender());
        }
        p.state = UdpParticipant.State.GONE;
        if (!p.client.isClosing()) {
            p.client.close("Left " + cfg.channel(), true, true);
        }
    }

    /** Asks those silent for longer than the idle timeout to leave. Door thread. */
    void removeIdle() {
        long now = hub.now();
        long idle = cfg.idleTimeout().toMillis();
        for (UdpParticipant p : new ArrayList<>(participants.values())) {
            if (now - p.lastHeardMillis > idle && !p.client.isClosing()) {
                p.client.quit("Idle timeout: " + (now - p.lastHeardMillis) / 1000 + " seconds");
            }
        }
    }

    /** Runs blocking work on a virtual thread ({@code parley-udp-work}); the work hands its result back to the door thread itself. */
    void offload(Runnable work) {
        Thread.ofVirtual().name("parley-udp-work").start(work);
    }

    UdpDoor door() {
        return door;
    }
}
