package dev.parley.server.session;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outbox;
import dev.parley.server.core.Outgoing;
import dev.parley.server.diag.TrafficLog;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's way out: the client's {@link Outbox} and its bounded {@link SendQ} in one
 * object, so a delivery reaches the queue in one step. It formats what it is given for its
 * client (the tags it negotiated), holds back the replies of a labeled command while the
 * command runs ({@link LabeledReplies}), and closes the client when the queue overflows.
 *
 * <p>Threading: the {@link Outbox} methods may be called from any thread; {@link #capture} only
 * from the session's reader.
 */
final class SessionOutput extends SendQ implements Outbox {
    private final Hub hub;
    private final Transport transport;
    private final AtomicBoolean overflowed = new AtomicBoolean();
    private Client client;
    /** The labeled command running on the reader now; written and read by the reader only. */
    private LabeledReplies current;
    /** The thread running {@link #current}'s code right now; sends from it are captured. */
    private volatile Thread captureThread;

    /** The connection this output goes to (secure or not, its client certificate). */
    public Transport transport() {
        return transport;
    }

    SessionOutput(Hub hub, Transport transport, int limit, Runnable onReady) {
        super(limit, onReady);
        this.hub = hub;
        this.transport = transport;
    }

    /** The client this output belongs to; set once, right after the client joins the hub. */
    void attach(Client c) {
        client = c;
    }

    Hub hub() {
        return hub;
    }

    Client client() {
        return client;
    }

    /** The labeled command whose replies are held back from now on (null: none). Reader only. */
    LabeledReplies capture(LabeledReplies labeled) {
        LabeledReplies outer = current;
        current = labeled;
        captureThread = labeled == null ? null : Thread.currentThread();
        return outer;
    }

    @Override
    public void deliver(Outgoing message) {
        byte[] bytes = message.bytesFor(client);
        if (message.isMultiline() && captureThread == Thread.currentThread() && current != null) {
            // a labeled command's replies are held and tagged line by line
            for (byte[] line : Outgoing.splitLines(bytes)) {
                sendBytes(line);
            }
            return;
        }
        sendBytes(bytes); // several lines in one offer: nothing comes between them
    }

    @Override
    public void send(IrcMessage message) {
        sendBytes(IrcFormatter.toBytes(message));
    }

    @Override
    public void sendBytes(byte[] line) {
        if (captureThread == Thread.currentThread()) {
            LabeledReplies labeled = current;
            if (labeled != null && !labeled.isStreaming() && hub.lock().isHeldByCurrentThread()) {
                labeled.startStreaming(this); // a line queued under the hub lock must not wait (see LabeledReplies)
            }
            if (labeled != null && labeled.isStreaming()) {
                labeled.stream(this, line);
                return;
            }
            if (labeled != null) {
                labeled.bytes += line.length;
                if (labeled.bytes > limit()) {
                    overflow(); // as the SendQ would have, had the replies gone straight to it
                    return;
                }
                labeled.captured.add(line);
                return;
            }
        }
        enqueue(line);
    }

    /** Queues a line for the writer, past any label capture. */
    void enqueue(byte[] line) {
        switch (offer(line)) {
            case QUEUED -> {
                hub.stats().lineOut();
                if (TrafficLog.isEnabled()) {
                    TrafficLog.sent(client.id(), client.describe(), line);
                }
            }
            case CLOSED -> {
            }
            case OVERFLOW -> overflow();
        }
    }

    private void overflow() {
        if (overflowed.compareAndSet(false, true)) {
            hub.stats().sendQDropped();
            // the sender may be anyone's reader: do the slow part elsewhere
            hub.defer(() -> client.close("SendQ exceeded", true, true));
        }
    }

    @Override
    public void closed(String reason, boolean discardQueued) {
        byte[] error = ("ERROR :Closing Link: " + hub.serverName() + " (" + reason + ")\r\n").getBytes(StandardCharsets.UTF_8);
        if (TrafficLog.isEnabled()) {
            TrafficLog.sent(client.id(), client.describe(), error);
        }
        closeWith(error, discardQueued);
        if (discardQueued) {
            transport.abort();
        } else {
            hub.schedule(transport::abort, hub.config().shutdownGrace());
        }
    }
}
