package dev.parley.scan;

import java.io.Closeable;
import java.io.IOException;

/**
 * Opens TCP connections for a scan {@link Lane} without ever blocking it. Every method is called
 * from the lane's single thread; outcomes come back only from {@link #poll}, so the loop
 * never sees a callback in the middle of its own work.
 *
 * <p>The lane owns time: a connector never gives up on an attempt by itself, the lane
 * {@link #close closes} attempts whose deadline passed. That keeps timeouts and retries in one
 * place, where a scripted connector and a fake clock can test them.
 */
interface Connector extends Closeable {
    /**
     * Starts connecting to {@code a.target}; the outcome is reported by a later {@link #poll}.
     *
     * @return true when the outcome is already known, so the next poll reports it for certain
     *         (the lane then needs no deadline for this try)
     */
    boolean connect(Attempt a);

    /** After {@link Events#connected}: reports what the peer sends through {@link Events#data}. */
    void awaitData(Attempt a);

    /** Frees the attempt's socket; no event for this try is reported afterwards. */
    void close(Attempt a);

    /**
     * Waits at most {@code maxWaitNanos} (0: not at all) for outcomes and reports each one.
     * Returns early once there is anything to report.
     */
    void poll(long maxWaitNanos, Events events) throws IOException;

    /** Sockets this connector holds open right now, including ones still being closed. */
    int openSockets();

    /** Closes every socket still open. */
    @Override
    void close() throws IOException;

    /** Opens a connector; a scan opens one per lane. */
    @FunctionalInterface
    interface Factory {
        Connector open() throws IOException;
    }

    /** Outcomes of attempts, reported by {@link #poll}. */
    interface Events {
        /** The connection completed: the port is open. */
        void connected(Attempt a);

        /** The host refused or reset the connection: the port is closed. */
        void refused(Attempt a);

        /** The host or network is unreachable (or the connection is not permitted). */
        void unreachable(Attempt a);

        /** The network gave up waiting before the scan did (the kernel's own connect timeout). */
        void noAnswer(Attempt a);

        /**
         * The socket connected to itself: the kernel picked the target port as this socket's
         * own local port on the same address (on loopback, scanning the ephemeral range, this
         * happens about once per full scan). That says nothing about the port: try again.
         */
        void selfConnected(Attempt a);

        /** The attempt could not start here (no file descriptor, no local port); worth trying again later. */
        void localFailure(Attempt a, IOException cause);

        /** Bytes the peer sent after {@link #awaitData}; {@code end} when it closed or failed. */
        void data(Attempt a, byte[] bytes, int length, boolean end);
    }
}
