package dev.parley.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A batch the client opened ({@code BATCH +ref draft/multiline target}) and has not closed: the
 * lines gathered so far, to be delivered as one message when it closes. Once it failed (a limit
 * passed, a wrong target) its further lines are dropped until it closes.
 *
 * <p>Threading: the session's reader only.
 */
public final class ClientBatch {
    private final String ref;
    private final String target;
    private final Map<String, String> clientTags;
    private final String label;
    private final List<String> lines = new ArrayList<>();
    private final List<Boolean> concat = new ArrayList<>();
    private String command;
    private int bytes;
    private boolean failed;

    /**
     * @param clientTags the client-only tags sent on the opening BATCH, relayed with the message
     * @param label      the opening BATCH's label, answered when the batch closes (null: none)
     */
    public ClientBatch(String ref, String target, Map<String, String> clientTags, String label) {
        this.ref = ref;
        this.target = target;
        this.clientTags = Map.copyOf(clientTags);
        this.label = label;
    }

    public String ref() {
        return ref;
    }

    public String target() {
        return target;
    }

    public Map<String, String> clientTags() {
        return clientTags;
    }

    public String label() {
        return label;
    }

    /** PRIVMSG or NOTICE: the command of the first line (null before it). */
    public String command() {
        return command;
    }

    public List<String> lines() {
        return lines;
    }

    public List<Boolean> concat() {
        return concat;
    }

    /** Bytes of text so far, a line feed counted between lines that do not concatenate. */
    public int bytes() {
        return bytes;
    }

    public boolean failed() {
        return failed;
    }

    /** From now on the batch's lines are dropped (an error was sent). */
    public void fail() {
        failed = true;
        lines.clear();
        concat.clear();
    }

    /** Adds a line of {@code utf8Bytes} bytes of text. */
    public void add(String command, String text, int utf8Bytes, boolean joinsPrevious) {
        if (this.command == null) {
            this.command = command;
        }
        bytes += utf8Bytes + (lines.isEmpty() || joinsPrevious ? 0 : 1);
        lines.add(text);
        concat.add(!lines.isEmpty() && joinsPrevious && lines.size() > 1);
    }

    /** The bytes the batch would hold with one more line of {@code utf8Bytes}. */
    public int bytesWith(int utf8Bytes, boolean joinsPrevious) {
        return bytes + utf8Bytes + (lines.isEmpty() || joinsPrevious ? 0 : 1);
    }

    /**
     * Whether a raw line belongs to this open batch: it is tagged with its reference, or it is
     * the {@code BATCH -ref} that closes it. Such lines pass flood control free, so the whole
     * message costs what one line does; a failed batch's lines do not.
     */
    boolean carries(String line) {
        if (failed) {
            return false;
        }
        int i = 0;
        if (line.startsWith("@")) {
            int space = line.indexOf(' ');
            String tagSection = space < 0 ? line : line.substring(1, space);
            for (String tag : tagSection.split(";")) {
                if (tag.equals("batch=" + ref)) {
                    return true;
                }
            }
            i = space < 0 ? line.length() : space + 1;
        }
        return line.regionMatches(true, i, "BATCH -" + ref, 0, 7 + ref.length())
                && (line.length() == i + 7 + ref.length() || line.charAt(i + 7 + ref.length()) == ' ');
    }
}
