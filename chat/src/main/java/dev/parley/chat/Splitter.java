package dev.parley.chat;

import dev.parley.protocol.IrcParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits long text into pieces that fit one PRIVMSG each, after the server has put the
 * sender's {@code :nick!user@host} in front (the whole line may be 512 bytes). Cuts at the
 * last space that fits, else between characters, never inside a UTF-8 sequence. Pure; any thread.
 */
final class Splitter {
    /** The longest host name a server may show (RFC 1123 label limits keep most far below). */
    static final int HOST_ALLOWANCE = 63;

    private Splitter() {
    }

    /** Bytes of text one {@code PRIVMSG target :text} from this user may carry. */
    static int budget(String nick, String user, String target, boolean action) {
        int prefix = 1 + utf8(nick) + 1 + utf8(user) + 1 + HOST_ALLOWANCE + 1;
        int command = "PRIVMSG ".length() + utf8(target) + 2;
        int ctcp = action ? "\u0001ACTION \u0001".length() : 0;
        return Math.max(32, 510 - prefix - command - ctcp);
    }

    static List<String> split(String text, int maxBytes) {
        List<String> out = new ArrayList<>();
        String rest = text;
        while (utf8(rest) > maxBytes) {
            int cut = fit(rest, maxBytes);
            int space = rest.lastIndexOf(' ', cut);
            if (space > cut / 2) {
                cut = space;
            }
            out.add(rest.substring(0, cut));
            rest = rest.substring(cut).stripLeading();
        }
        if (!rest.isEmpty() || out.isEmpty()) {
            out.add(rest);
        }
        return out;
    }

    /** The longest prefix length (in chars) whose UTF-8 form fits in {@code maxBytes}. */
    private static int fit(String s, int maxBytes) {
        int bytes = 0;
        int i = 0;
        while (i < s.length()) {
            int cp = s.codePointAt(i);
            int n = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + n > maxBytes) {
                break;
            }
            bytes += n;
            i += Character.charCount(cp);
        }
        return Math.max(i, 1);
    }

    private static int utf8(String s) {
        return IrcParser.utf8Length(s);
    }
}
