package dev.parley.server.udp;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.core.Outbox;
import dev.parley.server.core.Outgoing;
import java.net.InetSocketAddress;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One UDP sender in the room: its address, its {@link Client} in the hub, and that client's
 * {@link Outbox}. What the hub sends it arrives typed ({@link IrcMessage}s, never bytes) on
 * any thread and waits in a bounded queue, in order, until the door thread turns it into
 * datagrams ({@link UdpRoom#flush}); a full queue drops the participant ({@code SendQ exceeded}).
 *
 * <p>Threading: the {@link Outbox} methods run on any thread and never block; everything else
 * (state, nick, the translation) belongs to the door thread, which is this client's reader.
 */
final class UdpParticipant implements Outbox {
    /** Where a participant stands. */
    enum State { IN, GONE }

    /** The client is gone: say goodbye with {@code reason} (and drop what waits first, with {@code discard}). */
    record Closed(String reason, boolean discard) {
    }

    /** Who is told when output waits or the queue is full (the room, on the door thread's behalf). Any thread. */
    interface Owner {
        /** Output is waiting: flush {@code p} on the door thread soon. */
        void flushLater(UdpParticipant p);

        /** {@code p}'s queue is full (told once). */
        void overflowed(UdpParticipant p);
    }

    /** Suffixes tried for a taken nick before the joiner is told there is none. */
    static final int MAX_SUFFIX = 1000;

    private final Owner owner;
    private final InetSocketAddress sender;
    private final int capacity;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private volatile boolean closed;
    /** Set by {@link #closed} with {@code discard}: the door thread drops what is queued before the goodbye. */
    private volatile boolean discarding;

    /** The hub's client; set once by the door thread right after the participant is made. */
    Client client;
    /** Door thread only. */
    State state = State.IN;
    /** The nick as this participant's deliveries so far know it (door thread only). */
    String nick;
    long lastHeardMillis;

    UdpParticipant(Owner owner, InetSocketAddress sender, int capacity, long now) {
        this.owner = owner;
        this.sender = sender;
        this.capacity = capacity;
        this.lastHeardMillis = now;
    }

    InetSocketAddress sender() {
        return sender;
    }

    /** The nick to try after {@code wanted}: {@code wanted_1}, {@code wanted_2} … within {@code maxLength}; null when none fits. */
    static String candidateNick(String wanted, int suffix, int maxLength) {
        if (suffix == 0) {
            return wanted;
        }
        String tail = "_" + suffix;
        if (tail.length() >= maxLength) {
            return null; // no room left for a suffix
        }
        String base = wanted.length() + tail.length() > maxLength ? wanted.substring(0, maxLength - tail.length()) : wanted;
        return base + tail;
    }

    // ---- Outbox: any thread ----

    @Override
    public void deliver(Outgoing message) {
        // tags mean nothing to a UDP participant; a multiline message arrives as its lines
        for (IrcMessage line : message.plainMessages()) {
            offer(line);
        }
    }

    @Override
    public void send(IrcMessage message) {
        offer(message);
    }

    /**
     * Never needed: formatted lines are only sent to clients that negotiated capabilities
     * (batch, labeled-response), and a UDP participant negotiates none. Such a line is dropped.
     */
    @Override
    public void sendBytes(byte[] line) {
        UdpRoom.LOG.debug("formatted line for UDP participant {} dropped", sender);
    }

    @Override
    public void closed(String reason, boolean discardQueued) {
        closed = true;
        if (discardQueued) {
            discarding = true;
        }
        queue.add(new Closed(reason, discardQueued)); // past the bound: the goodbye always goes in
        queued.incrementAndGet();
        scheduleFlush();
    }

    private void offer(IrcMessage m) {
        if (closed) {
            return;
        }
        if (queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            if (overflowed.compareAndSet(false, true)) {
                owner.overflowed(this);
            }
            return;
        }
        queue.add(m);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (flushScheduled.compareAndSet(false, true)) {
            owner.flushLater(this);
        }
    }

    // ---- door thread ----

    /**
     * The next waiting item ({@link IrcMessage} or {@link Closed}), or null; while a discarding
     * close is pending, what came before its {@link Closed} is skipped.
     */
    Object poll() {
        while (true) {
            Object next = queue.poll();
            if (next == null) {
                return null;
            }
            queued.decrementAndGet();
            if (!discarding || next instanceof Closed) {
                return next;
            }
        }
    }

    /** Called by the door thread as it starts a flush: what is queued from now on schedules another. */
    void flushStarted() {
        flushScheduled.set(false);
    }
}
