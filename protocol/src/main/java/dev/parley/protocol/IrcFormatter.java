package dev.parley.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes {@link IrcMessage}s in wire form. */
public final class IrcFormatter {
    private IrcFormatter() {
    }

    /**
     * Commands whose last parameter is free text: it is always written as a trailing
     * parameter ({@code :text}), as clients and bots conventionally expect, even when it is a
     * single word. Numerics are treated the same way.
     */
    private static final Map<String, Integer> TEXT_LAST = Map.of(
            "PRIVMSG", 2, "NOTICE", 2, "TOPIC", 2, "PART", 2, "KILL", 2, "KICK", 3,
            "QUIT", 1, "ERROR", 1, "AWAY", 1, "WALLOPS", 1);

    /** The line without CRLF. */
    public static String format(IrcMessage m) {
        StringBuilder sb = new StringBuilder(64);
        appendTo(sb, m);
        return sb.toString();
    }

    /** The line with CRLF, as UTF-8 bytes ready for a socket. */
    public static byte[] toBytes(IrcMessage m) {
        StringBuilder sb = new StringBuilder(64);
        appendTo(sb, m);
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static void appendTo(StringBuilder sb, IrcMessage m) {
        if (!m.tags().isEmpty()) {
            sb.append('@');
            boolean first = true;
            for (Map.Entry<String, String> tag : m.tags().entrySet()) {
                if (!first) {
                    sb.append(';');
                }
                first = false;
                sb.append(tag.getKey());
                String value = tag.getValue();
                if (value != null && !value.isEmpty()) {
                    sb.append('=').append(Tags.escape(value));
                }
            }
            sb.append(' ');
        }
        if (m.source() != null) {
            sb.append(':').append(m.source()).append(' ');
        }
        sb.append(m.command());
        List<String> params = m.params();
        int textAt = m.isNumeric() ? 2 : TEXT_LAST.getOrDefault(m.command(), Integer.MAX_VALUE);
        boolean forceTrailing = params.size() >= textAt;
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            sb.append(' ');
            boolean last = i == params.size() - 1;
            if (last && (forceTrailing || p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':')) {
                sb.append(':');
            }
            sb.append(p);
        }
    }
}
