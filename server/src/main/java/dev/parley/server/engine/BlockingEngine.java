package dev.parley.server.engine;

import dev.parley.server.config.AddressSet;
import dev.parley.server.config.TlsSource;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blocking engines: a listener thread accepts, and each connection gets a reader and a
 * writer thread from a {@link Thread.Builder}. With platform threads this is the classic
 * thread-per-client server ({@code threads}); with virtual threads the same code holds tens of
 * thousands of clients cheaply ({@code virtual}), and a writer runs only while there is output
 * (see {@link BlockingConnection}).
 *
 * <p>Connections are bounded by the {@link dev.parley.server.session.ConnectionGate}: each accepted
 * socket enters it (in all and per address) and leaves when it closes; a newcomer past a limit
 * is told so and closed.
 */
public final class BlockingEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    private final String name;
    private final Sessions sessions;
    private final Thread.Builder connectionThreads;
    /** Makes writers on demand; null when each connection keeps one writer for life. */
    private final java.util.concurrent.ThreadFactory onDemandWriters;
    private final Set<BlockingConnection> connections = ConcurrentHashMap.newKeySet();
    /** The listening sockets and their accept threads. */
    private final java.util.List<Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    private record Listener(ServerSocket socket, Thread acceptThread) {
    }

    private BlockingEngine(String name, Sessions sessions, Thread.Builder connectionThreads,
            java.util.concurrent.ThreadFactory onDemandWriters) {
        this.name = name;
        this.sessions = sessions;
        this.connectionThreads = connectionThreads;
        this.onDemandWriters = onDemandWriters;
    }

    /** A platform thread per connection reader and writer. */
    public static BlockingEngine platformThreads(Sessions sessions) {
        return new BlockingEngine("threads", sessions, Thread.ofPlatform().daemon(true).stackSize(256 * 1024), null);
    }

    /** A virtual thread per connection reader, and one per writer while there is output. */
    public static BlockingEngine virtualThreads(Sessions sessions) {
        return new BlockingEngine("virtual", sessions, Thread.ofVirtual(), Thread.ofVirtual().factory());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public synchronized InetSocketAddress listen(InetSocketAddress address, TlsSource tls, boolean proxy) throws IOException {
        ServerSocket ss = new ServerSocket();
        try {
            ss.setReuseAddress(true);
            ss.bind(address, 1024);
        } catch (IOException e) {
            ss.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) ss.getLocalSocketAddress();
        Thread t = Thread.ofPlatform().name("parley-accept-" + bound.getPort()).daemon(true).unstarted(() -> acceptLoop(ss, tls, proxy));
        listeners.add(new Listener(ss, t));
        t.start();
        return bound;
    }

    /** Runs on the listener thread until the server socket closes. */
    private void acceptLoop(ServerSocket ss, TlsSource tls, boolean proxy) {
        while (!ss.isClosed()) {
            Socket s;
            try {
                s = ss.accept();
            } catch (IOException e) {
                if (!ss.isClosed()) {
                    LOG.warn("accept failed: {}", e.getMessage());
                }
                continue;
            }
            if (!proxy) {
                admit(s, s.getInetAddress(), tls);
            } else if (!AddressSet.parse(sessions.hub().config().proxyFrom()).contains(s.getInetAddress())) {
                LOG.info("closed a connection from {}: not an address of --proxy-from", s.getInetAddress().getHostAddress());
                closeQuietly(s);
            } else {
                Thread.ofVirtual().name("parley-proxy-header").start(() -> readProxyHeader(s, tls));
            }
        }
    }

    /**
     * Runs on a virtual thread of its own: reads the PROXY header byte by byte (nothing after it),
     * within the registration timeout, then admits the connection under the client's address.
     */
    private void readProxyHeader(Socket s, TlsSource tls) {
        InetAddress from;
        try {
            s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, sessions.hub().config().registrationTimeout().toMillis()));
            InputStream in = s.getInputStream();
            byte[] header = new byte[ProxyHeader.MAX_V2];
            int n = 0;
            int more;
            while ((more = ProxyHeader.more(header, n)) > 0) {
                int r = in.read(header, n, more);
                if (r < 0) {
                    throw new IOException("closed before the PROXY header ended");
                }
                n += r;
            }
            InetAddress source = ProxyHeader.source(header, n);
            from = source != null ? source : s.getInetAddress();
            s.setSoTimeout(0);
        } catch (IOException | ProxyHeader.Malformed e) {
            LOG.info("closed a connection from {}: {}", s.getInetAddress().getHostAddress(), e.getMessage());
            closeQuietly(s);
            return;
        }
        admit(s, from, tls);
    }

    /** Enters {@code from} in the connection gate and starts the connection, or refuses it. */
    private void admit(Socket s, InetAddress from, TlsSource tls) {
        ConnectionGate.Refusal refusal = sessions.gate().tryEnter(from);
        if (refusal != null) {
            if (tls != null) {
                TlsRefusal.refuse(s, tls.current(), refusal.line());
            } else {
                refuse(s, refusal.line());
            }
            return;
        }
        BlockingConnection conn = null;
        try {
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            conn = new BlockingConnection(this, s, from, tls == null ? null : tls.current(),
                    sessions.hub().config().registrationTimeout());
            connections.add(conn);
            conn.start(sessions, connectionThreads, onDemandWriters);
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not set up connection from {}: {}", s.getRemoteSocketAddress(), e.toString());
            closeQuietly(s);
            if (conn == null || connections.remove(conn)) { // else closed() has let it go already
                sessions.gate().leave(from);
            }
        }
    }

    private static void refuse(Socket s, byte[] refusal) {
        try (s; OutputStream out = s.getOutputStream()) {
            s.setSoTimeout(1000);
            out.write(refusal);
        } catch (IOException ignored) {
            // the newcomer is gone already
        }
    }

    /** Called exactly once per connection, when its socket closes. */
    void closed(BlockingConnection conn) {
        if (connections.remove(conn)) {
            sessions.gate().leave(conn.gateAddress());
        }
    }

    /**
     * Closes the server socket and waits for the listener thread to leave {@code accept}: the
     * kernel keeps a socket that a thread is blocked on, so only then is the port released.
     */
    @Override
    public synchronized void stopListening() {
        java.util.List<Listener> all = java.util.List.copyOf(listeners);
        listeners.clear();
        for (Listener l : all) {
            closeQuietly(l.socket());
        }
        for (Listener l : all) {
            Thread listener = l.acceptThread();
            if (listener == Thread.currentThread()) {
                continue;
            }
            try {
                if (!listener.join(java.time.Duration.ofSeconds(5))) {
                    LOG.warn("listener thread did not stop in time");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isListening() {
        return !listeners.isEmpty();
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        stopListening();
        for (BlockingConnection c : new ArrayList<>(connections)) {
            c.abort();
        }
    }

    static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing is best effort
        }
    }
}
