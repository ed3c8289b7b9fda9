package dev.parley.server.engine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One event loop: a selector, the connections registered on it, and a queue of tasks other
 * threads hand it. Everything about a connection's socket — reads, parsing, command handling,
 * writes — runs on its loop's thread, so no connection is touched by two threads at once.
 *
 * <p>The loop owns one read buffer and one write buffer, shared by all its connections: an
 * idle connection holds neither.
 */
final class SelectorLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    static final int BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** Connections with output queued during this pass; flushed once at its end. Loop only. */
    private final java.util.ArrayDeque<NioConnection> dirty = new java.util.ArrayDeque<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    /** TLS records as read, before unwrapping, for every TLS connection of this loop (see {@link NioTls}). */
    private ByteBuffer tlsIn;
    /** One wrapped TLS record on its way out, for every TLS connection of this loop. */
    private ByteBuffer tlsOut;

    /**
     * The loop's buffer for received TLS records, at least {@code packet} bytes, in write mode. Empty
     * between uses: a connection reads into it, unwraps at once and moves what is left of a record
     * into a buffer of its own ({@link NioTls#keepRest}). Loop only.
     */
    ByteBuffer tlsIn(int packet) {
        if (tlsIn == null || tlsIn.capacity() < packet) {
            tlsIn = ByteBuffer.allocate(packet);
        }
        return tlsIn;
    }

    /** The loop's scratch for one wrapped TLS record, at least {@code packet} bytes. Loop only. */
    ByteBuffer tlsOut(int packet) {
        if (tlsOut == null || tlsOut.capacity() < packet) {
            tlsOut = ByteBuffer.allocate(packet);
        }
        return tlsOut;
    }
    private volatile boolean running = true;
    private volatile Thread thread;
    private int connections;

    SelectorLoop(String name) throws IOException {
        this.name = name;
        this.selector = Selector.open();
    }

    void start() {
        thread = Thread.ofPlatform().name(name).daemon(true).start(this);
    }

    Selector selector() {
        return selector;
    }

    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop soon. Safe from any thread; lock-free. */
    void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Connections this loop serves (read on the loop). */
    int connections() {
        return connections;
    }

    void connectionAdded() {
        connections++;
    }

    void connectionRemoved() {
        connections--;
    }

    /** Loop only: flush {@code c} at the end of this pass, after everything read in it is handled. */
    void flushLater(NioConnection c) {
        dirty.add(c);
    }

    @Override
    public void run() {
        while (running) {
            try {
                // Reset before looking at the queue: a task added after this point sets the flag
                // again and wakes the selector, so select() cannot sleep on a queued task (even
                // when a task's own selectNow() swallowed an earlier wakeup).
                wakeupPending.set(false);
                if (tasks.isEmpty() && dirty.isEmpty()) {
                    selector.select();
                } else {
                    selector.selectNow();
                }
                runTasks();
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    if (key.attachment() instanceof Handler h && key.isValid()) {
                        h.ready(key);
                    }
                }
                runTasks();
                NioConnection c;
                while ((c = dirty.poll()) != null) {
                    c.flushNow();
                }
            } catch (ClosedSelectorException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.error("{} failed a pass; carrying on", name, e);
            }
        }
    }

    private void runTasks() {
        Runnable t;
        while ((t = tasks.poll()) != null) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.error("{} task failed", name, e);
            }
        }
    }

    void stop() {
        running = false;
        selector.wakeup();
        try {
            selector.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }

    /** Whatever is attached to a selection key: told when its channel is ready. */
    interface Handler {
        void ready(SelectionKey key);
    }
}
