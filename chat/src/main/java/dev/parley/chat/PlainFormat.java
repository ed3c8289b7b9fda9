package dev.parley.chat;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * Renders a {@link Shown} as one plain line for scripts: {@code [#chan] <nick> text},
 * {@code [PM] <nick> text}, {@code * nick joined #chan}, {@code ! error}, {@code -- status}.
 * Replayed history carries its time: {@code [#chan] (history 2025-01-31 12:03) <nick> text}.
 * Every field from the server (where, nick, text) goes through {@link Clean}. Pure; any thread.
 */
final class PlainFormat {
    private final DateTimeFormatter historyTime;

    PlainFormat(ZoneId zone) {
        this.historyTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(zone);
    }

    String format(Shown s) {
        StringBuilder sb = new StringBuilder(80);
        if (s.where() != null) {
            sb.append('[').append(Clean.text(s.where())).append("] ");
        }
        if (s.history()) {
            sb.append("(history ").append(historyTime.format(s.time())).append(") ");
        }
        String text = Clean.text(s.text());
        String nick = Clean.text(s.nick());
        switch (s.kind()) {
            case MESSAGE -> sb.append('<').append(nick).append("> ").append(text);
            case ACTION -> sb.append("* ").append(nick).append(' ').append(text);
            case NOTICE -> sb.append('-').append(nick).append("- ").append(text);
            case EVENT -> sb.append("* ").append(text);
            case INFO -> sb.append("- ").append(text);
            case ERROR -> sb.append("! ").append(text);
            case STATUS -> sb.append("-- ").append(text);
            case LINE -> sb.append(text);
        }
        return sb.toString();
    }
}
