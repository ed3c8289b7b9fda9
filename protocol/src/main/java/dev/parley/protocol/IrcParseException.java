package dev.parley.protocol;

/** A line that is not a valid IRC message; the message says why, in words fit for a client. */
public final class IrcParseException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What was wrong, so a server can choose the reply. */
    public enum Reason { EMPTY, TAGS_TOO_LONG, BODY_TOO_LONG, BAD_TAGS, BAD_SOURCE, BAD_COMMAND, FORBIDDEN_CHARACTER }

    private final Reason reason;

    public IrcParseException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
