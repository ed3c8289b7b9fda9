package dev.parley.server.udp;

import dev.parley.protocol.Names;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The UDP door: people with nothing but a datagram socket chat in one channel of the hub.
 * Each UDP sender (address and port) becomes a {@link Client} of the hub whose outbox is the
 * door, so IRC users see it as an ordinary user (JOIN, PRIVMSG, QUIT) and it receives what
 * the channel says. The door speaks to the hub only through its typed API: no IRC line is
 * made, parsed or formatted for a UDP participant.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@code parley-udp-receive} ({@link UdpReceiver}) blocks in {@code receive}, applies
 *       each source address's rate limit and hands accepted datagrams to the door thread.</li>
 *   <li>{@code parley-udp-door} owns every participant ({@link UdpRoom}): it runs their
 *       datagrams (it is each participant's reader, so their commands run in order), turns
 *       what the hub queued for them into datagrams, and removes the idle.</li>
 * </ul>
 * {@link #send} may be called from either; the datagram channel serialises writers.
 */
public final class UdpDoor implements AutoCloseable {
    private final ServerConfig.Udp cfg;
    private final DatagramChannel channel;
    private final InetSocketAddress address;
    private final ScheduledExecutorService door;
    private final UdpRoom room;
    private final UdpBudget budget = new UdpBudget();
    private final UdpCookie cookie = new UdpCookie();
    private final UdpReceiver receiving;
    private final Thread receiver;
    private volatile boolean open = true;
    /** Set when the server shuts down: newcomers are told so instead of joining. */
    private volatile boolean refusingJoins;

    private UdpDoor(Sessions sessions, ServerConfig.Udp cfg, DatagramChannel channel) throws IOException {
        Hub hub = sessions.hub();
        this.cfg = cfg;
        this.channel = channel;
        this.address = (InetSocketAddress) channel.getLocalAddress();
        // a gate of the door's own: UDP participants never take places from IRC connections
        this.room = new UdpRoom(this, hub, new ConnectionGate(hub), cfg);
        this.door = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "parley-udp-door");
            t.setDaemon(true);
            return t;
        });
        long sweep = Math.max(20, Math.min(1000, cfg.idleTimeout().toMillis() / 4));
        door.scheduleWithFixedDelay(this::removeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
        this.receiving = new UdpReceiver(this, channel, cfg);
        this.receiver = Thread.ofPlatform().name("parley-udp-receive").daemon().unstarted(receiving);
        receiver.start();
    }

    /**
     * Opens the door on {@code host} and the configured port into {@code sessions}' hub. Its
     * participants pass a connection gate of the door's own (the same limits, counted apart
     * from IRC connections).
     */
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
        UdpRoom.LOG.info("UDP door open on {}:{} into {}", host, d.address.getPort(), cfg.channel());
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
        return room.count();
    }

    /** Datagrams received in all, and dropped (rate limit or full queue). */
    public long datagramsReceived() {
        return receiving.received.sum();
    }

    public long datagramsDropped() {
        return receiving.dropped.sum();
    }

    /** The server is shutting down: from now on a newcomer is told so and does not join. */
    public void refuseJoins() {
        refusingJoins = true;
    }

    boolean isRefusingJoins() {
        return refusingJoins;
    }

    boolean isOpen() {
        return open;
    }

    /** One accepted datagram, on the door thread. */
    void handle(InetSocketAddress sender, byte[] data) {
        try {
            int len = Math.min(data.length, cfg.maxDatagram());
            room.handle(sender, UdpInput.read(ByteBuffer.wrap(data, 0, len), data.length, cfg.maxDatagram()));
        } catch (RuntimeException e) {
            UdpRoom.LOG.error("UDP datagram from {} failed", sender, e);
            send(sender, "! internal error");
        }
    }

    private void removeIdle() {
        try {
            room.removeIdle();
        } catch (RuntimeException e) {
            UdpRoom.LOG.error("UDP idle sweep failed", e);
        }
    }

    /** Runs {@code task} on the door thread; false once the door is closed. Any thread. */
    boolean execute(Runnable task) {
        try {
            door.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // the door is closed: nothing is left to deliver to
        }
    }

    UdpBudget budget() {
        return budget;
    }

    UdpCookie cookie() {
        return cookie;
    }

    /**
     * Sends one line as one datagram, unless {@code to} has not proved its address and the
     * line does not fit in what it may be sent ({@link UdpBudget}). Any thread (the channel
     * serialises writers).
     */
    void send(InetSocketAddress to, String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        if (!budget.trySend(to, bytes.length)) {
            return; // more than three times what this unproven source sent: not sent
        }
        try {
            channel.send(ByteBuffer.wrap(bytes), to);
        } catch (IOException e) {
            UdpRoom.LOG.debug("UDP send to {} failed: {}", to, e.getMessage());
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
            UdpRoom.LOG.debug("closing the UDP door: {}", e.getMessage());
        }
        try {
            receiver.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        UdpRoom.LOG.info("UDP door closed ({} datagrams received, {} dropped)", datagramsReceived(), datagramsDropped());
    }
}
