package dev.parley.chat;

import dev.parley.protocol.CaseMapping;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

/**
 * Renders a {@link Shown} for the terminal: a dim timestamp ({@code HH:mm}, with the date when
 * it is not today), the channel, the nick in its own colour (yours in bold), then the text.
 * Replayed history is shown faint with its full date. Every field from the server (where, nick,
 * text) goes through {@link Clean}. Pure apart from reading the clock; runs on the chat loop thread.
 */
final class TerminalFormat {
    private static final DateTimeFormatter TODAY = DateTimeFormatter.ofPattern("HH:mm");
    private static final DateTimeFormatter OTHER_DAY = DateTimeFormatter.ofPattern("MM-dd HH:mm");
    private static final DateTimeFormatter FULL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");
    private static final AttributedStyle DIM = AttributedStyle.DEFAULT.foreground(AttributedStyle.BLACK | AttributedStyle.BRIGHT);

    private final ZoneId zone;
    private final Clock clock;

    TerminalFormat(ZoneId zone, Clock clock) {
        this.zone = zone;
        this.clock = clock;
    }

    /** The timestamp text for {@code s}, as shown before the line. */
    String stamp(Shown s) {
        ZonedDateTime t = s.time().atZone(zone);
        if (s.history()) {
            return FULL.format(t);
        }
        return t.toLocalDate().equals(LocalDate.now(clock.withZone(zone))) ? TODAY.format(t) : OTHER_DAY.format(t);
    }

    AttributedString format(Shown s, String me, CaseMapping mapping) {
        AttributedStringBuilder sb = new AttributedStringBuilder(96);
        AttributedStyle base = s.history() ? AttributedStyle.DEFAULT.faint() : AttributedStyle.DEFAULT;
        sb.styled(DIM, stamp(s)).append(' ');
        if (s.where() != null) {
            sb.styled(base.bold(), Clean.text(s.where())).append(' ');
        }
        String text = Clean.text(s.text());
        String nick = Clean.text(s.nick());
        switch (s.kind()) {
            case MESSAGE -> sb.styled(base, "<").styled(nickStyle(s.nick(), me, mapping, base), nick)
                    .styled(base, "> " + text);
            case ACTION -> sb.styled(base, "* ").styled(nickStyle(s.nick(), me, mapping, base), nick)
                    .styled(base, " " + text);
            case NOTICE -> sb.styled(base, "-").styled(nickStyle(s.nick(), me, mapping, base), nick)
                    .styled(base, "- " + text);
            case EVENT -> sb.styled(base.foreground(AttributedStyle.GREEN), "* " + text);
            case INFO -> sb.styled(base, "- " + text);
            case ERROR -> sb.styled(base.foreground(AttributedStyle.RED).bold(), "! " + text);
            case STATUS -> sb.styled(base.foreground(AttributedStyle.YELLOW), "-- " + text);
            case LINE -> sb.styled(base, text);
        }
        return sb.toAttributedString();
    }

    private static AttributedStyle nickStyle(String nick, String me, CaseMapping mapping, AttributedStyle base) {
        if (nick == null) {
            return base;
        }
        if (me != null && mapping.equals(nick, me)) {
            return base.bold();
        }
        AttributedStyle colour = NickColors.style(nick, mapping);
        return base == AttributedStyle.DEFAULT ? colour : colour.faint();
    }
}
