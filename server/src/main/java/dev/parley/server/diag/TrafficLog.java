package dev.parley.server.diag;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --log-traffic}: every line a client sends and every line queued for it, on the
 * {@code parley.traffic} logger, with secrets replaced by {@value #REDACTED}: the parameters of
 * {@code PASS}, {@code AUTHENTICATE} and {@code CHALLENGE}, the password of {@code OPER}, all
 * but the account of the draft {@code REGISTER} and {@code VERIFY}, and everything said to
 * NickServ ({@code NS}, {@code NICKSERV}, and {@code PRIVMSG}/{@code NOTICE}/{@code SQUERY} to
 * {@code NickServ} or {@code NS}: {@code IDENTIFY}, {@code REGISTER}, {@code SET PASSWORD},
 * {@code DROP}, {@code GHOST}, {@code REGAIN} all carry passwords).
 *
 * <p>Off by default. While off, the message path pays one read of a plain static flag per
 * line, which the JIT hoists out of fan-out loops. It is a process-wide switch, set before any
 * server starts: starting the server's threads publishes it to them.
 */
public final class TrafficLog {
    private static final Logger LOG = LoggerFactory.getLogger("parley.traffic");
    /** What a secret is replaced with. */
    public static final String REDACTED = "<redacted>";

    /** Read on every line without a memory barrier; written before the server's threads start. */
    static boolean enabled;

    private TrafficLog() {
    }

    /** Turns traffic logging on or off for servers started after this call, in this process. */
    public static void setEnabled(boolean on) {
        enabled = on;
    }

    public static boolean isEnabled() {
        return enabled;
    }

    /** A line received from the client (without its line ending). */
    public static void received(long id, String who, String line) {
        LOG.info("{} {} <- {}", id, who, redact(line));
    }

    /** A formatted line (with CRLF) queued for the client. */
    public static void sent(long id, String who, byte[] line) {
        int len = line.length;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            len--;
        }
        LOG.info("{} {} -> {}", id, who, redact(new String(line, 0, len, StandardCharsets.UTF_8)));
    }

    /**
     * {@code line} with its secrets replaced; tags, source and command are kept. Works on raw
     * lines, so it never fails on malformed input.
     */
    public static String redact(String line) {
        int i = 0;
        int n = line.length();
        if (i < n && line.charAt(i) == '@') {
            i = skipSpaces(line, wordEnd(line, i));
        }
        boolean fromNickServ = false;
        if (i < n && line.charAt(i) == ':') {
            fromNickServ = line.regionMatches(true, i, ":NickServ!", 0, 10);
            i = skipSpaces(line, wordEnd(line, i));
        }
        int commandEnd = wordEnd(line, i);
        String command = line.substring(i, commandEnd).toUpperCase(Locale.ROOT);
        int params = skipSpaces(line, commandEnd);
        if (params >= n) {
            return line;
        }
        return switch (command) {
            case "PASS", "AUTHENTICATE", "CHALLENGE", "NS", "NICKSERV" -> line.substring(0, params) + REDACTED;
            case "OPER", "REGISTER", "VERIFY" -> keepFirstParam(line, params);
            // NickServ's answers may hold a session token (TOKENS NEW)
            case "PRIVMSG", "NOTICE", "SQUERY" -> fromNickServ || toNickServ(line, params) ? keepFirstParam(line, params) : line;
            default -> line;
        };
    }

    /** Keeps the first parameter, redacts the rest (if any). */
    private static String keepFirstParam(String line, int params) {
        if (line.charAt(params) == ':') {
            return line.substring(0, params) + REDACTED; // a lone trailing parameter
        }
        int end = wordEnd(line, params);
        int rest = skipSpaces(line, end);
        return rest >= line.length() ? line : line.substring(0, rest) + REDACTED;
    }

    private static boolean toNickServ(String line, int params) {
        int start = line.charAt(params) == ':' ? params + 1 : params;
        String targets = line.substring(start, line.charAt(params) == ':' ? line.length() : wordEnd(line, params));
        for (String t : targets.split(",")) {
            int at = t.indexOf('@');
            String nick = at < 0 ? t : t.substring(0, at);
            if (nick.equalsIgnoreCase("NickServ") || nick.equalsIgnoreCase("NS")) {
                return true;
            }
        }
        return false;
    }

    private static int wordEnd(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) != ' ') {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String s, int from) {
        int i = from;
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }
}
