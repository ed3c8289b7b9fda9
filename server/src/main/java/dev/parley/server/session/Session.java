package dev.parley.server.session;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import dev.parley.protocol.Numerics;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outbox;
import dev.parley.server.diag.TrafficLog;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's pipeline: bytes in → lines ({@link LineDecoder}) → flood pacing → parsed
 * messages → the {@link Dispatcher}; and the way out: replies and deliveries → formatted
 * lines → the bounded {@link SendQ} the engine's writer drains. The user behind the
 * connection is the {@link Client}; this class holds only what belongs to the connection.
 *
 * <p>Threading: {@link #onBytes}, {@link #endOfInput} and everything they call (parsing,
 * command handlers, the continuations of {@link #offload}) run on the connection's reader, one
 * at a time and in order. What goes out goes through the {@link SessionOutput}, from any thread.
 *
 * <p>A labeled command's replies belong to the command, not to a thread: they are captured
 * while the command runs on the reader and again while each of its offloaded continuations
 * runs, and go out (ACK, one labeled line or a labeled batch) once the last part is done.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");

    private final Hub hub;
    private final Client client;
    private final Dispatcher dispatcher;
    private final Transport transport;
    private final SessionOutput output;
    private final LineDecoder decoder;
    private final IrcParser parser;
    private final FloodControl flood;
    private final Registration registration = new Registration();
    private final ConnectionGate gate;
    private long linesIn;
    /** Offloaded parts not yet done (the one running and those waiting their turn); reader only. */
    private int offloads;
    /** Whether the client certificate's fingerprint was read from the transport (at the first line). Reader only. */
    private boolean certChecked;
    /** Offloaded parts waiting for the one running to finish; created on first use; reader only. */
    private ArrayDeque<Runnable> waitingOffloads;
    /** The command now running on the reader, when it is labeled; reader only. */
    private LabeledReplies current;
    /** The batch this client has open (draft/multiline), or null; reader only. */
    private ClientBatch clientBatch;

    Session(Hub hub, Dispatcher dispatcher, IrcParser parser, Transport transport, Runnable onOutputReady,
            ConnectionGate gate) {
        this.hub = hub;
        this.gate = gate;
        this.dispatcher = dispatcher;
        this.transport = transport;
        this.parser = parser;
        ServerConfig cfg = hub.config();
        this.output = new SessionOutput(hub, transport, cfg.sendQBytes(), onOutputReady);
        this.decoder = new LineDecoder(cfg.maxTagBytes() + 1 + cfg.maxLineBytes());
        this.client = hub.connect(output, transport.remoteAddress(), transport.isSecure());
        output.attach(client);
        this.flood = new FloodControl(this, hub.trusted().contains(transport.remoteAddress()));
    }

    public Client client() {
        return client;
    }

    public Hub hub() {
        return hub;
    }

    /** The gate that admitted this connection (WEBIRC asks it about the user behind a gateway). */
    public ConnectionGate gate() {
        return gate;
    }

    public SendQ sendQ() {
        return output;
    }

    public Transport transport() {
        return transport;
    }

    /** Registration progress (CAP negotiation, PASS, SASL); reader only. */
    public Registration registration() {
        return registration;
    }

    /** Lines received. Reader only. */
    public long linesIn() {
        return linesIn;
    }

    // ---- input (reader thread only) ----

    /** Feeds bytes read from the socket. Runs on the connection's reader. */
    public void onBytes(byte[] data, int off, int len) {
        decoder.feed(data, off, len, this::onFrame);
    }

    /** Feeds bytes read from the socket. Runs on the connection's reader. */
    public void onBytes(ByteBuffer data) {
        decoder.feed(data, this::onFrame);
    }

    /** Bytes of an unfinished line held by the decoder. */
    public int pendingInputBytes() {
        return decoder.buffered();
    }

    private void onFrame(LineDecoder.Frame frame) {
        if (client.isClosing()) {
            return;
        }
        if (!certChecked) {
            // a TLS handshake ends before the first line can arrive, not before the session exists
            certChecked = true;
            client.setCertFingerprint(transport.certFingerprint());
        }
        client.touch(hub.now()); // arriving counts, even when the command must wait
        flood.offer(frame);
    }

    /**
     * The peer closed its side of the connection. Commands that flood control is still holding
     * run first, at their pace (a script that pipes many lines and a QUIT loses none of them);
     * then the client quits with {@code reason}. Returns true when it quit at once. Reader only.
     */
    public boolean endOfInput(String reason) {
        return flood.endOfInput(reason);
    }

    /** Handles one frame flood control let through. Reader only. */
    void handle(LineDecoder.Frame frame) {
        switch (frame) {
            case LineDecoder.Frame.Line line -> onLine(line.text(), line.malformed());
            case LineDecoder.Frame.Overlong o -> client.numeric(Numerics.ERR_INPUTTOOLONG, "Input line was too long");
        }
    }

    private void onLine(String line, boolean malformed) {
        if (TrafficLog.isEnabled()) {
            TrafficLog.received(client.id(), client.describe(), line);
        }
        linesIn++;
        hub.stats().lineIn();
        if (malformed && hub.config().utf8Only()) {
            refuseInvalidUtf8(line);
            return;
        }
        IrcMessage msg;
        try {
            msg = parser.parse(line);
        } catch (IrcParseException e) {
            switch (e.reason()) {
                case TAGS_TOO_LONG, BODY_TOO_LONG -> client.numeric(Numerics.ERR_INPUTTOOLONG, "Input line was too long");
                case FORBIDDEN_CHARACTER -> client.serverMessage("FAIL", "*", "INVALID_CHARACTERS",
                        "Line ignored: it holds a NUL or a CR that does not end the line");
                case BAD_TAGS, BAD_SOURCE, BAD_COMMAND -> client.serverMessage("FAIL", "*", "INVALID_LINE",
                        "Line ignored: " + e.getMessage());
                case EMPTY -> {
                    // nothing to answer
                }
            }
            return;
        }
        runAnswering(msg, () -> {
            try {
                dispatcher.dispatch(this, msg);
            } catch (dev.parley.server.core.Network.NetworkUnavailableException e) {
                client.serverMessage("FAIL", msg.command(), "TEMPORARILY_UNAVAILABLE",
                        "The network is not answering; try again shortly");
            } catch (RuntimeException e) {
                LOG.error("command {} from {} failed", msg.command(), client.describe(), e);
                client.numeric(Numerics.ERR_UNKNOWNERROR, msg.command(), "Internal error handling this command");
            }
        });
    }

    /** Runs {@code code} answering {@code msg}: under its label when it has one (null: no label). */
    private void runAnswering(IrcMessage msg, Runnable code) {
        String wanted = msg != null && client.hasCap(Cap.LABELED_RESPONSE) ? msg.tags().get("label") : null;
        answerAs(wanted, code);
    }

    /**
     * Runs {@code code} as the answer to a command labeled {@code label} (null or empty: none):
     * its replies go out as that command's would. Reader only.
     */
    public void answerAs(String label, Runnable code) {
        LabeledReplies labeled = label != null && !label.isEmpty() ? new LabeledReplies(label) : null;
        runFor(labeled, code);
        if (labeled != null && --labeled.pending == 0) {
            labeled.finish(output);
        }
    }

    /**
     * Takes the label of the command running now, if it has one and has answered nothing yet:
     * that command then sends no ACK, and a later part (see {@link #answerAs}) answers under the
     * label — a client batch is answered when it closes. Null when there is none. Reader only.
     */
    public String detachLabel() {
        LabeledReplies l = current;
        if (l == null || l.isStreaming() || !l.captured.isEmpty() || l.pending != 1) {
            return null;
        }
        l.detached = true;
        return l.label;
    }

    /** The batch this client has open, or null. Reader only. */
    public ClientBatch clientBatch() {
        return clientBatch;
    }

    /** Opens (a batch) or closes (null) this client's batch. Reader only. */
    public void setClientBatch(ClientBatch batch) {
        clientBatch = batch;
    }

    /** Whether {@code frame} is a line of the client's open batch (it passes flood control free). Reader only. */
    boolean inClientBatch(LineDecoder.Frame frame) {
        return clientBatch != null && frame instanceof LineDecoder.Frame.Line line && clientBatch.carries(line.text());
    }

    /**
     * UTF8ONLY: a line that was not valid UTF-8 is answered {@code FAIL <command> INVALID_UTF8}
     * (labeled, when it was) and not run. The command is read from the line as decoded, with
     * U+FFFD in place of each bad sequence; {@code *} when even that does not parse.
     */
    private void refuseInvalidUtf8(String line) {
        IrcMessage msg;
        try {
            msg = parser.parse(line);
        } catch (IrcParseException e) {
            msg = null;
        }
        String command = msg == null ? "*" : msg.command();
        runAnswering(msg, () -> client.serverMessage("FAIL", command, "INVALID_UTF8",
                "Message rejected, your IRC software MUST use UTF-8 encoding on this network"));
    }

    /** Runs {@code part} of the command {@code labeled} (or of an unlabeled one, when null). Reader only. */
    private void runFor(LabeledReplies labeled, Runnable part) {
        LabeledReplies outer = current;
        current = labeled;
        output.capture(labeled);
        try {
            part.run();
        } finally {
            current = outer;
            output.capture(outer);
        }
    }

    // ---- blocking work (reader thread only) ----

    /**
     * Runs blocking {@code work} off the reader, then {@code then} on the reader. Until then, this
     * client's further input waits, so commands still take effect in the order they were sent.
     * What {@code then} sends belongs to the command that called this (its label included).
     */
    @SuppressWarnings("unchecked")
    public <T> void offload(Supplier<T> work, Consumer<T> then) {
        LabeledReplies labeled = current;
        if (labeled != null) {
            labeled.pending++;
        }
        Runnable start = () -> {
            Object[] result = new Object[1];
            RuntimeException[] failure = new RuntimeException[1];
            transport.offload(() -> {
                try {
                    result[0] = work.get();
                } catch (RuntimeException e) {
                    failure[0] = e;
                }
            }, () -> {
                try {
                    runFor(labeled, () -> {
                        if (failure[0] != null) {
                            LOG.error("blocking work for {} failed", client.describe(), failure[0]);
                            client.numeric(Numerics.ERR_UNKNOWNERROR, "*", "Internal error; please try again");
                        } else {
                            then.accept((T) result[0]);
                        }
                    });
                } finally {
                    if (labeled != null && --labeled.pending == 0) {
                        labeled.finish(output);
                    }
                    offloadDone();
                }
            });
        };
        if (offloads++ == 0) {
            flood.suspend();
            transport.pauseReading(true);
            start.run();
        } else {
            // one at a time, in the order asked (JOIN #a,#b replays #a's history, then #b's)
            if (waitingOffloads == null) {
                waitingOffloads = new ArrayDeque<>(2);
            }
            waitingOffloads.add(start);
        }
    }

    /** Whether blocking work asked for by this client is still running or waiting. Reader only. */
    public boolean offloading() {
        return offloads > 0;
    }

    /** One offloaded part is done: start the next waiting one, or let input flow again. Reader only. */
    private void offloadDone() {
        if (--offloads > 0) {
            waitingOffloads.poll().run();
            return;
        }
        transport.pauseReading(false);
        flood.resume();
    }

    // ---- output ----

    /** Queues a line for the writer, past any label capture. Reader only (labeled replies). */
    void enqueue(byte[] line) {
        output.enqueue(line);
    }

    @Override
    public String toString() {
        return "Session[" + client + "]";
    }

}
