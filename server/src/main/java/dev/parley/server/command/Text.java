package dev.parley.server.command;

import dev.parley.server.core.Client;

/** Checks and trims for text users set: topics, away messages, kick reasons. */
final class Text {
    /** IRC text formatting (bold, colour, italics, underline, strike-through, monospace, reverse, reset). */
    private static final String FORMATTING = "\u0002\u0003\u000f\u0011\u0016\u001d\u001e\u001f";

    private Text() {
    }

    /** {@code s} cut to {@code max} characters, never between the two halves of a surrogate pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    /**
     * True when {@code s} holds a control character other than text formatting: text that stays
     * on screen (topics, away messages, kick reasons) may not carry bells, escapes or CTCP marks.
     */
    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ((ch < 0x20 && FORMATTING.indexOf(ch) < 0) || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Refuses text with control characters: {@code FAIL <command> INVALID_TEXT}. Returns true when refused. */
    static boolean refuseControlCharacters(Client c, String command, String text) {
        if (!hasControlCharacters(text)) {
            return false;
        }
        c.serverMessage("FAIL", command, "INVALID_TEXT", "Control characters are not allowed here");
        return true;
    }
}
