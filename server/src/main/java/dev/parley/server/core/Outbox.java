package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;

/**
 * Where a {@link Client}'s messages go: a connection's session (which formats them for its
 * SendQ) or another door (which turns them into its own lines). Every method may be called
 * from any thread, never blocks and never reorders what one thread sends.
 */
public interface Outbox {
    /** The outbox of another node's client: that node tells it what it must hear. */
    Outbox ELSEWHERE = new Outbox() {
        @Override
        public void deliver(Outgoing message) {
        }

        @Override
        public void send(IrcMessage message) {
        }

        @Override
        public void sendBytes(byte[] line) {
        }

        @Override
        public void closed(String reason, boolean discardQueued) {
        }
    };

    /** A message relayed from another user (or the server), with the tags this recipient may see. */
    void deliver(Outgoing message);

    /** A reply or notice from the server to this client. */
    void send(IrcMessage message);

    /** An already formatted line, CRLF included (labels and batches added by the caller). */
    void sendBytes(byte[] line);

    /**
     * The client is gone: tell it {@code reason} and let its queued output drain, or, with
     * {@code discardQueued}, drop the output and the connection at once. Called once.
     */
    void closed(String reason, boolean discardQueued);

    /** Bytes waiting to be written to this client (for the operator's status; 0 where nothing waits). */
    default long queuedBytes() {
        return 0;
    }
}
