package dev.parley.server.session;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Outgoing;
import java.util.ArrayList;
import java.util.List;

/** A labeled command's replies, held until the command and all its offloaded parts are done. */
final class LabeledReplies {
    final String label;
    final List<byte[]> captured = new ArrayList<>(4);
    /** Parts still running or to run: the command itself, then each offloaded continuation. */
    int pending = 1;
    /** Bytes captured so far; a command may not hold more than its client's SendQ could. */
    long bytes;

    LabeledReplies(String label) {
        this.label = label;
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

    /** Sends what the command produced: ACK, one labeled line, or a labeled batch. Reader only. */
    void finish(Session s) {
        String server = s.hub().serverName();
        if (captured.isEmpty()) {
            s.enqueue(Outgoing.withTag(IrcFormatter.toBytes(IrcMessage.from(server, "ACK")), "label", label));
        } else if (captured.size() == 1) {
            s.enqueue(Outgoing.withTag(captured.get(0), "label", label));
        } else if (s.client().hasCap(Cap.BATCH)) {
            String ref = s.hub().nextBatchId();
            s.enqueue(Outgoing.withTag(IrcFormatter.toBytes(
                    IrcMessage.from(server, "BATCH", "+" + ref, "labeled-response")), "label", label));
            for (byte[] line : captured) {
                // a line of a batch nested in this one (history) keeps its own batch tag
                s.enqueue(hasBatchTag(line) ? line : Outgoing.withTag(line, "batch", ref));
            }
            s.enqueue(IrcFormatter.toBytes(IrcMessage.from(server, "BATCH", "-" + ref)));
        } else {
            captured.forEach(s::enqueue);
        }
    }
}
