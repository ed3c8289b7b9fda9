package dev.parley.server.engine;

import dev.parley.server.config.TlsMaterial;
import dev.parley.server.session.SendQ;
import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLSocket;

/**
 * One socket served by two threads: the reader feeds bytes to the session (so parsing and
 * command handling run on it, in order), the writer drains the session's SendQ, many lines per
 * write. Either thread may end the session; the socket is closed once both are done (or when
 * the hub forces it).
 *
 * <p>With platform threads the writer lives as long as the connection. With virtual threads it
 * is started when output arrives on an empty SendQ and ends once the queue has stayed empty for
 * {@link #WRITER_LINGER_NANOS}: an idle connection holds only its parked reader. At most one
 * writer runs at a time ({@link #writerActive}), so lines still go out in order.
 *
 * <p>Over TLS the reader first runs the handshake (bounded by the registration timeout) and
 * only then starts the writer; the writer's batches still carry many lines each, so one write
 * becomes few TLS records.
 */
final class BlockingConnection implements Transport {
    /** Read buffer over TLS while the client sends a lot: a whole TLS record's plaintext fits. */
    private static final int TLS_READ_BYTES = 16 * 1024;
    /** Read buffer of a plain connection while the client sends a lot. */
    private static final int PLAIN_READ_BYTES = 2 * 1024;
    /**
     * Read buffer of a connection that sends little: the reader holds its buffer while it waits,
     * so an idle connection keeps only this much (a longer line is assembled by the decoder over
     * several reads).
     */
    static final int SMALL_READ_BYTES = 256;
    /** Reads in a row that fit the small buffer before a connection goes back to it. */
    private static final int SMALL_READS_TO_SHRINK = 16;
    /** How long a writer started on demand waits for more output before it ends. */
    static final long WRITER_LINGER_NANOS = 100_000_000L;
    private final BlockingEngine engine;
    /** The accepted socket; closing it ends everything. */
    private final Socket raw;
    /** The client's address: the socket's peer, or what a PROXY header said. */
    private final InetAddress remote;
    /** Null for a plain connection. */
    private final TlsMaterial tls;
    private final java.time.Duration handshakeTimeout;
    /** What is read and written: {@link #raw}, or the TLS socket over it once the handshake is done. */
    private volatile Socket socket;
    private volatile String certFingerprint;
    /** The writer for the connection's whole life; null when writers start on demand. */
    private Thread writer;
    /** Makes writers on demand (virtual threads); null when one writer lives as long as the connection. */
    private ThreadFactory writers;
    /** On demand only: a writer runs, or has finished for good. */
    private final AtomicBoolean writerActive = new AtomicBoolean();
    /** On demand only: output may be written (set once, after a TLS handshake when there is one). */
    private volatile boolean writable;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean readerDone;
    private volatile boolean writerDone;
    private Session session;
    /** A task for the reader once {@link #wakeAtNanos} has passed; reader only. */
    private Runnable wakeTask;
    private long wakeAtNanos;
    private int soTimeout;

    BlockingConnection(BlockingEngine engine, Socket socket, InetAddress remote, TlsMaterial tls,
            java.time.Duration handshakeTimeout) {
        this.engine = engine;
        this.remote = remote;
        this.raw = socket;
        this.socket = socket;
        this.tls = tls;
        this.handshakeTimeout = handshakeTimeout;
    }

    /**
     * Opens the session and starts the reader (and, for a plain connection, the writing).
     * {@code onDemandWriters} makes a writer each time output arrives on an empty SendQ; when
     * null, one writer from {@code threads} serves the whole connection.
     */
    void start(Sessions sessions, Thread.Builder threads, ThreadFactory onDemandWriters) {
        writers = onDemandWriters;
        // a lifelong writer blocks on the SendQ itself; one on demand is started by its hook
        session = sessions.open(this, onDemandWriters == null ? () -> { } : this::outputReady);
        long id = session.client().id();
        Thread reader;
        synchronized (threads) { // connections behind a PROXY header start from their own threads
            reader = threads.name("parley-read-" + id).unstarted(this::readLoop);
            if (onDemandWriters == null) {
                writer = threads.name("parley-write-" + id).unstarted(() -> writeBatches(Long.MAX_VALUE));
            }
        }
        if (tls == null) {
            startWriting();
        }
        reader.start(); // over TLS the reader starts the writing once the handshake is done
    }

    /** The socket may take output now: starts the lifelong writer, or lets writers start on demand. */
    private void startWriting() {
        if (writers == null) {
            writer.start();
            return;
        }
        writable = true;
        if (session.sendQ().hasWork()) {
            outputReady(); // queued before the socket was ready (a TLS handshake)
        }
    }

    /** The SendQ's hook (any thread): output arrived on an empty queue; starts a writer unless one runs. */
    private void outputReady() {
        if (writable && writerActive.compareAndSet(false, true)) {
            Thread t = writers.newThread(() -> writeBatches(WRITER_LINGER_NANOS));
            t.setName("parley-write-" + session.client().id());
            t.start();
        }
    }

