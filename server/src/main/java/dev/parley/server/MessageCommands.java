package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_CANNOTSENDTOCHAN;
import static dev.parley.protocol.Numerics.ERR_NORECIPIENT;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_NOTEXTTOSEND;
import static dev.parley.protocol.Numerics.ERR_TOOMANYTARGETS;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;

/** PRIVMSG and NOTICE to channels and nicks. */
final class MessageCommands {
    private MessageCommands() {
    }

    static void register(CommandTable t) {
        t.add("PRIVMSG", 0, false, (c, m) -> deliver(c, m, false));
        t.add("NOTICE", 0, false, (c, m) -> deliver(c, m, true));
    }

    // PRIVMSG <target>{,<target>} <text>
    // NOTICE <target>{,<target>} <text>   (never answered with an error)
    private static void deliver(Client c, IrcMessage m, boolean notice) {
        String command = m.command();
        if (m.paramCount() == 0 || m.param(0).isEmpty()) {
            if (!notice) {
                c.numeric(ERR_NORECIPIENT, "No recipient given (" + command + ")");
            }
            return;
        }
        if (m.paramCount() < 2 || m.param(1).isEmpty()) {
            if (!notice) {
                c.numeric(ERR_NOTEXTTOSEND, "No text to send");
            }
            return;
        }
        String[] targets = m.param(0).split(",");
        int max = c.hub().config().maxTargets();
        if (targets.length > max) {
            if (!notice) {
                c.numeric(ERR_TOOMANYTARGETS, m.param(0), "Too many targets (at most " + max + ")");
            }
            return;
        }
        String text = m.param(1);
        Hub hub = c.hub();
        for (String target : targets) {
            if (Names.isChannel(target)) {
                Channel ch = hub.findChannel(target);
                if (ch == null) {
                    if (!notice) {
                        c.numeric(ERR_NOSUCHNICK, target, "No such nick/channel");
                    }
                } else if (!c.channels().contains(ch)) {
                    if (!notice) {
                        c.numeric(ERR_CANNOTSENDTOCHAN, ch.name(), "Cannot send to channel (no external messages)");
                    }
                } else {
                    byte[] line = IrcFormatter.toBytes(IrcMessage.from(c.prefix(), command, ch.name(), text));
                    Hub.fanout(ch.members(), line, c);
                }
            } else {
                Client to = hub.findNick(target);
                if (to == null || !to.isRegistered()) {
                    if (!notice) {
                        c.numeric(ERR_NOSUCHNICK, target, "No such nick/channel");
                    }
                } else {
                    to.send(IrcMessage.from(c.prefix(), command, to.nick(), text));
                }
            }
        }
    }
}
