package dev.parley.scan;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.List;
import java.util.Locale;

/**
 * Non-blocking connects on one {@link Selector}. Each attempt is a non-blocking
 * {@link SocketChannel}; nearby hosts (loopback above all) usually answer within the connect
 * call itself, so the outcome is checked once straight away and only a pending connection is
 * registered for {@code OP_CONNECT} (an open port is registered for {@code OP_READ} when its
 * banner is wanted). Runs entirely on its lane's thread.
 *
 * <p>Closing a registered channel only finishes at the selector's next selection, so the
 * descriptor lingers until then. Before opening a socket this connector lets the selector
 * finish such closes, so the sockets it holds never exceed the attempts in flight; that is what
 * keeps the scan within its file-descriptor budget.
 *
 * <p>Open connections are closed with {@code SO_LINGER 0} (a reset), so scanning a host's many
 * open ports leaves no {@code TIME_WAIT} sockets behind on this machine.
 */
final class NioConnector implements Connector {
    enum Kind { CONNECTED, SELF, REFUSED, UNREACHABLE, NO_ANSWER, LOCAL, DATA }

    /** An outcome waiting to be reported; valid while its attempt still holds {@code handle}. */
    private record Outcome(Kind kind, Attempt attempt, Object handle, IOException cause, byte[] data,
                           boolean end) {
    }

    private final Selector selector;
    private final ArrayDeque<Outcome> ready = new ArrayDeque<>();
    /** Connected sockets not (yet) registered with the selector. */
    private final Set<SocketChannel> unregistered = Collections.newSetFromMap(new IdentityHashMap<>());
    private final ByteBuffer readBuffer = ByteBuffer.allocate(Banner.MAX_BYTES);
    private int open;
    private int closing;
    private int peak;

    NioConnector() throws IOException {
        this.selector = Selector.open();
    }

