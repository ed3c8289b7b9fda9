package dev.parley.server.engine;

import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One non-blocking connection on a {@link SelectorLoop}. Reads land in the loop's shared
 * buffer and go straight to the session's line decoder; writes drain the session's SendQ into
 * the loop's shared buffer, many lines per write. Write interest is registered only while
 * output could not be written at once; only then does the connection hold a buffer of its own
 * (the unwritten rest).
 *
 * <p>Everything here runs on the loop's thread, except {@link #abort} and the SendQ's ready
 * hook, which hand work to the loop.
 */
final class NioConnection implements Transport, SelectorLoop.Handler {
    private final NioEngine engine;
    private final SelectorLoop loop;
    private final SocketChannel channel;
    private final InetAddress remote;
    private final Executor blockingWork;
    private final AtomicBoolean flushScheduled = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Runnable flushTask = this::scheduledFlush;
    private SelectionKey key;
    private Session session;
    private ByteBuffer pending;
    private boolean outputDone;
    private boolean inputDone;
    private boolean readPaused;

    NioConnection(NioEngine engine, SelectorLoop loop, SocketChannel channel, Executor blockingWork) {
        this.engine = engine;
        this.loop = loop;
        this.channel = channel;
        this.remote = ((InetSocketAddress) channel.socket().getRemoteSocketAddress()).getAddress();
        this.blockingWork = blockingWork;
    }

    /** Runs on the loop: registers the channel and opens the session. */
    void register(Sessions sessions) throws IOException {
        key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        loop.connectionAdded();
        session = sessions.open(this, this::outputReady);
    }

    /**
     * SendQ's ready hook, any thread: schedules one flush on the loop. On the loop itself the
     * flush waits for the end of the pass, so lines queued while handling one read go out in
     * one write.
     */
    private void outputReady() {
        if (flushScheduled.compareAndSet(false, true)) {
            if (loop.inLoop()) {
                loop.flushLater(this);
            } else {
                loop.execute(flushTask);
            }
        }
    }

    private void scheduledFlush() {
        flushNow();
    }

    /** Loop only: the scheduled flush. */
    void flushNow() {
        flushScheduled.set(false);
        flush();
    }

    @Override
    public void ready(SelectionKey k) {
        if (k.isWritable()) {
            flush();
        }
        if (k.isValid() && k.isReadable()) {
            read();
        }
    }

    private void read() {
        ByteBuffer buf = loop.readBuffer;
        buf.clear();
        int n;
        try {
            n = channel.read(buf);
        } catch (IOException e) {
            session.client().quit("Connection reset by peer");
            abort();
            return;
        }
        if (n < 0) {
            inputDone = true;
            session.endOfInput("Connection closed"); // quits now, or once flood control's held commands have run
            flush();
            if (outputDone) {
                abort();
            } else {
                setInterest(SelectionKey.OP_READ, false); // finish writing first; flush closes when done
            }
            return;
        }
        if (n > 0) {
            buf.flip();
            session.onBytes(buf);
        }
    }

    /** Runs on the loop: writes what the SendQ holds until the socket would block. */
    private void flush() {
        if (closed.get() || outputDone) {
            return;
        }
        try {
            if (pending != null) {
                channel.write(pending);
                if (pending.hasRemaining()) {
                    setInterest(SelectionKey.OP_WRITE, true);
                    return;
                }
                pending = null;
            }
            ByteBuffer buf = loop.writeBuffer;
            while (true) {
                buf.clear();
                if (session.sendQ().drainTo(buf) == 0) {
                    break;
                }
                buf.flip();
                channel.write(buf);
                if (buf.hasRemaining()) {
                    pending = ByteBuffer.allocate(buf.remaining()).put(buf).flip();
                    setInterest(SelectionKey.OP_WRITE, true);
                    return;
                }
            }
            setInterest(SelectionKey.OP_WRITE, false);
            if (session.sendQ().isFinished()) {
                outputDone = true;
                if (inputDone) {
                    abort(); // both directions are finished
                } else {
                    channel.shutdownOutput(); // FIN after the last line; the peer's close ends the rest
                }
            }
        } catch (IOException e) {
            session.client().close("Write error: connection reset", true, true);
            abort();
        }
    }

    private void setInterest(int op, boolean on) {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = key.interestOps();
        int next = on ? ops | op : ops & ~op;
        if (next != ops) {
            key.interestOps(next);
        }
    }

    @Override
    public InetAddress remoteAddress() {
        return remote;
    }

    /** Closes the socket. Any thread; the loop finishes the bookkeeping. */
    @Override
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            pending = null;
            loop.execute(loop::connectionRemoved);
            engine.closed(this);
        }
    }

    @Override
    public void offload(Runnable work, Runnable then) {
        blockingWork.execute(() -> {
            work.run();
            loop.execute(() -> {
                if (!closed.get()) {
                    then.run();
                }
            });
        });
    }

    @Override
    public void runOnReaderLater(Runnable task, long delayMillis) {
        session.hub().schedule(() -> loop.execute(() -> {
            if (!closed.get()) {
                task.run();
            }
        }), java.time.Duration.ofMillis(delayMillis));
    }

    @Override
    public void pauseReading(boolean paused) {
        if (paused == readPaused) {
            return;
        }
        readPaused = paused;
        if (loop.inLoop()) {
            setInterest(SelectionKey.OP_READ, !paused);
        } else {
            loop.execute(() -> setInterest(SelectionKey.OP_READ, !readPaused));
        }
    }

    static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException | RuntimeException ignored) {
            // closing is best effort
        }
    }
}
