package dev.parley.server.udp;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import java.util.List;

/**
 * The door's short lines for what the hub sent a participant: {@code <bob> text},
 * {@code * bob waves}, {@code [PM] <bob> psst}, {@code -- bob joined}, {@code -- bob quit (…)},
 * {@code ! error}… Works on typed messages ({@link IrcMessage}: source, command, parameters);
 * nothing here reads IRC text.
 *
 * <p>Threading: runs on the door thread only (it keeps each participant's nick and state).
 */
final class UdpLines {
    private final String channel;
    private final CaseMapping caseMapping;

    UdpLines(String channel, CaseMapping caseMapping) {
        this.channel = channel;
        this.caseMapping = caseMapping;
    }

    /**
     * What {@code p} is told for one message the hub sent it; may change {@code p}'s nick (its
     * own NICK) or state (kicked: gone).
     */
    List<String> translate(UdpParticipant p, IrcMessage m) {
        String cmd = m.command();
        String from = sourceNick(m.source());
        return switch (cmd) {
            case "PRIVMSG", "NOTICE" -> message(p, m, from, cmd.equals("NOTICE"));
            case "JOIN" -> !isMe(p, from) && inRoom(m, 0) ? List.of("-- " + from + " joined") : List.of();
            case "PART" -> inRoom(m, 0) && !isMe(p, from)
                    ? List.of("-- " + from + " left" + reason(m.paramCount() > 1 ? m.param(1) : null))
                    : List.of();
            case "QUIT" -> List.of("-- " + from + " quit" + reason(m.param(0)));
            case "NICK" -> {
                String now = m.param(0);
                if (isMe(p, from)) {
                    p.nick = now;
                    yield List.of("-- you are now known as " + now);
                }
                yield List.of("-- " + from + " is now known as " + now);
            }
            case "KICK" -> kick(p, m, from);
            case "TOPIC" -> inRoom(m, 0) ? List.of("-- " + from + " set the topic: " + m.param(1)) : List.of();
            case "MODE" -> inRoom(m, 0) && m.paramCount() > 1
                    ? List.of("-- " + from + " set mode " + String.join(" ", m.params().subList(1, m.paramCount())))
                    : List.of();
            case "INVITE" -> List.of("-- " + from + " invites you to " + m.param(1));
            default -> m.isNumeric() ? numeric(m) : List.of();
        };
    }

    /** The goodbye: {@code -- bye (reason)}. */
    static String bye(String reason) {
        return "-- bye" + reason(reason);
    }

    private List<String> message(UdpParticipant p, IrcMessage m, String from, boolean notice) {
        String target = m.param(0);
        String text = m.param(1);
        if (text == null) {
            return List.of();
        }
        boolean toRoom = caseMapping.equals(target, channel);
        boolean fromServer = m.source() == null || !m.source().contains("!");
        if (fromServer && !toRoom) {
            return List.of("-- " + text); // greetings, server notices
        }
        String line;
        if (text.startsWith("\u0001ACTION ") && !notice) {
            line = "* " + from + " " + text.substring(8, text.endsWith("\u0001") ? text.length() - 1 : text.length());
        } else if (text.startsWith("\u0001")) {
            return List.of(); // other CTCP requests are not for UDP people
        } else {
            line = notice ? "-" + from + "- " + text : "<" + from + "> " + text;
        }
        if (toRoom) {
            return List.of(line);
        }
        if (isMe(p, target)) {
            return List.of("[PM] " + line);
        }
        return List.of(); // another channel's traffic never reaches a door participant
    }

    private List<String> kick(UdpParticipant p, IrcMessage m, String from) {
        if (!inRoom(m, 0)) {
            return List.of();
        }
        String victim = m.param(1);
        if (isMe(p, victim)) {
            p.state = UdpParticipant.State.GONE;
            return List.of("-- bye (kicked by " + from + (m.paramCount() > 2 ? ": " + m.param(2) : "") + ")");
        }
        return List.of("-- " + from + " kicked " + victim + reason(m.paramCount() > 2 ? m.param(2) : null));
    }

    /** An error numeric is shown as {@code ! param: param…}; other replies mean nothing to a UDP user. */
    private static List<String> numeric(IrcMessage m) {
        String code = m.command();
        if (code.charAt(0) != '4' && code.charAt(0) != '5') {
            return List.of();
        }
        List<String> p = m.params();
        List<String> rest = p.size() > 1 ? p.subList(1, p.size()) : p;
        return List.of("! " + String.join(": ", rest));
    }

    private boolean inRoom(IrcMessage m, int i) {
        return i < m.paramCount() && caseMapping.equals(m.param(i), channel);
    }

    private boolean isMe(UdpParticipant p, String who) {
        return who != null && p.nick != null && caseMapping.equals(who, p.nick);
    }

    private static String sourceNick(String source) {
        if (source == null) {
            return "";
        }
        int bang = source.indexOf('!');
        return bang < 0 ? source : source.substring(0, bang);
    }

    static String reason(String r) {
        return r == null || r.isEmpty() ? "" : " (" + r + ")";
    }
}
