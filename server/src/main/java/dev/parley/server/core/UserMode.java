package dev.parley.server.core;

/**
 * User modes: {@code i} invisible, {@code o} server operator, {@code w} receives WALLOPS,
 * {@code B} a bot (IRCv3 bot-mode: ISUPPORT {@code BOT=B}, the {@code bot} tag, WHO flag, 335).
 */
public final class UserMode {
    /** Every user mode letter, in bit order. */
    public static final String LETTERS = "iowB";
    /** The bot mode letter, also its WHO flag (ISUPPORT {@code BOT}). */
    public static final char BOT = 'B';

    private UserMode() {
    }
}
