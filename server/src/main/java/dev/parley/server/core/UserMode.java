package dev.parley.server.core;

/** User modes: {@code i} invisible, {@code o} server operator, {@code w} receives WALLOPS. */
public final class UserMode {
    /** Every user mode letter, in bit order. */
    public static final String LETTERS = "iow";

    private UserMode() {
    }
}
