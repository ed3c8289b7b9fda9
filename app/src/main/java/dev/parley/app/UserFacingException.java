package dev.parley.app;

/** A failure to report in one line, without a stack trace. */
public final class UserFacingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int exitCode;

    public UserFacingException(String message) {
        this(message, Parley.EXIT_FAILURE);
    }

    public UserFacingException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
