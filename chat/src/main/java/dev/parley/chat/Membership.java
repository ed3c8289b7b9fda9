package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.util.List;

/**
 * Who is where: JOIN, PART, KICK, QUIT, NICK, and the channel events TOPIC, MODE, INVITE and
 * AWAY (away-notify). Each keeps {@link ChatState} in step and shows one {@code * …} line.
 * Runs on the chat loop thread.
 */
final class Membership {
    private Membership() {
    }

    // JOIN <channel>{,<channel>} [account :realname]   (extended-join adds the last two)
    static void join(ChatClient c, IrcMessage m) {
        String who = ServerMessages.nickOf(m);
        for (String channel : m.param(0) == null ? new String[0] : m.param(0).split(",")) {
            if (c.state().isMe(who)) {
                c.state().joined(channel);
                c.promptChanged();
            } else {
                c.state().addMember(channel, who);
            }
            ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), who + " joined " + channel));
        }
    }

    // PART <channel>{,<channel>} [:<reason>]
    static void part(ChatClient c, IrcMessage m) {
        String who = ServerMessages.nickOf(m);
        String reason = m.paramCount() > 1 && !m.last().isEmpty() ? " (" + m.last() + ")" : "";
        for (String channel : m.param(0) == null ? new String[0] : m.param(0).split(",")) {
            if (c.state().isMe(who)) {
                c.state().left(channel);
                c.promptChanged();
            } else {
                c.state().removeMember(channel, who);
            }
            ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), who + " left " + channel + reason));
        }
    }

    // KICK <channel> <user> [:<reason>]
    static void kick(ChatClient c, IrcMessage m) {
        String channel = m.param(0);
        String victim = m.param(1);
        if (victim == null) {
            return;
        }
        if (c.state().isMe(victim)) {
            c.state().left(channel);
            c.promptChanged();
        } else {
            c.state().removeMember(channel, victim);
        }
        String reason = m.paramCount() > 2 ? " (" + m.last() + ")" : "";
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m),
                victim + " was kicked from " + channel + " by " + ServerMessages.nickOf(m) + reason));
    }

    // QUIT [:<reason>]
    static void quit(ChatClient c, IrcMessage m) {
        String who = ServerMessages.nickOf(m);
        List<String> in = c.state().quit(who);
        String reason = m.paramCount() > 0 && !m.last().isEmpty() ? " (" + m.last() + ")" : "";
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), who + " quit" + reason
                + (in.isEmpty() ? "" : " from " + String.join(", ", in))));
    }

    // NICK <nickname>
    static void nick(ChatClient c, IrcMessage m) {
        String from = ServerMessages.nickOf(m);
        String to = m.param(0);
        if (to == null) {
            return;
        }
        boolean me = c.state().isMe(from);
        c.state().renamed(from, to);
        c.promptChanged();
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m),
                (me ? "you are now known as " : from + " is now known as ") + to));
    }

    // TOPIC <channel> :<topic>
    static void topic(ChatClient c, IrcMessage m) {
        String text = m.paramCount() > 1 ? m.last() : "";
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), ServerMessages.nickOf(m)
                + (text.isEmpty() ? " cleared the topic of " + m.param(0) : " changed the topic of " + m.param(0) + " to: " + text)));
    }

    // MODE <target> <modes> [<args>…]
    static void mode(ChatClient c, IrcMessage m) {
        String modes = String.join(" ", m.params().subList(Math.min(1, m.paramCount()), m.paramCount()));
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m),
                ServerMessages.nickOf(m) + " sets mode " + modes + " on " + m.param(0)));
    }

    // AWAY [:<message>]   (away-notify)
    static void away(ChatClient c, IrcMessage m) {
        String who = ServerMessages.nickOf(m);
        String text = m.paramCount() > 0 && !m.last().isEmpty() ? who + " is away: " + m.last() : who + " is back";
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m), text));
    }

    // INVITE <nick> <channel>
    static void invite(ChatClient c, IrcMessage m) {
        ServerMessages.show(c, m, Shown.event(ServerMessages.time(c, m),
                ServerMessages.nickOf(m) + " invites " + m.param(0) + " to " + m.param(1)));
    }
}
