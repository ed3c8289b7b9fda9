package dev.parley.chat;

import dev.parley.protocol.Names;
import java.time.Instant;

/**
 * Reads the lines the UDP door sends (already cleaned with {@link Clean}): turns messages,
 * actions and notices into {@link Shown} values so the terminal can colour the nick, and picks
 * out the lines that tell the client its own nick and room. In plain mode every line prints
 * exactly as it arrived. Pure; any thread.
 */
final class UdpLines {
    private static final String PM = "[PM] ";
    private static final String JOINED = "-- joined ";
    private static final String RENAMED = "-- you are now known as ";
    private static final String TAKEN = " is taken; you are ";

    /** The join acknowledgement: the room and the nick the server gave us. */
    record Joined(String room, String nick) {
    }

    private UdpLines() {
    }

    /**
     * The token in the door's answer to a hello from an address it has not seen receive yet
     * ({@code ! say: hello alice <token>} or {@code ! token <token>}); null for any other line.
     */
    static String token(String line) {
        String rest;
        if (line.startsWith("! say: hello ")) {
            rest = line.substring("! say: hello ".length());
            int space = rest.lastIndexOf(' ');
            if (space <= 0) {
                return null;
            }
            rest = rest.substring(space + 1);
        } else if (line.startsWith("! token ")) {
            rest = line.substring("! token ".length());
        } else {
            return null;
        }
        return !rest.isEmpty() && rest.chars().allMatch(c -> c > ' ' && c < 0x7f) ? rest : null;
    }

    /** How {@code line} is shown. */
    static Shown shown(Instant time, String line) {
        boolean pm = line.startsWith(PM);
        String rest = pm ? line.substring(PM.length()) : line;
        Shown s = said(time, pm ? "PM" : null, rest);
        if (s != null) {
            return s;
        }
        if (!pm && line.startsWith("-- ")) {
            return Shown.status(time, line.substring(3));
        }
        if (!pm && line.startsWith("! ")) {
            return Shown.error(time, line.substring(2));
        }
        return Shown.line(time, line);
    }

    /** {@code <nick> text}, {@code * nick text} or {@code -nick- text}; null for anything else. */
    private static Shown said(Instant time, String where, String s) {
        if (s.startsWith("<")) {
            int end = s.indexOf("> ");
            return said(time, Shown.Kind.MESSAGE, where, s, 1, end, end + 2);
        }
        if (s.startsWith("* ")) {
            int end = s.indexOf(' ', 2);
            return said(time, Shown.Kind.ACTION, where, s, 2, end, end + 1);
        }
        if (s.startsWith("-") && !s.startsWith("--")) {
            int end = s.indexOf("- ", 1);
            return said(time, Shown.Kind.NOTICE, where, s, 1, end, end + 2);
        }
        return null;
    }

    private static Shown said(Instant time, Shown.Kind kind, String where, String s, int from, int end, int text) {
        if (end < 0) {
            return null;
        }
        String nick = s.substring(from, end);
        return isNick(nick) ? new Shown(time, kind, where, nick, s.substring(text), false) : null;
    }

    /** {@code -- joined #udp as alice; here: …}, or null. */
    static Joined joined(String line) {
        if (!line.startsWith(JOINED)) {
            return null;
        }
        String[] words = line.substring(JOINED.length()).split(" ", 4);
        if (words.length < 3 || !words[1].equals("as")) {
            return null;
        }
        String nick = words[2].endsWith(";") ? words[2].substring(0, words[2].length() - 1) : words[2];
        return isNick(nick) ? new Joined(words[0], nick) : null;
    }

    /** The new own nick from {@code -- you are now known as x} or {@code -- a is taken; you are b}, or null. */
    static String ownNick(String line) {
        String nick = null;
        if (line.startsWith(RENAMED)) {
            nick = line.substring(RENAMED.length());
        } else if (line.startsWith("-- ") && line.indexOf(TAKEN) > 3) {
            nick = line.substring(line.indexOf(TAKEN) + TAKEN.length());
        }
        return nick != null && isNick(nick) ? nick : null;
    }

    /** {@code -- bye (reason)}: the server has forgotten us. */
    static boolean isBye(String line) {
        return line.equals("-- bye") || line.startsWith("-- bye (");
    }

    private static boolean isNick(String s) {
        return Names.isValidNick(s, Prompter.MAX_NICK);
    }
}
