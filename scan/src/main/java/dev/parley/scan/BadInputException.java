package dev.parley.scan;

/** Input the scanner cannot use (a malformed port list or target); the message is one line for the user. */
final class BadInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInputException(String message) {
        super(message);
    }
}
