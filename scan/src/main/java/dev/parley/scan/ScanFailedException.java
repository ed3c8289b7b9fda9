package dev.parley.scan;

/** The scan could not go on for a local reason (it cannot open sockets); the message is one line for the user. */
final class ScanFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ScanFailedException(String message) {
        super(message);
    }
}
