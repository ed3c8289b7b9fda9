package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Numeric replies: registration (001, 005, 432/433, 421 for CAP), SASL (900-908), NAMES,
 * TOPIC, LIST, WHOIS and AWAY replies, errors (4xx/5xx shown as {@code ! …}) and everything
 * else as information. Runs on the chat loop thread.
 */
final class Replies {
    /** NAMES entries gathered per folded channel until the 366 that ends them. */
    private final Map<String, List<String>> names = new HashMap<>();

    void handle(ChatClient c, IrcMessage m) {
        Registration reg = c.registration();
        switch (m.command()) {
            case "001" -> {
                c.show(Shown.info(ServerMessages.time(c, m), m.last()));
                reg.welcome(m);
            }
            case "005" -> {
                for (String token : m.params().subList(1, Math.max(1, m.paramCount() - 1))) {
                    int eq = token.indexOf('=');
                    c.state().isupport(eq < 0 ? token : token.substring(0, eq), eq < 0 ? null : token.substring(eq + 1));
                }
            }
            case "432", "433" -> {
                if (c.isRegistered()) {
                    c.show(Shown.error(ServerMessages.time(c, m), text(m)));
                } else {
                    reg.nickRejected(m, m.command().equals("433"));
                }
            }
            case "421" -> {
                if ("CAP".equalsIgnoreCase(m.param(1))) {
                    reg.capUnsupported();
                } else {
                    c.show(Shown.error(ServerMessages.time(c, m), text(m)));
                }
            }
            case "900" -> c.show(Shown.status(ServerMessages.time(c, m), m.last()));
            case "903" -> reg.saslOutcome(m, true);
            case "902", "904", "905", "906", "907" -> reg.saslOutcome(m, false);
            case "908" -> reg.saslMechanisms(m);
            case "353" -> {
                if (m.paramCount() >= 4) {
                    names.computeIfAbsent(c.state().mapping().fold(m.param(2)), k -> new ArrayList<>())
                            .addAll(List.of(m.last().strip().split(" +")));
                }
            }
            case "366" -> namesEnd(c, m);
            case "331" -> event(c, m, "no topic is set for " + m.param(1));
            case "332" -> event(c, m, "topic of " + m.param(1) + ": " + m.last());
            case "322" -> info(c, m, m.param(1) + " (" + m.param(2) + " users): " + m.last());
            case "311" -> info(c, m, m.param(1) + " is " + m.param(2) + "@" + m.param(3) + " (" + m.last() + ")");
            case "312" -> info(c, m, m.param(1) + " is on " + m.param(2) + " (" + m.last() + ")");
            case "319" -> info(c, m, m.param(1) + " is in " + m.last());
            case "317" -> info(c, m, m.param(1) + " has been idle " + m.param(2) + " s");
            case "330" -> info(c, m, m.param(1) + " is logged in as " + m.param(2));
            case "301" -> event(c, m, m.param(1) + " is away: " + m.last());
            case "321", "333", "318", "004", "329" -> {
                // column headers, topic setter, end of WHOIS, server modes, creation time: nothing to add
            }
            default -> {
                int code = Integer.parseInt(m.command());
                boolean error = code >= 400 && code < 600 && code != 422;
                c.show(error ? Shown.error(ServerMessages.time(c, m), text(m)) : Shown.info(ServerMessages.time(c, m), infoText(m)));
            }
        }
    }

    // 366 <nick> <channel> :End of /NAMES list
    private void namesEnd(ChatClient c, IrcMessage m) {
        String channel = m.param(1);
        List<String> entries = names.remove(c.state().mapping().fold(channel));
        entries = entries == null ? List.of() : entries;
        c.state().members(channel, entries);
        event(c, m, channel + ": " + (entries.isEmpty() ? "no one visible" : String.join(" ", entries)));
    }

    /** A reply's text without the leading nick: {@code middle params: last}. */
    static String text(IrcMessage m) {
        List<String> p = m.params();
        if (p.size() <= 1) {
            return p.isEmpty() ? m.command() : p.get(0);
        }
        List<String> middle = p.subList(1, p.size() - 1);
        return middle.isEmpty() ? m.last() : String.join(" ", middle) + ": " + m.last();
    }

    /** Informational text: the middle parameters only when the last one does not already say them. */
    static String infoText(IrcMessage m) {
        List<String> p = m.params();
        if (p.size() <= 2) {
            return p.isEmpty() ? m.command() : m.last();
        }
        List<String> middle = p.subList(1, p.size() - 1);
        return middle.stream().allMatch(m.last()::contains) ? m.last() : String.join(" ", middle) + " " + m.last();
    }

    private static void event(ChatClient c, IrcMessage m, String text) {
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), text));
    }

    private static void info(ChatClient c, IrcMessage m, String text) {
        c.show(Shown.info(ServerMessages.time(c, m), text));
    }
}
