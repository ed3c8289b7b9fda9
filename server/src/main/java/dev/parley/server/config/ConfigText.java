package dev.parley.server.config;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks of the text settings that reach the wire or the logs (names, ADMIN lines, operator
 * masks and vhosts). A bad value is refused with an {@link IllegalArgumentException} naming the
 * setting; the value is quoted with its control characters written as {@code \xNN}, so the
 * message itself is safe to print.
 */
final class ConfigText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** A host name: letters, digits, dots, hyphens (and colons, for an IPv6-style host), starting with a letter or digit. */
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]*");
    /** The longest host name (RFC 1035). */
    static final int MAX_HOST = 253;
    /** The longest free-text setting (an ADMIN line): it must fit in one IRC line with its numeric. */
    static final int MAX_FREE_TEXT = 300;

    private ConfigText() {
    }

    /** True for C0 (CR, LF, NUL, ESC…), DEL and C1 characters. */
    static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** {@code value} in quotes, each control character written as {@code \xNN}. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (isControl(c)) {
                sb.append('\\').append('x').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    private static boolean hasControl(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (isControl(value.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasSpace(String value) {
        return value.codePoints().anyMatch(cp -> Character.isWhitespace(cp) || Character.isSpaceChar(cp));
    }

    /** Free text shown to clients (an ADMIN line): any length up to {@link #MAX_FREE_TEXT}, no control characters. */
    static void freeText(String what, String value) {
        if (hasControl(value)) {
            throw new IllegalArgumentException(what + " must not contain control characters (a newline, a tab…): "
                    + quote(value));
        }
        if (value.length() > MAX_FREE_TEXT) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_FREE_TEXT + " characters, not "
                    + value.length());
        }
    }

    /** One word: not empty, no spaces, no control characters, at most {@code max} characters. */
    static void word(String what, String value, int max) {
        if (value.isEmpty() || hasControl(value) || hasSpace(value)) {
            throw new IllegalArgumentException(what + " must be one word, without spaces or control characters: "
                    + quote(value));
        }
        if (value.length() > max) {
            throw new IllegalArgumentException(what + " must be at most " + max + " characters, not " + value.length());
        }
    }

    /** A host name: letters, digits, dots, hyphens and colons, starting with a letter or digit. */
    static void hostName(String what, String value) {
        if (!HOST.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " must be a host name (letters, digits, dots, hyphens), not "
                    + quote(value));
        }
        if (value.length() > MAX_HOST) {
            throw new IllegalArgumentException(what + " must be at most " + MAX_HOST + " characters, not "
                    + value.length());
        }
    }

    /** Each of {@code values} is {@linkplain #word one word}. */
    static void words(String what, List<String> values, int max) {
        for (String v : values) {
            if (v == null) {
                throw new IllegalArgumentException(what + " must not be empty");
            }
            word(what, v, max);
        }
    }
}
