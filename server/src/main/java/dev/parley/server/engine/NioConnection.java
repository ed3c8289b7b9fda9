package dev.parley.server.engine;

import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLEngineResult;

/**
 * One non-blocking connection on a {@link SelectorLoop}. Reads land in the loop's shared
 * buffer and go straight to the session's line decoder; writes drain the session's SendQ into
 * the loop's shared buffer, many lines per write. Write interest is registered only while
 * output could not be written at once; only then does the connection hold a buffer of its own
 * (the unwritten rest).
 *
 * <p>Everything here runs on the loop's thread, except {@link #abort} and the SendQ's ready
 * hook, which hand work to the loop.
 *
 * <p>A TLS connection ({@link NioTls}) reads records into a buffer of its own, unwraps them on
 * the loop into the loop's read buffer, and wraps at most one record's worth of queued lines at
 * a time; the handshake's delegated tasks run on the blocking executor and the handshake
 * resumes on the loop. Nothing here blocks the loop.
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
    /** Null for a plain connection. */
    private final NioTls tls;

    NioConnection(NioEngine engine, SelectorLoop loop, SocketChannel channel, Executor blockingWork, NioTls tls,
            InetAddress remote) {
        this.tls = tls;
        this.engine = engine;
        this.loop = loop;
        this.channel = channel;
        this.remote = remote;
        this.blockingWork = blockingWork;
    }

    /** Runs on the loop: registers the channel and opens the session. */
    void register(Sessions sessions) throws IOException {
        key = channel.register(loop.selector(), SelectionKey.OP_READ, this); // a PROXY reader's key is taken over
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
        if (tls != null) {
            readTls();
            return;
        }
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
            endOfInput();
            return;
        }
        if (n > 0) {
            buf.flip();
            session.onBytes(buf);
        }
    }

    /** The peer's end of input (EOF, or TLS close_notify). */
    private void endOfInput() {
        {
            inputDone = true;
            session.endOfInput("Connection closed"); // quits now, or once flood control's held commands have run
            flush();
            if (outputDone) {
                abort();
            } else {
                setInterest(SelectionKey.OP_READ, false); // finish writing first; flush closes when done
            }
        }
    }

    /**
     * Loop only: reads TLS records, unwraps them into the loop's read buffer and hands the
     * plaintext to the session. Handshake messages are answered through {@link #flush}; the
     * handshake's delegated tasks run off the loop ({@link #runTlsTasks}).
     */
    private void readTls() {
        int n;
        ByteBuffer in = tls.netIn(loop);
        try {
            n = channel.read(in);
        } catch (IOException e) {
            session.client().quit("Connection reset by peer");
            abort();
            return;
        }
        if (n < 0) {
            tls.keepRest(in.clear()); // nothing more will complete a waiting record
            tls.engine().closeInboundQuietly();
            endOfInput();
            return;
        }
        unwrapTls();
    }

    /** Loop only: unwraps whatever whole records have arrived ({@link NioTls#netIn}). */
    private void unwrapTls() {
        ByteBuffer netIn = tls.netIn(loop);
        ByteBuffer app = loop.readBuffer;
        netIn.flip();
        try {
            while (!closed.get() && !tls.tasksRunning()) {
                app.clear();
                SSLEngineResult r = tls.engine().unwrap(netIn, app);
                if (app.position() > 0) {
                    app.flip();
                    session.onBytes(app);
                }
                tlsProgress(r.getHandshakeStatus());
                if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                    netIn.position(netIn.limit()); // nothing after close_notify is read
                    endOfInput();
                    return;
                }
                if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                    break;
                }
                if (r.bytesConsumed() == 0 && r.bytesProduced() == 0
                        && tls.engine().getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                    break;
                }
            }
        } catch (javax.net.ssl.SSLException e) {
            session.client().quit("TLS error");
            abort();
            return;
        } finally {
            if (closed.get()) {
                tls.keepRest(netIn.clear());
            } else {
                netIn.compact();
                tls.keepRest(netIn);
            }
        }
        if (!closed.get()) {
            tls.growIfFull();
        }
    }

    /**
     * Loop only: after a wrap or unwrap, notes a finished handshake, starts delegated tasks and
     * sends what the engine wants sent.
     */
    private void tlsProgress(SSLEngineResult.HandshakeStatus hs) {
        if (hs == SSLEngineResult.HandshakeStatus.FINISHED && !tls.handshakeDone()) {
            tls.handshakeFinished();
            flush(); // whatever the session queued meanwhile
        }
        SSLEngineResult.HandshakeStatus now = tls.engine().getHandshakeStatus();
        if (now == SSLEngineResult.HandshakeStatus.NEED_TASK) {
            runTlsTasks();
        } else if (now == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
            flush();
        }
    }

    /**
     * Runs the engine's delegated tasks (certificate and key work) on the blocking executor,
     * never on the loop; reading waits meanwhile, and resumes on the loop afterwards.
     */
    private void runTlsTasks() {
        if (tls.tasksRunning()) {
            return;
        }
        tls.tasksRunning(true);
        setInterest(SelectionKey.OP_READ, false);
        blockingWork.execute(() -> {
            Runnable t;
            while ((t = tls.engine().getDelegatedTask()) != null) {
                t.run();
            }
            loop.execute(() -> {
                tls.tasksRunning(false);
                if (closed.get()) {
                    return;
                }
                setInterest(SelectionKey.OP_READ, !readPaused && !inputDone);
                flush();
                if (!closed.get() && !tls.tasksRunning()) {
                    unwrapTls(); // records that arrived with the last flight
                }
            });
        });
    }

    /** Runs on the loop: writes what the SendQ holds until the socket would block. */
    private void flush() {
        if (closed.get() || outputDone) {
            return;
        }
        if (tls != null) {
            flushTls();
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

    /**
     * Loop only: the TLS writer. Sends what the handshake needs, then drains the SendQ at most
     * one record's plaintext (16 KiB, many lines) at a time, wraps it and writes the record,
     * until the socket would block.
     */
    private void flushTls() {
        if (tls.tasksRunning()) {
            return; // resumed when the tasks are done
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
            ByteBuffer plain = loop.writeBuffer;
            ByteBuffer net = tls.netOut(loop);
            while (true) {
                SSLEngineResult.HandshakeStatus hs = tls.engine().getHandshakeStatus();
                if (hs == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTlsTasks();
                    return;
                }
                plain.clear();
                if (hs == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                    plain.limit(0);
                } else if (!tls.handshakeDone()) {
                    break; // waiting for the peer's handshake messages
                } else {
                    plain.limit(NioTls.RECORD_PLAINTEXT);
                    if (session.sendQ().drainTo(plain) == 0) {
                        break;
                    }
                }
                plain.flip();
                do {
                    net.clear();
                    SSLEngineResult r = tls.engine().wrap(plain, net);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED && net.position() == 0) {
                        throw new javax.net.ssl.SSLException("TLS closed");
                    }
                    net.flip();
                    channel.write(net);
                    if (net.hasRemaining() || plain.hasRemaining()) {
                        if (plain.hasRemaining()) {
                            // not expected: one record takes the whole chunk; keep order anyway
                            ByteBuffer more = ByteBuffer.allocate(tls.engine().getSession().getPacketBufferSize() * 2);
                            while (plain.hasRemaining()) {
                                ByteBuffer rec = ByteBuffer.allocate(tls.engine().getSession().getPacketBufferSize());
                                tls.engine().wrap(plain, rec);
                                rec.flip();
                                if (more.remaining() < rec.remaining()) {
                                    more = ByteBuffer.allocate(more.capacity() * 2).put(more.flip());
                                }
                                more.put(rec);
                            }
                            more.flip();
                            pending = ByteBuffer.allocate(net.remaining() + more.remaining()).put(net).put(more).flip();
                        } else {
                            pending = ByteBuffer.allocate(net.remaining()).put(net).flip();
                        }
                        setInterest(SelectionKey.OP_WRITE, true);
                        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED) {
                            tls.handshakeFinished();
                        }
                        return;
                    }
                    if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.FINISHED && !tls.handshakeDone()) {
                        tls.handshakeFinished();
                    }
                } while (plain.hasRemaining());
            }
            setInterest(SelectionKey.OP_WRITE, false);
            if (session.sendQ().isFinished() && tls.handshakeDone()) {
                outputDone = true;
                tls.engine().closeOutbound();
                net.clear();
                tls.engine().wrap(ByteBuffer.allocate(0), net); // close_notify, best effort
                net.flip();
                channel.write(net);
                if (inputDone) {
                    abort();
                } else {
                    channel.shutdownOutput();
                }
            } else if (session.sendQ().isFinished() && !tls.handshakeDone()) {
                outputDone = true;
                abort(); // closed before the handshake finished: nothing to say
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

    /** The address this connection counts for in the connection gate: its user's behind a WEBIRC gateway. */
    InetAddress gateAddress() {
        Session s = session;
        return s == null ? remote : s.client().address();
    }

    @Override
    public boolean isSecure() {
        return tls != null;
    }

    @Override
    public String certFingerprint() {
        return tls == null ? null : tls.clientFingerprint();
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
            setInterest(SelectionKey.OP_READ, !paused && (tls == null || !tls.tasksRunning()));
        } else {
            loop.execute(() -> setInterest(SelectionKey.OP_READ, !readPaused && (tls == null || !tls.tasksRunning())));
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
