package dev.parley.server.udp;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Names;
import dev.parley.server.core.Client;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Sessions;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.session.TokenBucket;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP door: people with nothing but a datagram socket chat in one channel of the hub.
 * Each UDP sender (address and port) becomes a {@link Client} of the hub, so IRC users see it
 * as an ordinary user (JOIN, PRIVMSG, QUIT) and it receives what the channel says.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@code parley-udp-receive} blocks in {@code receive}, applies each source address's
 *       rate limit and hands accepted datagrams to the door thread; it holds only the rate
 *       buckets.</li>
 *   <li>{@code parley-udp-door} owns every participant: it reads their datagrams (it is each
 *       participant's reader, so their commands run in order), drains their SendQs into
 *       datagrams, and removes the idle.</li>
 * </ul>
 * Nothing a sender does reaches the door thread faster than its rate allows, and the queue of
 * datagrams waiting for the door thread is bounded, so a flood costs the flooder its own
 * datagrams and nobody else's.
 */
public final class UdpDoor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.udp");
    /** Datagrams accepted but not yet handled, at most; more are dropped as a full socket buffer would. */
    static final int MAX_PENDING = 4096;
    /** Rate buckets kept before idle ones are forgotten. */
    private static final int MAX_TRACKED_ADDRESSES = 65_536;
    private static final long SLOW_DOWN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Hub hub;
    private final Sessions sessions;
    private final ServerConfig.Udp cfg;
    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final ScheduledExecutorService door;
    private final Thread receiver;
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicInteger participantCount = new AtomicInteger();
    private final LongAdder received = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private volatile boolean open = true;
    /** Set when the server shuts down: newcomers are told so instead of joining. */
    private volatile boolean refusingJoins;

    /** Door thread only. */
    private final Map<InetSocketAddress, UdpParticipant> participants = new HashMap<>();
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64 * 1024);
    /** Receiver thread only. */
    private final Map<InetAddress, RateBucket> buckets = new HashMap<>();

    private UdpDoor(Sessions sessions, ServerConfig.Udp cfg, DatagramChannel channel) throws IOException {
        this.sessions = sessions;
        this.hub = sessions.hub();
        this.cfg = cfg;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        this.door = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-udp-door");
            t.setDaemon(true);
            return t;
        });
        long sweep = Math.max(20, Math.min(1000, cfg.idleTimeout().toMillis() / 4));
        door.scheduleWithFixedDelay(this::removeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        this.receiver = Thread.ofPlatform().name("parley-udp-receive").daemon().unstarted(this::receiveLoop);
        receiver.start();
    }

    /** Opens the door on {@code host} and the configured port. */
    public static UdpDoor open(Sessions sessions, String host, ServerConfig.Udp cfg) throws IOException {
        Hub hub = sessions.hub();
        if (!Names.isValidChannel(cfg.channel(), hub.config().channelLength())) {
            throw new IllegalArgumentException("UDP channel " + cfg.channel() + " is longer than the channel length ("
                    + hub.config().channelLength() + ")");
        }
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, 2 << 20);
            ch.bind(new InetSocketAddress(host, cfg.port()));
        } catch (IOException e) {
            ch.close();
            BindException failed = new BindException("cannot open the UDP door on " + host + " port " + cfg.port()
                    + ": " + e.getMessage());
            failed.initCause(e);
            throw failed;
        }
        UdpDoor d = new UdpDoor(sessions, cfg, ch);
        LOG.info("UDP door open on {}:{} into {}", host, d.address.getPort(), cfg.channel());
        return d;
    }

    public InetSocketAddress address() {
        return address;
    }

    public int port() {
        return address.getPort();
    }

    /** UDP participants in the room right now. */
    public int participantCount() {
        return participantCount.get();
    }

    /** Datagrams received in all, and dropped (rate limit or full queue). */
    public long datagramsReceived() {
        return received.sum();
    }

    public long datagramsDropped() {
        return dropped.sum();
    }

    // ---- receiver thread ----

    private void receiveLoop() {
        ByteBuffer buf = ByteBuffer.allocate(cfg.maxDatagram() + 1);
        while (open) {
            SocketAddress from;
            buf.clear();
            try {
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (open) {
                    LOG.warn("UDP receive failed: {}", e.getMessage());
                }
                continue;
            }
            if (!(from instanceof InetSocketAddress sender)) {
                continue;
            }
            received.increment();
            buf.flip();
            int n = buf.remaining();
            if (!admit(sender)) {
                dropped.increment();
                continue;
            }
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                dropped.increment();
                continue;
            }
            byte[] copy = new byte[n];
            buf.get(copy);
            try {
                door.execute(() -> {
                    pending.decrementAndGet();
                    handle(sender, copy);
                });
            } catch (RejectedExecutionException e) {
                return; // closing
            }
        }
    }

    /** The source address's rate limit; tells a flooder to slow down at most once a second. Receiver only. */
    private boolean admit(InetSocketAddress sender) {
        long now = System.nanoTime();
        if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
            buckets.values().removeIf(b -> b.tokens.isFull(now));
            if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
                buckets.clear();
            }
        }
        RateBucket b = buckets.computeIfAbsent(sender.getAddress(), a -> new RateBucket(cfg.rate(), cfg.burst(), now));
        if (b.tokens.tryTake(now)) {
            return true;
        }
        if (now - b.warnedAtNanos > SLOW_DOWN_EVERY_NANOS) {
            b.warnedAtNanos = now;
            send(sender, "! slow down: too many datagrams (at most " + cfg.rate() + " a second)");
        }
        return false;
    }

    // ---- door thread ----

    private void handle(InetSocketAddress sender, byte[] data) {
        try {
            int len = Math.min(data.length, cfg.maxDatagram());
            UdpInput.Command cmd = UdpInput.read(ByteBuffer.wrap(data, 0, len), data.length, cfg.maxDatagram());
            UdpParticipant p = participants.get(sender);
            if (p != null) {
                p.lastHeardMillis = hub.config().clock().millis();
            }
            dispatch(sender, p, cmd);
            UdpParticipant after = participants.get(sender);
            if (after != null) {
                flush(after); // answers go out in the order the commands came, before any direct reply that follows
            }
        } catch (RuntimeException e) {
            LOG.error("UDP datagram from {} failed", sender, e);
            send(sender, "! internal error");
        }
    }

    private void dispatch(InetSocketAddress sender, UdpParticipant p, UdpInput.Command cmd) {
        String room = cfg.channel();
        switch (cmd) {
            case UdpInput.Invalid bad -> send(sender, "! " + bad.error());
            case UdpInput.Empty empty -> {
            }
            case UdpInput.Hello hello -> {
                if (p == null) {
                    join(sender, hello.nick());
                } else {
                    feed(p, "PRIVMSG " + room + " :" + hello.text()); // "hello everyone" from someone here
                }
            }
            case UdpInput.Nick n -> {
                if (p == null) {
                    join(sender, n.nick());
                } else {
                    feed(p, "NICK " + n.nick());
                }
            }
            case UdpInput.Quit q -> {
                if (p != null) {
                    feed(p, q.reason().isEmpty() ? "QUIT" : "QUIT :" + q.reason());
                }
            }
            case UdpInput.Help help -> {
                for (String line : UdpInput.HELP) {
                    send(sender, line);
                }
            }
            case UdpInput.Ping ping -> send(sender, p == null ? notJoined() : "pong");
            case UdpInput.Say say -> inRoom(sender, p, "PRIVMSG " + room + " :" + say.text());
            case UdpInput.Me me -> inRoom(sender, p, "PRIVMSG " + room + " :\u0001ACTION " + me.text() + "\u0001");
            case UdpInput.Msg msg -> inRoom(sender, p, "PRIVMSG " + msg.target() + " :" + msg.text());
            case UdpInput.Names names -> inRoom(sender, p, "NAMES " + room);
            case UdpInput.Topic topic -> inRoom(sender, p, "TOPIC " + room);
        }
    }

    private void inRoom(InetSocketAddress sender, UdpParticipant p, String ircLine) {
        if (p == null) {
            send(sender, notJoined());
        } else {
            feed(p, ircLine);
        }
    }

    private static String notJoined() {
        return "! send \"hello <nick>\" first";
    }

    /** The server is shutting down: from now on a newcomer is told so and does not join. */
    public void refuseJoins() {
        refusingJoins = true;
    }

    private void join(InetSocketAddress sender, String nick) {
        if (refusingJoins) {
            send(sender, "! the server is shutting down");
            return;
        }
        int nickLength = hub.config().nickLength();
        if (!Names.isValidNick(nick, nickLength)) {
            send(sender, "! nick is not valid: " + nick + " (letters, digits and []\\`_^{|}-, at most "
                    + nickLength + ")");
            return;
        }
        if (participants.size() >= cfg.maxParticipants()) {
            send(sender, "! the room is full (" + cfg.maxParticipants() + " UDP participants)");
            return;
        }
        UdpParticipant p = new UdpParticipant(this, sender, cfg.channel(), hub.caseMapping(), hub.config().clock().millis());
        p.wantedNick = nick;
        while (p.suffix <= UdpParticipant.MAX_SUFFIX && p.candidateNick(nickLength) != null
                && hub.findNick(p.candidateNick(nickLength)) != null) {
            p.suffix++;
        }
        if (p.suffix > UdpParticipant.MAX_SUFFIX || p.candidateNick(nickLength) == null) {
            send(sender, "! no free nick like " + nick + "; try another");
            return;
        }
        ConnectionGate.Refusal refusal = sessions.gate().tryEnter(sender.getAddress()); // the server's connection limits
        if (refusal != null) {
            send(sender, "! " + refusal.reason());
            return;
        }
        p.session = sessions.open(p, () -> flushLater(p));
        p.client = p.session.client();
        participants.put(sender, p);
        participantCount.incrementAndGet();
        feed(p, "NICK " + p.candidateNick(nickLength));
        feed(p, "USER udp 0 * :UDP " + sender.getAddress().getHostAddress() + " port " + sender.getPort());
        feed(p, "JOIN " + cfg.channel());
    }

    /** Hands one IRC line to the participant's client, as its reader. Door thread. */
    private static void feed(UdpParticipant p, String line) {
        byte[] bytes = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
        p.session.onBytes(bytes, 0, bytes.length);
    }

    private void flushLater(UdpParticipant p) {
        execute(() -> flushOrForget(p));
    }

    /** A flush whose failure is logged and costs only that participant its place. Door thread. */
    private void flushOrForget(UdpParticipant p) {
        try {
            flush(p);
        } catch (RuntimeException e) {
            LOG.error("UDP output for {} failed", p.sender(), e);
            forget(p);
        }
    }

    /** Turns what the hub queued for {@code p} into datagrams. Door thread. */
    private void flush(UdpParticipant p) {
        Client c = p.client;
        int suffixBefore = p.suffix;
        while (true) {
            drainBuffer.clear();
            if (p.session.sendQ().drainTo(drainBuffer) == 0) {
                break;
            }
            drainBuffer.flip();
            p.output.feed(drainBuffer, frame -> {
                if (frame instanceof LineDecoder.Frame.Line line) {
                    onLine(p, line.text());
                }
            });
        }
        if (p.state == UdpParticipant.State.GONE) {
            forget(p);
        } else if (p.state == UdpParticipant.State.JOINING && p.suffix != suffixBefore && !c.isRegistered()) {
            // someone took the nick between the check and the NICK: try the next one
            String next = p.candidateNick(hub.config().nickLength());
            if (next == null) {
                send(p.sender(), "! no free nick like " + p.wantedNick + "; try another");
                forget(p);
                return;
            }
            feed(p, "NICK " + next);
            feed(p, "JOIN " + cfg.channel());
        }
    }

    private void onLine(UdpParticipant p, String line) {
        if (p.state == UdpParticipant.State.GONE) {
            return; // told "-- bye" already: what the hub sends while letting go of it (its ERROR) is not news
        }
        IrcMessage m;
        try {
            m = IrcParser.parseLine(line);
        } catch (IrcParseException e) {
            return;
        }
        if (m.command().equals("PING")) {
            feed(p, "PONG :" + m.last());
            return;
        }
        if (p.state == UdpParticipant.State.JOINING && m.command().equals(dev.parley.protocol.Numerics.ERR_NOTREGISTERED)) {
            return; // a JOIN that raced a taken nick; it is sent again
        }
        for (String out : p.translate(m)) {
            send(p.sender(), out);
        }
    }

    /** Takes {@code p} out of the room (if its client is still there) and forgets its address. Door thread. */
    private void forget(UdpParticipant p) {
        if (participants.remove(p.sender(), p)) {
            participantCount.decrementAndGet();
            sessions.gate().leave(p.sender().getAddress());
        }
        p.state = UdpParticipant.State.GONE;
        if (!p.client.isClosing()) {
            p.client.close("Left " + cfg.channel(), true, true);
        }
    }

    /** Called by a participant's transport when its connection is dropped (any thread). */
    void forgetLater(UdpParticipant p) {
        execute(() -> {
            flushOrForget(p);
            forget(p);
        });
    }

    /** Runs blocking work on a virtual thread and its continuation back on the door thread. */
    void offload(Runnable work, Runnable then) {
        Thread.ofVirtual().name("parley-udp-work").start(() -> {
            try {
                work.run();
            } finally {
                execute(then);
            }
        });
    }

    /** Runs {@code task} on the door thread after {@code delayMillis}. */
    void schedule(Runnable task, long delayMillis) {
        try {
            door.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // the door is closed
        }
    }

    private void removeIdle() {
        try {
            long now = hub.config().clock().millis();
            long idle = cfg.idleTimeout().toMillis();
            for (UdpParticipant p : new ArrayList<>(participants.values())) {
                if (p.client.isClosing() && p.session.sendQ().isFinished()) {
                    forget(p); // its goodbye is out: never keep the place of one that is gone
                } else if (now - p.lastHeardMillis > idle && !p.client.isClosing()) {
                    p.client.quit("Idle timeout: " + (now - p.lastHeardMillis) / 1000 + " seconds");
                }
            }
        } catch (RuntimeException e) {
            LOG.error("UDP idle sweep failed", e);
        }
    }

    private void execute(Runnable task) {
        try {
            door.execute(task);
        } catch (RejectedExecutionException e) {
            // the door is closed: nothing is left to deliver to
        }
    }

    /** Sends one line as one datagram. Any thread (the channel serialises writers). */
    private void send(InetSocketAddress to, String line) {
        try {
            channel.send(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)), to);
        } catch (IOException e) {
            LOG.debug("UDP send to {} failed: {}", to, e.getMessage());
        }
    }

    /** Stops receiving, lets queued output go out, and closes the socket. */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        door.shutdown();
        try {
            if (!door.awaitTermination(2, TimeUnit.SECONDS)) {
                door.shutdownNow();
            }
        } catch (InterruptedException e) {
            door.shutdownNow();
            Thread.currentThread().interrupt();
        }
        open = false;
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing the UDP door: {}", e.getMessage());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("UDP door closed ({} datagrams received, {} dropped)", received.sum(), dropped.sum());
    }

    /** One source address's token bucket and when it was last told to slow down. Receiver thread only. */
    private static final class RateBucket {
        final TokenBucket tokens;
        long warnedAtNanos = Long.MIN_VALUE / 2;

        RateBucket(int rate, int burst, long now) {
            tokens = new TokenBucket(rate, burst, now);
        }
    }
}
