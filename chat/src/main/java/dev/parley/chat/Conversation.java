package dev.parley.chat;

import dev.parley.protocol.IrcMessage;

/**
 * PRIVMSG and NOTICE from the server, including CTCP ACTION ({@code /me}) and the CTCP
 * requests every client answers (VERSION, PING, TIME). With echo-message the client's own
 * messages come back this way too and are shown as {@code [PM -> nick]} for private ones.
 * Runs on the chat loop thread.
 */
final class Conversation {
    static final char CTCP = 0x01;
    static final String VERSION = "Parley chat";

    private Conversation() {
    }

    // PRIVMSG <target> :<text>
    static void privmsg(ChatClient c, IrcMessage m) {
        if (m.paramCount() < 2) {
            return;
        }
        String from = ServerMessages.nickOf(m);
        String where = where(c, m, from);
        String text = m.last();
        if (!text.isEmpty() && text.charAt(0) == CTCP) {
            String body = text.substring(1, text.endsWith(String.valueOf(CTCP)) && text.length() > 1 ? text.length() - 1 : text.length());
            int space = body.indexOf(' ');
            String verb = space < 0 ? body : body.substring(0, space);
            String rest = space < 0 ? "" : body.substring(space + 1);
            if (verb.equals("ACTION")) {
                ServerMessages.show(c, m, new Shown(ServerMessages.time(c, m), Shown.Kind.ACTION, where, from, rest, false));
            } else {
                ctcpRequest(c, m, from, verb, rest);
            }
            return;
        }
        ServerMessages.show(c, m, new Shown(ServerMessages.time(c, m), Shown.Kind.MESSAGE, where, from, text, false));
    }

    // NOTICE <target> :<text>
    static void notice(ChatClient c, IrcMessage m) {
        if (m.paramCount() < 2) {
            return;
        }
        String from = ServerMessages.nickOf(m);
        String text = m.last();
        if (text.length() > 1 && text.charAt(0) == CTCP) {
            String body = text.replace(String.valueOf(CTCP), "");
            c.show(Shown.event(ServerMessages.time(c, m), "CTCP reply from " + from + ": " + body));
            return;
        }
        boolean fromServer = m.source() == null || m.source().indexOf('!') < 0;
        String target = c.state().stripStatusPrefix(m.param(0));
        boolean shared = c.state().isChannel(target) || c.state().isMe(from);
        String where = fromServer || !shared ? null : where(c, m, from);
        ServerMessages.show(c, m, new Shown(ServerMessages.time(c, m), Shown.Kind.NOTICE, where, from, text, false));
    }

    /** {@code #chan}, {@code PM} (to me) or {@code PM -> nick} (mine, echoed). */
    private static String where(ChatClient c, IrcMessage m, String from) {
        String target = c.state().stripStatusPrefix(m.param(0));
        if (c.state().isChannel(target)) {
            return target;
        }
        return c.state().isMe(from) ? "PM -> " + target : "PM";
    }

    private static void ctcpRequest(ChatClient c, IrcMessage m, String from, String verb, String rest) {
        if (c.state().isMe(from)) {
            return;
        }
        String reply = switch (verb) {
            case "VERSION" -> "VERSION " + VERSION;
            case "PING" -> "PING " + rest;
            case "TIME" -> "TIME " + c.now();
            default -> null;
        };
        c.show(Shown.event(ServerMessages.time(c, m), from + " sent CTCP " + verb + (reply == null ? " (not answered)" : "")));
        if (reply != null) {
            c.send(IrcMessage.of("NOTICE", from, CTCP + reply + CTCP));
        }
    }
}
