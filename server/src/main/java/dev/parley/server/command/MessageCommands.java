package dev.parley.server.command;

import dev.parley.server.core.Cap;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Membership;
import dev.parley.server.core.Outgoing;

import static dev.parley.protocol.Numerics.ERR_CANNOTSENDTOCHAN;
import static dev.parley.protocol.Numerics.ERR_NORECIPIENT;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_NOTEXTTOSEND;
import static dev.parley.protocol.Numerics.ERR_TOOMANYTARGETS;
import static dev.parley.protocol.Numerics.RPL_AWAY;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.protocol.Tags;
import dev.parley.server.session.Session;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PRIVMSG, NOTICE and TAGMSG to channels (optionally only to its {@code @}/{@code +}
 * members: STATUSMSG) and to nicks. Every relayed message gets a msgid and a server time;
 * client-only tags travel to recipients that negotiated message-tags; senders with
 * echo-message get their own message back.
 */
final class MessageCommands {
    /** Channel-membership prefixes a message target may start with (ISUPPORT STATUSMSG). */
    static final String STATUSMSG = "@+";

    private MessageCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("PRIVMSG", 0, false, (s, m) -> deliver(s, m, Kind.PRIVMSG));
        t.addWithSession("NOTICE", 0, false, (s, m) -> deliver(s, m, Kind.NOTICE));
        t.addWithSession("TAGMSG", 0, false, (s, m) -> deliver(s, m, Kind.TAGMSG));
    }

    private enum Kind {
        PRIVMSG, NOTICE, TAGMSG;

        /** NOTICE never triggers an error reply (it would loop between bots). */
        boolean quiet() {
            return this == NOTICE;
        }
    }

    // PRIVMSG <target>{,<target>} <text>
    // NOTICE <target>{,<target>} <text>
    // TAGMSG <target>{,<target>}   (client-only tags, for message-tags recipients only)
    private static void deliver(Session s, IrcMessage m, Kind kind) {
        Client c = s.client();
        String command = m.command();
        if (m.paramCount() == 0 || m.param(0).isEmpty()) {
            if (!kind.quiet()) {
                c.numeric(ERR_NORECIPIENT, "No recipient given (" + command + ")");
            }
            return;
        }
        if (kind != Kind.TAGMSG && (m.paramCount() < 2 || m.param(1).isEmpty())) {
            if (!kind.quiet()) {
                c.numeric(ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        String[] targets = m.param(0).split(",");
        Hub hub = c.hub();
        int max = hub.config().maxTargets();
        if (targets.length > max) {
            if (!kind.quiet()) {
                c.numeric(ERR_TOOMANYTARGETS, m.param(0), "Too many targets (at most " + max + ")");
            }
            return;
        }
        Map<String, String> clientTags = clientTags(m);
        c.markMessageSent();
        for (String target : targets) {
            String statusPrefix = "";
            String name = target;
            while (name.length() > 1 && STATUSMSG.indexOf(name.charAt(0)) >= 0 && Names.isChannel(name.substring(1))) {
                statusPrefix = statusPrefix.isEmpty() ? name.substring(0, 1) : statusPrefix;
                name = name.substring(1);
            }
            if (Names.isChannel(name)) {
                toChannel(c, m, kind, clientTags, name, statusPrefix);
            } else {
                toUser(s, m, kind, clientTags, name);
            }
        }
    }

    private static void toChannel(Client c, IrcMessage m, Kind kind, Map<String, String> tags, String name, String status) {
        Hub hub = c.hub();
        Channel ch = hub.findChannel(name);
        Channel.View view = ch == null ? null : ch.view();
        if (ch == null || (view.modes().secret() && !c.isOn(ch))) {
            if (!kind.quiet()) {
                c.numeric(ERR_NOSUCHNICK, name, "No such nick/channel");
            }
            return;
        }
        String refusal = refusal(c, ch, view);
        if (refusal != null) {
            if (!kind.quiet()) {
                c.numeric(ERR_CANNOTSENDTOCHAN, ch.name(), refusal);
            }
            return;
        }
        Outgoing out = outgoing(c, m, kind, tags, status + ch.name());
        if (kind != Kind.TAGMSG && status.isEmpty()) {
            History.record(c, ch.key(), out);
        }
        Client[] members = view.members();
        Membership[] prefixes = view.prefixes();
        boolean opsOnly = status.equals("@");
        boolean voicedUp = status.equals("+");
        Client skip = c.hasCap(Cap.ECHO_MESSAGE) ? null : c;
        for (int i = 0; i < members.length; i++) {
            Client member = members[i];
            if (member == skip) {
                continue;
            }
            if (kind == Kind.TAGMSG && !member.hasCap(Cap.MESSAGE_TAGS)) {
                continue;
            }
            if (opsOnly || voicedUp) {
                Membership mem = prefixes[i];
                if (!(mem.isOp() || (voicedUp && mem.isVoiced()))) {
                    continue;
                }
            }
            member.send(out);
        }
    }

    /** Why {@code c} may not speak in {@code ch} (+n, +m, a ban), or null. */
    private static String refusal(Client c, Channel ch, Channel.View view) {
        Channel.Modes modes = view.modes();
        Membership mem = ch.membership(c);
        if (mem == null) {
            return modes.noExternal() ? "Cannot send to channel (+n)" : null;
        }
        if (mem.isOp() || mem.isVoiced()) {
            return null;
        }
        if (modes.moderated()) {
            return "Cannot send to channel (+m)";
        }
        if (c.hub().isBanned(ch, c)) {
            return "Cannot send to channel (+b)";
        }
        return null;
    }

    private static void toUser(Session s, IrcMessage m, Kind kind, Map<String, String> tags, String nick) {
        Client c = s.client();
        if (kind == Kind.PRIVMSG && nick.equalsIgnoreCase(NickServ.NICK)) {
            NickServ.handle(s, m.param(1));
            return;
        }
        Client to = c.hub().findNick(nick);
        if (to == null || !to.isRegistered()) {
            if (!kind.quiet()) {
                c.numeric(ERR_NOSUCHNICK, nick, "No such nick/channel");
            }
            return;
        }
        Outgoing out = outgoing(c, m, kind, tags, to.nick());
        if (kind != Kind.TAGMSG && c.account() != null && to.account() != null) {
            History.record(c, History.privateKey(c.hub(), c.account(), to.account()), out);
        }
        if (kind != Kind.TAGMSG || to.hasCap(Cap.MESSAGE_TAGS)) {
            to.send(out);
        }
        if (c.hasCap(Cap.ECHO_MESSAGE) && to != c) {
            c.send(out);
        }
        if (kind == Kind.PRIVMSG && to.away() != null) {
            c.numeric(RPL_AWAY, to.nick(), to.away());
        }
    }

    private static Outgoing outgoing(Client c, IrcMessage m, Kind kind, Map<String, String> tags, String target) {
        IrcMessage line = kind == Kind.TAGMSG
                ? IrcMessage.from(c.prefix(), m.command(), target)
                : IrcMessage.from(c.prefix(), m.command(), target, m.param(1));
        Hub hub = c.hub();
        return new Outgoing(line, hub.now(), hub.nextMsgId(), c.account(), tags);
    }

    /** The client-only ({@code +}) tags of an incoming message, to be relayed. */
    private static Map<String, String> clientTags(IrcMessage m) {
        if (m.tags().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        m.tags().forEach((k, v) -> {
            if (Tags.isClientTag(k)) {
                out.put(k, v);
            }
        });
        return out;
    }
}