    @Override
    public boolean connect(Attempt a) {
        if (closing > 0) {
            finishCloses();
        }
        SocketChannel ch;
        try {
            ch = SocketChannel.open(a.target.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        } catch (UnsupportedOperationException e) {
            failWithoutSocket(a, Kind.UNREACHABLE, new IOException(e.getMessage(), e));
            return true;
        } catch (IOException e) {
            failWithoutSocket(a, Kind.LOCAL, e);
            return true;
        }
        open++;
        peak = Math.max(peak, open);
        try {
            ch.configureBlocking(false);
            // checking once before registering saves the selector round trip when the answer is already in
            if (ch.connect(a.target) || ch.finishConnect()) {
                a.handle = ch;
                unregistered.add(ch);
                ready.add(new Outcome(connectedKind(ch, a), a, ch, null, null, false));
                return true;
            }
            a.handle = ch.register(selector, SelectionKey.OP_CONNECT, a);
            return false;
        } catch (IOException e) {
            closeQuietly(ch);
            open--;
            failWithoutSocket(a, classify(e), e);
            return true;
        }
    }

    private void failWithoutSocket(Attempt a, Kind kind, IOException cause) {
        Outcome o = new Outcome(kind, a, new Object(), cause, null, false);
        a.handle = o.handle();
        ready.add(o);
    }

    @Override
    public void awaitData(Attempt a) {
        if (a.handle instanceof SelectionKey key && key.isValid()) {
            key.interestOps(SelectionKey.OP_READ);
        } else if (a.handle instanceof SocketChannel ch) {
            unregistered.remove(ch);
            try {
                a.handle = ch.register(selector, SelectionKey.OP_READ, a);
            } catch (IOException e) {
                closeQuietly(ch);
                open--;
                a.handle = null;
                ready.add(new Outcome(Kind.DATA, a, null, null, new byte[0], true));
            }
        } else {
            // the connection is gone already (reset after the handshake): nothing to read
            ready.add(new Outcome(Kind.DATA, a, a.handle, null, new byte[0], true));
        }
    }

    @Override
    public void close(Attempt a) {
        Object h = a.handle;
        a.handle = null;
        if (h instanceof SelectionKey key) {
            SocketChannel ch = (SocketChannel) key.channel();
            if (ch.isConnected()) {
                try {
                    ch.setOption(StandardSocketOptions.SO_LINGER, 0);
                } catch (IOException e) {
                    // closing anyway
                }
            }
            key.cancel();
            closeQuietly(ch);
            closing++;
        } else if (h instanceof SocketChannel ch) {
            unregistered.remove(ch);
            try {
                ch.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException e) {
                // closing anyway
            }
            closeQuietly(ch);
            open--;
        }
    }

    /** Lets the selector finish closing cancelled channels (and notes anything that became ready). */
    private void finishCloses() {
        try {
            selector.selectNow(this::selected);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        open -= closing;
        closing = 0;
    }

    @Override
    public void poll(long maxWaitNanos, Events events) throws IOException {
        if (!ready.isEmpty() || maxWaitNanos <= 0) {
            selector.selectNow(this::selected);
        } else {
            long millis = Math.max(1, (maxWaitNanos + 999_999) / 1_000_000);
            selector.select(this::selected, millis);
        }
        open -= closing;
        closing = 0;
        Outcome o;
        while ((o = ready.pollFirst()) != null) {
            Attempt a = o.attempt();
            if (a.handle != o.handle()) {
                continue;
            }
            switch (o.kind()) {
                case CONNECTED -> events.connected(a);
                case SELF -> events.selfConnected(a);
                case REFUSED -> events.refused(a);
                case UNREACHABLE -> events.unreachable(a);
                case NO_ANSWER -> events.noAnswer(a);
                case LOCAL -> events.localFailure(a, o.cause());
                case DATA -> events.data(a, o.data(), o.data().length, o.end());
            }
        }
    }

    /** Called by the selector for each ready key: turns readiness into an outcome. */
    private void selected(SelectionKey key) {
        Attempt a = (Attempt) key.attachment();
        SocketChannel ch = (SocketChannel) key.channel();
        int ops = key.readyOps();
        if ((ops & SelectionKey.OP_CONNECT) != 0) {
            try {
                if (ch.finishConnect()) {
                    key.interestOps(0);
                    ready.add(new Outcome(connectedKind(ch, a), a, key, null, null, false));
                }
            } catch (IOException e) {
                // a failed finishConnect has closed the channel (and so cancelled the key)
                ready.add(new Outcome(classify(e), a, key, e, null, false));
            }
        } else if ((ops & SelectionKey.OP_READ) != 0) {
            readBuffer.clear();
            int n;
            try {
                n = ch.read(readBuffer);
            } catch (IOException e) {
                n = -1;
            }
            if (n == 0) {
                return;
            }
            byte[] data = new byte[Math.max(0, n)];
            readBuffer.flip();
            readBuffer.get(data);
            if (n < 0 && key.isValid()) {
                key.interestOps(0);
            }
            ready.add(new Outcome(Kind.DATA, a, key, null, data, n < 0));
        }
    }

    /** A completed connection, unless it is a socket connected to itself (same address, same port). */
    static Kind connectedKind(SocketChannel ch, Attempt a) {
        try {
            if (ch.getLocalAddress() instanceof InetSocketAddress local && local.getPort() == a.target.getPort()
                    && local.getAddress().equals(a.target.getAddress())) {
                return Kind.SELF;
            }
        } catch (IOException e) {
            // no local address to compare: take the connection at its word
        }
        return Kind.CONNECTED;
    }

    /**
     * Sorts a failed connect: refused means closed, reset (after the handshake) open; local
     * shortages are retried; the rest is unreachable.
     */
    private static Kind classify(IOException e) {
        String msg = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
        if (e instanceof ConnectException) {
            return msg.contains("timed out") ? Kind.NO_ANSWER : Kind.REFUSED;
        }
        if (e instanceof NoRouteToHostException) {
            return Kind.UNREACHABLE;
        }
        if (e instanceof BindException) {
            return msg.contains("permission") ? Kind.UNREACHABLE : Kind.LOCAL;
        }
        if (msg.contains("reset")) {
            // a reset answering the SYN is a refusal (ConnectException, above); a reset seen
            // while connecting came after the handshake completed: the service accepted and
            // hung up at once before this loop looked. The port is open.
            return Kind.CONNECTED;
        }
        if (msg.contains("too many open files") || msg.contains("no buffer space")
                || msg.contains("cannot allocate memory") || msg.contains("cannot assign requested address")) {
            return Kind.LOCAL;
        }
        return Kind.UNREACHABLE;
    }

    @Override
    public int openSockets() {
        return open;
    }

    /** Most sockets held open at once. */
    int peakOpenSockets() {
        return peak;
    }

    @Override
    public void close() throws IOException {
        List<SelectionKey> keys = new ArrayList<>(selector.keys());
        for (SelectionKey key : keys) {
            closeQuietly((SocketChannel) key.channel());
        }
        for (SocketChannel ch : unregistered) {
            closeQuietly(ch);
        }
        unregistered.clear();
        selector.close();
        open = 0;
        closing = 0;
        ready.clear();
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // nothing more to do for a socket we are dropping
        }
    }
}
