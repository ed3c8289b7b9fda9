package dev.parley.server.session;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
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

    LabeledReplies(String label) {
        this.label = label;
    }

    boolean isStreaming() {
        return streaming != null;
    }

    /** True when a formatted line already carries a {@code batch} tag. */
    static boolean hasBatchTag(byte[] line) {
        if (line.length == 0 || line[0] != '@') {
            return false;
        }
        for (int i = 1; i + 6 <= line.length && line[i] != ' '; i++) {
            if ((line[i - 1] == '@' || line[i - 1] == ';') && line[i] == 'b' && line[i + 1] == 'a' && line[i + 2] == 't'
                    && line[i + 3] == 'c' && line[i + 4] == 'h' && line[i + 5] == '=') {
                return true;
            }
        }
        return false;
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
            out.enqueue(hasBatchTag(line) ? line : Outgoing.withTag(line, "batch", streaming));
        }
    }

    /** Sends what the command produced: ACK, one labeled line, or a labeled batch (or closes it). Reader only. */
    void finish(SessionOutput out) {
        String server = out.hub().serverName();
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
