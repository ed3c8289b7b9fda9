package dev.parley.chat;

import java.time.Instant;

/**
 * One thing to show the user, before it is turned into plain text or coloured terminal text.
 * Immutable; made and rendered on the chat loop thread.
 *
 * @param time    when it happened (the server's {@code time} tag when there is one)
 * @param kind    what it is
 * @param where   a channel, {@code PM}, {@code PM -> nick}, or null
 * @param nick    who said it, for messages; null otherwise
 * @param text    the text
 * @param history true when it is replayed history rather than live
 */
record Shown(Instant time, Kind kind, String where, String nick, String text, boolean history) {
    /** The closed set of kinds; each renders differently. */
    enum Kind {
        /** Someone's message: {@code [#chan] <nick> text}. */
        MESSAGE,
        /** A CTCP ACTION: {@code [#chan] * nick text}. */
        ACTION,
        /** A notice: {@code [where] -nick- text}. */
        NOTICE,
        /** Something that happened: joins, parts, nick changes, topics: {@code * text}. */
        EVENT,
        /** Information from the server (MOTD, replies): {@code - text}. */
        INFO,
        /** An error reply or a local mistake: {@code ! text}. */
        ERROR,
        /** The connection's state: connecting, lost, reconnecting: {@code -- text}. */
        STATUS,
        /** A line shown as the server wrote it, without a prefix of the client's (UDP mode). */
        LINE
    }

    static Shown event(Instant time, String text) {
        return new Shown(time, Kind.EVENT, null, null, text, false);
    }

    static Shown info(Instant time, String text) {
        return new Shown(time, Kind.INFO, null, null, text, false);
    }

    static Shown error(Instant time, String text) {
        return new Shown(time, Kind.ERROR, null, null, text, false);
    }

    static Shown status(Instant time, String text) {
        return new Shown(time, Kind.STATUS, null, null, text, false);
    }

    static Shown line(Instant time, String text) {
        return new Shown(time, Kind.LINE, null, null, text, false);
    }

    Shown asHistory() {
        return new Shown(time, kind, where, nick, text, true);
    }
}
