package dev.parley.server.command;

import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import java.util.ArrayList;
import java.util.List;

/**
 * WHOX: {@code WHO <mask> %<fields>[,<token>]} answers with RPL_WHOSPCRPL (354) carrying only
 * the requested fields, in the fixed order {@code tcuihsnfdlaor}.
 */
record Whox(String fields, String token) {
    static final String RPL_WHOSPCRPL = "354";
    private static final String ORDER = "tcuihsnfdlaor";

    /** The WHOX request in WHO's second parameter, or null when it is a plain WHO. */
    static Whox parse(String options) {
        int pct = options.indexOf('%');
        if (pct < 0) {
            return null;
        }
        String spec = options.substring(pct + 1);
        int comma = spec.indexOf(',');
        String fields = comma < 0 ? spec : spec.substring(0, comma);
        String token = comma < 0 ? "0" : spec.substring(comma + 1);
        if (token.isEmpty() || token.length() > 3 || !token.chars().allMatch(Character::isDigit)) {
            token = "0";
        }
        return new Whox(fields, token);
    }

    List<String> fields(Client asker, Client who, Channel ch, String flags) {
        Hub hub = asker.hub();
        List<String> out = new ArrayList<>();
        for (char f : ORDER.toCharArray()) {
            if (fields.indexOf(f) < 0) {
                continue;
            }
            out.add(switch (f) {
                case 't' -> token;
                case 'c' -> ch == null ? "*" : ch.name();
                case 'u' -> who.user();
                case 'i' -> asker.isOper() || asker == who ? who.address().getHostAddress() : "255.255.255.255";
                case 'h' -> who.host();
                case 's' -> hub.serverOf(who);
                case 'n' -> who.nick();
                case 'f' -> flags;
                case 'd' -> "0";
                case 'l' -> Long.toString(Math.max(0, (hub.now() - who.lastMessageMillis()) / 1000));
                case 'a' -> who.account() == null ? "0" : who.account();
                case 'o' -> "n/a";
                case 'r' -> who.realname();
                default -> throw new IllegalStateException();
            });
        }
        // the last field may hold spaces (the real name): make sure it is not empty
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
            out.set(out.size() - 1, "*");
        }
        return out;
    }
}
