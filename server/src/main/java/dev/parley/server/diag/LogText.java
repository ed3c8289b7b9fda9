package dev.parley.server.diag;

/**
 * Makes text safe to write to a terminal or a log file: every control character — C0 (NUL to
 * US, CR and LF included), DEL, C1 (U+0080 to U+009F, among them the one-byte CSI) and with
 * them ESC — becomes a visible {@code \xNN}, so a nick, a QUIT reason or an OPER name can
 * neither clear the operator's screen, retitle the terminal, nor forge a log line. Everything
 * else (letters in any script, emoji) is kept. Pure; any thread.
 */
public final class LogText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private LogText() {
    }

    /** True for a character {@link #escape} replaces. */
    public static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }

    /** {@code text} with every control character written as {@code \xNN}; the same instance when there is none. */
    public static String escape(String text) {
        if (text == null) {
            return null;
        }
        int i = 0;
        int n = text.length();
        while (i < n && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == n) {
            return text;
        }
        StringBuilder sb = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (isControl(c)) {
                sb.append('\\').append('x').append(HEX[c >> 4]).append(HEX[c & 0xf]);
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Each line of {@code text} (split at {@code \n}, which is kept) escaped: for multi-line output the program itself made. */
    public static String escapeLines(String text) {
        if (text == null || text.indexOf('\n') < 0) {
            return escape(text);
        }
        String[] lines = text.split("\n", -1);
        StringBuilder sb = new StringBuilder(text.length() + 16);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(escape(lines[i]));
        }
        return sb.toString();
    }
}
