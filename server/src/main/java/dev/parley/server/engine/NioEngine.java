package dev.parley.server.engine;

import dev.parley.server.config.TlsSource;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The non-blocking engine: {@code n} selector loops (one per core by default) each serve a
 * share of the connections. The first loop also accepts; each accepted socket is handed to the
 * next loop in turn through that loop's lock-free task queue. Blocking work (password hashing,
 * and later disk and database) runs on virtual threads and comes back to the connection's loop.
 */
public final class NioEngine implements Engine {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    /** Accepts per readiness event, so one loop pass never turns into an accept storm. */
    private static final int ACCEPT_BATCH = 256;

    private final Sessions sessions;
    private final SelectorLoop[] loops;
    private final AtomicInteger nextLoop = new AtomicInteger();
    private final Set<NioConnection> connections = ConcurrentHashMap.newKeySet();
    private final ExecutorService blockingWork = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("parley-blocking-", 0).factory());
    /** The listening channels, each with its TLS material (null: plain). */
    private final java.util.List<ServerSocketChannel> servers = new java.util.concurrent.CopyOnWriteArrayList<>();

    private NioEngine(Sessions sessions, int loopCount) throws IOException {
        this.sessions = sessions;
        this.loops = new SelectorLoop[loopCount];
        for (int i = 0; i < loopCount; i++) {
            loops[i] = new SelectorLoop("parley-loop-" + i);
            loops[i].start();
        }
    }

    /** An engine with {@code nioLoops} loops from the config, or one per available core. */
    public static NioEngine create(Sessions sessions) {
        int n = sessions.hub().config().nioLoops() > 0 ? sessions.hub().config().nioLoops() : Runtime.getRuntime().availableProcessors();
        try {
            return new NioEngine(sessions, n);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a selector: " + e.getMessage(), e);
        }
    }

    @Override
    public String name() {
        return "nio";
    }

    /** Selector loops in this engine. */
    public int loopCount() {
        return loops.length;
    }

    @Override
    public synchronized InetSocketAddress listen(InetSocketAddress address, TlsSource tls, boolean proxy) throws IOException {
        ServerSocketChannel ssc = ServerSocketChannel.open();
        try {
            ssc.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ssc.bind(address, 1024);
            ssc.configureBlocking(false);
        } catch (IOException e) {
            ssc.close();
            throw e;
        }
        SelectorLoop acceptLoop = loops[0];
        CompletableFuture<Void> registered = new CompletableFuture<>();
        acceptLoop.execute(() -> {
            try {
                ssc.register(acceptLoop.selector(), SelectionKey.OP_ACCEPT, (SelectorLoop.Handler) k -> acceptReady(ssc, tls, proxy));
                registered.complete(null);
            } catch (IOException e) {
                registered.completeExceptionally(e);
            }
        });
        try {
            registered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ssc.close();
            throw new IOException("interrupted while starting to listen", e);
        } catch (ExecutionException e) {
            ssc.close();
            throw new IOException("cannot listen: " + e.getCause().getMessage(), e.getCause());
        }
        servers.add(ssc);
        return (InetSocketAddress) ssc.getLocalAddress();
    }

    /** Runs on the accepting loop. */
    private void acceptReady(ServerSocketChannel ssc, TlsSource tls, boolean proxy) {
        for (int i = 0; i < ACCEPT_BATCH; i++) {
            SocketChannel ch;
            try {
                ch = ssc.accept();
            } catch (IOException e) {
                if (ssc.isOpen()) {
                    LOG.warn("accept failed: {}", e.getMessage());
                }
                return;
            }
            if (ch == null) {
                return;
            }
            java.net.InetAddress from;
            try {
                from = ((java.net.InetSocketAddress) ch.getRemoteAddress()).getAddress();
            } catch (IOException | RuntimeException e) {
                NioConnection.closeQuietly(ch); // gone before we looked
                continue;
            }
            if (proxy) {
                readProxyHeader(ch, from, tls);
                continue;
            }
            admit(ch, from, tls, null);
        }
    }

    /**
     * A connection from a proxy: when its address is one of {@code proxy-from}, a loop reads its
     * PROXY header without blocking ({@link NioProxyHeader}) and then admits it.
     */
    private void readProxyHeader(SocketChannel ch, java.net.InetAddress from, TlsSource tls) {
        if (!dev.parley.server.config.AddressSet.parse(sessions.hub().config().proxyFrom()).contains(from)) {
            LOG.info("closed a connection from {}: not an address of --proxy-from", from.getHostAddress());
            NioConnection.closeQuietly(ch);
            return;
        }
        try {
            ch.configureBlocking(false);
        } catch (IOException e) {
            NioConnection.closeQuietly(ch);
            return;
        }
        SelectorLoop loop = loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
        NioProxyHeader reader = new NioProxyHeader(ch, loop, (real, key) -> admit(ch, real, tls, loop));
        loop.execute(() -> reader.start(sessions.hub(), sessions.hub().config().registrationTimeout()));
    }

    /**
     * Enters {@code from} in the connection gate and hands the connection to a loop ({@code onLoop},
     * whose thread this is, or the next in turn), or refuses it.
     */
    private void admit(SocketChannel ch, java.net.InetAddress from, TlsSource tls, SelectorLoop onLoop) {
        {
            ConnectionGate.Refusal refusal = sessions.gate().tryEnter(from);
            if (refusal != null) {
                if (tls != null && onLoop != null) {
                    NioConnection.closeQuietly(ch); // registered already: no blocking TLS refusal
                } else if (tls != null) {
                    try {
                        ch.configureBlocking(true); // a fresh channel, never registered with a selector
                        TlsRefusal.refuse(ch.socket(), tls.current(), refusal.line());
                    } catch (IOException e) {
                        NioConnection.closeQuietly(ch);
                    }
                } else {
                    refuse(ch, refusal.line());
                }
                return;
            }
            NioConnection conn = null;
            try {
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
                SelectorLoop loop = onLoop != null ? onLoop : loops[Math.floorMod(nextLoop.getAndIncrement(), loops.length)];
                NioConnection made = new NioConnection(this, loop, ch, blockingWork,
                        tls == null ? null : new NioTls(tls.current()), from);
                conn = made;
                connections.add(made);
                Runnable register = () -> {
                    try {
                        made.register(sessions);
                    } catch (IOException | RuntimeException e) {
                        LOG.warn("could not register connection: {}", e.toString());
                        made.abort();
                    }
                };
                if (onLoop != null) {
                    register.run(); // on the loop already, the PROXY reader's key in hand
                } else {
                    loop.execute(register);
                }
            } catch (IOException | RuntimeException e) {
                LOG.warn("could not set up connection: {}", e.toString());
                NioConnection.closeQuietly(ch);
                if (conn == null || connections.remove(conn)) { // else closed() has let it go already
                    sessions.gate().leave(from);
                }
            }
        }
    }

    private static void refuse(SocketChannel ch, byte[] refusal) {
        try (ch) {
            ch.configureBlocking(false);
            ch.write(ByteBuffer.wrap(refusal)); // an empty socket buffer takes this at once
        } catch (IOException ignored) {
            // the newcomer is gone already
        }
    }

    /** Called exactly once per connection, when its socket closes. */
    void closed(NioConnection conn) {
        if (connections.remove(conn)) {
            sessions.gate().leave(conn.gateAddress());
        }
    }

    /**
     * Closes the listening channel on the accepting loop and, still there, runs one
     * {@code selectNow} so the selector deregisters it: a registered channel's socket is only
     * released then. When this returns the port is free (and can be listened on again).
     */
    @Override
    public synchronized void stopListening() {
        java.util.List<ServerSocketChannel> all = java.util.List.copyOf(servers);
        servers.clear();
        for (ServerSocketChannel ssc : all) {
            release(ssc);
        }
    }

    private void release(ServerSocketChannel ssc) {
        SelectorLoop acceptLoop = loops[0];
        Runnable release = () -> {
            try {
                ssc.close();
                acceptLoop.selector().selectNow();
            } catch (IOException | java.nio.channels.ClosedSelectorException ignored) {
                // closing is best effort
            }
        };
        if (acceptLoop.inLoop()) {
            release.run();
            return;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        acceptLoop.execute(() -> {
            try {
                release.run();
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("accepting loop did not release the port in time");
        }
        try {
            ssc.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    @Override
    public boolean isListening() {
        return !servers.isEmpty();
    }

    @Override
    public int connectionCount() {
        return connections.size();
    }

    @Override
    public void close() {
        stopListening();
        for (NioConnection c : new ArrayList<>(connections)) {
            c.abort();
        }
        for (SelectorLoop loop : loops) {
            loop.stop();
        }
        blockingWork.shutdownNow();
    }
}
