package dev.parley.server.store;

/**
 * One stored message. {@code seq} orders a target's history; {@code target} is the case-folded
 * channel name or a private conversation key; {@code recipient} is the target as it was sent.
 *
 * <p>{@code tags} are the client-only tags relayed with it, as a message-tags tag section
 * without the {@code @} (null: none). A draft/multiline message is one entry: {@code body}
 * holds its lines joined by line feeds and {@code lineJoins} one character per line, {@code c}
 * for a line that continues the previous one with no line feed, {@code n} for one that does
 * not (null: one line). A TAGMSG has an empty body.
 *
 * <p>A redaction is stored as an entry of its own, {@code command} REDACT, in the history of
 * the target of the message it deleted: {@code sender}, {@code account}, {@code msgid} and
 * {@code sentAtMillis} are the redactor's and the redaction's, and {@code body} is the
 * redacted msgid, then a space and the reason if there is one.
 */
public record HistoryEntry(long seq, String target, String msgid, long sentAtMillis, String sender, String account,
                           String command, String recipient, String body, String tags, String lineJoins) {

    /** A one-line message without client-only tags. */
    public HistoryEntry(long seq, String target, String msgid, long sentAtMillis, String sender, String account,
                        String command, String recipient, String body) {
        this(seq, target, msgid, sentAtMillis, sender, account, command, recipient, body, null, null);
    }

    /** Whether this is a draft/multiline message of several lines. */
    public boolean isMultiline() {
        return lineJoins != null;
    }
}
