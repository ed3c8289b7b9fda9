package dev.parley.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Arrays;

/**
 * One simulated IRC user: its socket and where it is in its life. Everything here is read
 * and written only by the {@link EventLoop} that owns the client (the coordinator reads it
 * after that loop has ended).
 */
final class BenchClient {
    enum State { NEW, CONNECTING, REGISTERING, JOINING, READY, CLOSED }

    final int index;
    final String nick;
    final int channel;
    final String channelName;
    final InetAddress source;
    /** Which of the run's servers this client connects to (its index in --servers). */
    final int serverIndex;
    final InetSocketAddress server;

    SocketChannel socket;
    SelectionKey key;
    /** Null for a plain connection. */
    BenchTls tls;
    /** Null unless the client speaks IRC over WebSocket. */
    BenchWs ws;
    State state = State.NEW;
    long startedNanos;
    /** True while registered, joined and connected. */
    boolean live;
    /** True once registered and joined, even if disconnected later. */
    boolean wasReady;
    /** The last {@code ERROR} line's text the server sent. */
    String lastError;

    /** An unfinished line from the previous read. */
    byte[] carry;
    int carryLen;
    /** Output the socket did not take yet. */
    byte[] pending;
    int pendingLen;

    /** Set for receivers in load modes. */
    SequenceTracker tracker;
    /** Set for senders. */
    Sender sender;

    BenchClient(int index, String nick, int channel, String channelName, InetAddress source, int serverIndex,
                InetSocketAddress server) {
        this.index = index;
        this.serverIndex = serverIndex;
        this.server = server;
        this.nick = nick;
        this.channel = channel;
        this.channelName = channelName;
        this.source = source;
    }

    void keep(byte[] data, int off, int len) {
        if (pending == null) {
            pending = new byte[Math.max(1024, len)];
        } else if (pendingLen + len > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLen + len));
        }
        System.arraycopy(data, off, pending, pendingLen, len);
        pendingLen += len;
    }

    void keepCarry(byte[] data, int off, int len) {
        if (carry == null || carry.length < len) {
            carry = new byte[Math.max(256, len)];
        }
        System.arraycopy(data, off, carry, 0, len);
        carryLen = len;
    }

    /** What one sending client knows about its own stream of messages. */
    static final class Sender {
        final int id;
        final byte[] head;
        /** The loop that owns this sender; set before the loops start. */
        EventLoop owner;
        /** Receivers of each message: the channel's other live members when sending began. */
        int receivers;
        /** Flood mode's closed loop; null in rate mode. */
        FloodWindow window;
        long nextSeq = 1;
        /** Messages handed to the socket (sequence numbers 1..sent). */
        long sent;
        /** Rate mode: when the next message is due, and the gap between messages. */
        long nextDueNanos;
        long intervalNanos;
        /** Rate mode: messages not sent because the socket had too much unsent output. */
        long skipped;

        Sender(int id, byte[] head) {
            this.id = id;
            this.head = head;
        }
    }
}
