package dev.parley.chat;

/**
 * Makes text from the network safe to print: drops mIRC formatting codes (bold, colour
 * with its digits, italics, underline, reverse, reset…) and every other control character, so
 * no one can move the cursor or change the terminal with a message. Pure; any thread.
 */
final class Clean {
    private static final char COLOR = 0x03;
    private static final char HEX_COLOR = 0x04;

    private Clean() {
    }

    static String text(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c < 0xa0);
            if (!control) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            if (out == null) {
                out = new StringBuilder(s.length()).append(s, 0, i);
            }
            if (c == '\t') {
                out.append(' ');
            } else if (c == COLOR) {
                i = skipColor(s, i, 2, Clean::isDigit);
            } else if (c == HEX_COLOR) {
                i = skipColor(s, i, 6, Clean::isHex);
            }
        }
        return out == null ? s : out.toString();
    }

    /** Skips {@code fg[,bg]} after a colour code; returns the index of the last skipped char. */
    private static int skipColor(String s, int at, int width, CharTest digit) {
        int i = skipDigits(s, at + 1, width, digit);
        if (i > at + 1 && i + 1 < s.length() && s.charAt(i) == ',' && digit.test(s.charAt(i + 1))) {
            i = skipDigits(s, i + 1, width, digit);
        }
        return i - 1;
    }

    private static int skipDigits(String s, int from, int width, CharTest digit) {
        int i = from;
        while (i < s.length() && i - from < width && digit.test(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }

    @FunctionalInterface
    private interface CharTest {
        boolean test(char c);
    }
}
