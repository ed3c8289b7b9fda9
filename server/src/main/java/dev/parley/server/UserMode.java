package dev.parley.server;

/** User modes: {@code i} invisible, {@code o} server operator, {@code w} receives WALLOPS. */
final class UserMode {
    /** Every user mode letter, in bit order. */
    static final String LETTERS = "iow";

    private UserMode() {
    }
}
