package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_CANNOTSENDTOCHAN;
import static dev.parley.protocol.Numerics.ERR_INPUTTOOLONG;
import static dev.parley.protocol.Numerics.ERR_NORECIPIENT;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_NOTEXTTOSEND;
import static dev.parley.protocol.Numerics.ERR_TOOMANYTARGETS;
import static dev.parley.protocol.Numerics.RPL_AWAY;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Tags;
import dev.parley.server.command.Messages.Kind;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Session;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PRIVMSG, NOTICE and TAGMSG as IRC commands: the checks on the command (recipient, text,
 * target count), client-only tags, NickServ and ChanServ, and the numerics for what {@link Messages} did
 * with each target (which relays them: STATUSMSG, msgid, server time, history, echo-message).
 */
final class MessageCommands {
    /** Channel-membership prefixes a message target may start with (ISUPPORT STATUSMSG). */
    static final String STATUSMSG = Messages.STATUSMSG;

    private MessageCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("PRIVMSG", 0, false, (s, m) -> deliver(s, m, Kind.PRIVMSG));
        t.addWithSession("NOTICE", 0, false, (s, m) -> deliver(s, m, Kind.NOTICE));
        t.addWithSession("TAGMSG", 0, false, (s, m) -> deliver(s, m, Kind.TAGMSG));
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
        if (tagBytes(clientTags) > MAX_CLIENT_TAG_BYTES) {
            // relayed with the server's own tags it could exceed what a recipient may be sent
            c.numeric(ERR_INPUTTOOLONG, "Client-only tags are longer than " + MAX_CLIENT_TAG_BYTES + " bytes");
            return;
        }
        c.markMessageSent();
        for (String target : targets) {
            if (kind == Kind.PRIVMSG && target.equalsIgnoreCase(NickServ.NICK)) {
                NickServ.handle(s, m.param(1));
                continue;
            }
            if (kind == Kind.PRIVMSG && target.equalsIgnoreCase(ChanServ.NICK)) {
                ChanServ.handle(s, m.param(1));
                continue;
            }
            String text = kind == Kind.TAGMSG ? null : m.param(1);
            answer(c, Messages.send(c, target, text, kind, clientTags), kind);
        }
    }

    /** The numeric a relay's result calls for, if any. */
    static void answer(Client c, Messages.Result r, Kind kind) {
        switch (r.status()) {
            case SENT -> {
                if (kind == Kind.PRIVMSG && r.detail() != null) {
                    c.numeric(RPL_AWAY, r.target(), r.detail());
                }
            }
            case NO_SUCH_TARGET -> {
                if (!kind.quiet()) {
                    c.numeric(ERR_NOSUCHNICK, r.target(), "No such nick/channel");
                }
            }
            case CANNOT_SEND -> {
                if (!kind.quiet()) {
                    c.numeric(ERR_CANNOTSENDTOCHAN, r.target(), r.detail());
                }
            }
        }
    }

    /**
     * Most bytes of client-only tags one message may carry (the message-tags specification's
     * limit for clients), so that with the server's tags the relayed line stays within 8191.
     */
    static final int MAX_CLIENT_TAG_BYTES = 4094;

    /** The bytes {@code tags} take on the wire, escaped, with their separators. */
    private static int tagBytes(Map<String, String> tags) {
        int n = 0;
        for (Map.Entry<String, String> e : tags.entrySet()) {
            n += IrcParser.utf8Length(e.getKey()) + 1;
            if (e.getValue() != null && !e.getValue().isEmpty()) {
                n += IrcParser.utf8Length(Tags.escape(e.getValue())) + 1;
            }
        }
        return Math.max(0, n - 1); // separators go between tags, not after the last
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
