package dev.parley.server.session;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import java.nio.charset.StandardCharsets;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Outgoing;
import java.util.ArrayList;
import java.util.List;

/**
 * A labeled command's replies. They are held until the command and all its offloaded parts are
 * done, so one reply goes out as one labeled line and none as an {@code ACK} — until the
 * command sends a line that must not wait: one queued under the hub lock (a joiner's own JOIN,
 * a client's own NICK), whose place among the lines others send this client is its meaning.
 * From then on the replies stream: the labeled batch opens at once, what was held goes into
 * it, and every later reply follows as it is made.
 *
 * <p>Threading: the session's reader only.
 */
final class LabeledReplies {
    final String label;
    final List<byte[]> captured = new ArrayList<>(4);
    /** Parts still running or to run: the command itself, then each offloaded continuation. */
    int pending = 1;
    /** Bytes captured so far; a command may not hold more than its client's SendQ could. */
    long bytes;
    /** Streaming: the open labeled batch's reference, or "" when streaming without a batch; null while holding. */
    private String streaming;
    /** The label was handed on to a later command (a client batch answered when it closes): send nothing. */
    boolean detached;

    LabeledReplies(String label) {
        this.label = label;
    }

    boolean isStreaming() {
        return streaming != null;
    }

    /** Whether {@code lines} are one draft/multiline batch: its opening line, lines in it, its closing line. */
    static boolean isOneMultilineBatch(List<byte[]> lines) {
        IrcMessage open = parse(lines.get(0));
        IrcMessage close = parse(lines.get(lines.size() - 1));
        if (open == null || close == null || !open.command().equals("BATCH") || open.paramCount() < 2
                || !open.param(0).startsWith("+") || !open.param(1).equals("draft/multiline")
                || open.tags().containsKey("batch") || !close.command().equals("BATCH")
                || !close.param(0).equals("-" + open.param(0).substring(1))) {
            return false;
        }
        for (int i = 1; i < lines.size() - 1; i++) {
            if (!Outgoing.hasBatchTag(lines.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static IrcMessage parse(byte[] line) {
        try {
            int end = line.length;
            while (end > 0 && (line[end - 1] == '\n' || line[end - 1] == '\r')) {
                end--;
            }
            return IrcParser.parseLine(new String(line, 0, end, StandardCharsets.UTF_8));
        } catch (IrcParseException e) {
            return null;
        }
    }


    /**
     * Stops holding: opens the labeled batch (or, for a client without {@code batch}, labels the
     * first line) and sends what was held, in order.
     */
    void startStreaming(SessionOutput out) {
        if (streaming != null) {
            return;
        }
        if (out.client().hasCap(Cap.BATCH)) {
            String ref = out.hub().nextBatchId();
            out.enqueue(Outgoing.withTag(IrcFormatter.toBytes(
                    IrcMessage.from(out.hub().serverName(), "BATCH", "+" + ref, "labeled-response")), "label", label));
            streaming = ref;
        } else {
            streaming = "";
            if (!captured.isEmpty()) {
                out.enqueue(Outgoing.withTag(captured.remove(0), "label", label));
            }
        }
        for (byte[] line : captured) {
            stream(out, line);
        }
        captured.clear();
    }

    /** Sends one reply of a streaming command. */
    void stream(SessionOutput out, byte[] line) {
        if (streaming.isEmpty()) {
            out.enqueue(line);
        } else {
            // a line of a batch nested in this one (history) keeps its own batch tag
            out.enqueue(Outgoing.hasBatchTag(line) ? line : Outgoing.withTag(line, "batch", streaming));
        }
    }

    /** Sends what the command produced: ACK, one labeled line, or a labeled batch (or closes it). Reader only. */
    void finish(SessionOutput out) {
        String server = out.hub().serverName();
        if (detached) {
            for (byte[] line : captured) {
                out.enqueue(line);
            }
            captured.clear();
            return;
        }
        if (streaming == null && captured.size() > 1 && isOneMultilineBatch(captured)) {
            // the draft/multiline specification: with echo-message the label goes on the opening BATCH
            out.enqueue(Outgoing.withTag(captured.get(0), "label", label));
            for (int i = 1; i < captured.size(); i++) {
                out.enqueue(captured.get(i));
            }
            return;
        }
        if (streaming != null) {
            if (!streaming.isEmpty()) {
                out.enqueue(IrcFormatter.toBytes(IrcMessage.from(server, "BATCH", "-" + streaming)));
            }
        } else if (captured.isEmpty()) {
            out.enqueue(Outgoing.withTag(IrcFormatter.toBytes(IrcMessage.from(server, "ACK")), "label", label));
        } else if (captured.size() == 1) {
            out.enqueue(Outgoing.withTag(captured.get(0), "label", label));
        } else {
            startStreaming(out);
            finish(out);
        }
    }
}