    /**
     * Reader only: the TLS handshake, bounded by the registration timeout (and by the
     * registration deadline, which closes the socket). Starts the writer when it succeeds.
     */
    private boolean handshake() {
        try {
            SSLSocket ssl = tls.wrap(raw);
            raw.setSoTimeout((int) Math.min(Integer.MAX_VALUE, Math.max(1, handshakeTimeout.toMillis())));
            ssl.startHandshake();
            try {
                java.security.cert.Certificate[] peer = ssl.getSession().getPeerCertificates();
                certFingerprint = TlsMaterial.fingerprint(peer[0]);
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                // no client certificate
            }
            ssl.setSoTimeout(0);
            socket = ssl;
            startWriting();
            return true;
        } catch (IOException | RuntimeException e) {
            writerDone = true; // never started
            return false;
        }
    }

    /** Runs on the reader thread. */
    private void readLoop() {
        String reason = "Connection closed";
        int large = tls != null ? TLS_READ_BYTES : PLAIN_READ_BYTES;
        byte[] buf = new byte[SMALL_READ_BYTES];
        int smallReads = 0;
        try {
            if (tls != null && !handshake()) {
                reason = "TLS handshake failed";
                return;
            }
            InputStream in = socket.getInputStream();
            while (true) {
                long left = runWakeTaskIfDue();
                if (left == 0) {
                    continue;
                }
                setReadTimeout(left < 0 ? 0 : (int) Math.max(1, (left + 999_999) / 1_000_000));
                int n;
                try {
                    n = in.read(buf);
                } catch (java.net.SocketTimeoutException e) {
                    continue; // time for the waiting task
                }
                if (n < 0) {
                    if (!session.endOfInput(reason)) {
                        runHeldCommands();
                    }
                    break;
                }
                if (n > 0) {
                    session.onBytes(buf, 0, n);
                }
                // a full buffer means more is coming: read in large pieces while the client
                // sends a lot, and go back to the small buffer once it sends little again
                if (n == buf.length && buf.length < large) {
                    buf = new byte[large];
                    smallReads = 0;
                } else if (buf.length > SMALL_READ_BYTES) {
                    smallReads = n <= SMALL_READ_BYTES ? smallReads + 1 : 0;
                    if (smallReads >= SMALL_READS_TO_SHRINK) {
                        buf = new byte[SMALL_READ_BYTES];
                        smallReads = 0;
                    }
                }
            }
        } catch (IOException e) {
            reason = "Connection reset by peer";
        } catch (RuntimeException e) {
            reason = "Internal error";
            org.slf4j.LoggerFactory.getLogger("parley.server").error("reader failed for {}", session, e);
        } finally {
            readerDone = true;
            session.client().quit(reason);
            if (writerDone) {
                abort();
            }
        }
    }

    /** After the peer's EOF: the reader waits out the commands flood control still holds, then ends. */
    private void runHeldCommands() {
        long left;
        while (!session.client().isClosing() && (left = runWakeTaskIfDue()) >= 0) {
            if (left > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(left);
            }
        }
    }

    /**
     * Runs the waiting task if its time has come. Returns 0 when it ran, the nanoseconds until
     * it is due, or -1 when no task waits. Reader only.
     */
    private long runWakeTaskIfDue() {
        if (wakeTask == null) {
            return -1;
        }
        long left = wakeAtNanos - System.nanoTime();
        if (left > 0) {
            return left;
        }
        Runnable t = wakeTask;
        wakeTask = null;
        t.run();
        return 0;
    }

    private void setReadTimeout(int millis) throws java.net.SocketException {
        if (millis != soTimeout) {
            socket.setSoTimeout(millis);
            soTimeout = millis;
        }
    }

    /** Reader only: the read loop runs {@code task} when the delay is over, reading meanwhile. */
    @Override
    public void runOnReaderLater(Runnable task, long delayMillis) {
        wakeTask = task;
        wakeAtNanos = System.nanoTime() + delayMillis * 1_000_000L;
    }

    /**
     * The writer: writes what the SendQ holds, many lines at a time, until the queue is closed
     * and drained (then FIN), or until it has stayed empty for {@code lingerNanos}: a writer
     * started on demand then ends, unless output arrived meanwhile and no other writer took it.
     * The lifelong writer waits without end ({@link Long#MAX_VALUE}).
     */
    private void writeBatches(long lingerNanos) {
        SendQ q = session.sendQ();
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] batch = q.pollBatch(lingerNanos);
                if (batch != null) {
                    out.write(batch);
                    continue;
                }
                if (q.isFinished()) {
                    socket.shutdownOutput(); // FIN after the last line; the reader sees the peer's close
                    writingDone();
                    return; // writerActive stays set: no writer starts again
                }
                writerActive.set(false);
                // output that arrived after the wait ended started no writer (this one was
                // active): take it, unless a new writer has already
                if (!q.hasWork() || !writerActive.compareAndSet(false, true)) {
                    return;
                }
            }
        } catch (IOException e) {
            session.client().close("Write error: connection reset", true, true);
            writingDone();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            writingDone();
        } catch (RuntimeException e) {
            writingDone();
            throw e;
        }
    }

    private void writingDone() {
        writerDone = true;
        if (readerDone) {
            abort();
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
        return certFingerprint;
    }

    @Override
    public void abort() {
        if (closed.compareAndSet(false, true)) {
            BlockingEngine.closeQuietly(raw);
            engine.closed(this);
        }
    }
}
