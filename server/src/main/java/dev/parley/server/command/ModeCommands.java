package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_BANLISTFULL;
import static dev.parley.protocol.Numerics.ERR_CHANOPRIVSNEEDED;
import static dev.parley.protocol.Numerics.ERR_INVALIDMODEPARAM;
import static dev.parley.protocol.Numerics.ERR_KEYSET;
import static dev.parley.protocol.Numerics.ERR_NOSUCHCHANNEL;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_UMODEUNKNOWNFLAG;
import static dev.parley.protocol.Numerics.ERR_UNKNOWNMODE;
import static dev.parley.protocol.Numerics.ERR_USERNOTINCHANNEL;
import static dev.parley.protocol.Numerics.ERR_USERSDONTMATCH;
import static dev.parley.protocol.Numerics.RPL_BANLIST;
import static dev.parley.protocol.Numerics.RPL_CHANNELMODEIS;
import static dev.parley.protocol.Numerics.RPL_CREATIONTIME;
import static dev.parley.protocol.Numerics.RPL_ENDOFBANLIST;
import static dev.parley.protocol.Numerics.RPL_ENDOFINVITELIST;
import static dev.parley.protocol.Numerics.RPL_INVITELIST;
import static dev.parley.protocol.Numerics.RPL_UMODEIS;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.ExtBan;
import dev.parley.server.core.Hub;
import dev.parley.server.core.UserMode;
import java.util.ArrayList;
import java.util.List;

/** MODE for channels (prefix, list, key, limit and flag modes) and for users. */
final class ModeCommands {
    /** Channel modes, grouped as ISUPPORT CHANMODES lists them: lists, always-param, set-param, flags. */
    static final String CHANMODES = "Ib,k,l,imnst";

    private ModeCommands() {
    }

    static void register(CommandTable t) {
        t.add("MODE", 1, false, ModeCommands::mode);
    }

    // MODE <target> [<modestring> [<mode arguments>...]]
    private static void mode(Client c, IrcMessage m) {
        if (Names.isChannel(m.param(0))) {
            channelMode(c, m);
        } else {
            userMode(c, m);
        }
    }

    // ---- user modes ----

    private static void userMode(Client c, IrcMessage m) {
        Client target = c.hub().findNick(m.param(0));
        if (target == null || !target.isRegistered()) {
            c.numeric(ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            return;
        }
        if (target != c) {
            c.numeric(ERR_USERSDONTMATCH, m.paramCount() < 2 ? "Can't view modes for other users"
                    : "Can't change mode for other users");
            return;
        }
        if (m.paramCount() < 2) {
            c.numeric(RPL_UMODEIS, "+" + c.userModes());
            return;
        }
        boolean adding = true;
        boolean unknown = false;
        List<Change.UserModeChange> wanted = new ArrayList<>();
        for (char ch : m.param(1).toCharArray()) {
            switch (ch) {
                case '+' -> adding = true;
                case '-' -> adding = false;
                case 'i', 'w', 'o', UserMode.BOT -> wanted.add(new Change.UserModeChange(adding, ch));
                default -> unknown = true;
            }
        }
        if (unknown) {
            c.numeric(ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        }
        if (!wanted.isEmpty()) {
            c.hub().apply(new Change.UserModes(c, wanted));
        }
    }

    // ---- channel modes ----

    private static void channelMode(Client c, IrcMessage m) {
        Hub hub = c.hub();
        Channel ch = hub.findChannel(m.param(0));
        if (ch == null || (ch.modes().secret() && !c.isOn(ch))) {
            // a secret channel's modes and lists, even its existence, are for its members
            c.numeric(ERR_NOSUCHCHANNEL, m.param(0), "No such channel");
            return;
        }
        if (m.paramCount() < 2) {
            List<String> params = new ArrayList<>();
            params.add(ch.name());
            params.addAll(ch.modes().describe(c.isOn(ch)));
            c.numeric(RPL_CHANNELMODEIS, params.toArray(String[]::new));
            c.numeric(RPL_CREATIONTIME, ch.name(), Long.toString(ch.createdAtMillis() / 1000));
            return;
        }
        List<Change.ModeChange> wanted = read(c, ch, m);
        if (wanted.isEmpty()) {
            return;
        }
        boolean deniedSaid = false;
        for (Change.ModeOutcome o : hub.apply(new Change.ChannelModes(c, ch, wanted))) {
            switch (o.status()) {
                case APPLIED, UNCHANGED -> {
                }
                case DENIED -> {
                    if (!deniedSaid) {
                        c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
                        deniedSaid = true;
                    }
                }
                case NO_SUCH_NICK -> c.numeric(ERR_NOSUCHNICK, o.shown(), "No such nick/channel");
                case NOT_ON_CHANNEL -> c.numeric(ERR_USERNOTINCHANNEL, o.shown(), ch.name(), "They aren't on that channel");
                case KEY_SET -> c.numeric(ERR_KEYSET, ch.name(), "Channel key already set");
                case LIST_FULL -> c.numeric(ERR_BANLISTFULL, ch.name(), String.valueOf(o.change().mode()),
                        "Channel list is full");
            }
        }
    }

    /**
     * Reads a mode string and its arguments into changes. List queries ({@code +b} with no
     * mask) are answered here; unknown letters and unusable arguments are answered or skipped.
     * Parameter modes beyond {@code modes-per-command} are dropped.
     */
    private static List<Change.ModeChange> read(Client c, Channel ch, IrcMessage m) {
        int perCommand = c.hub().config().modesPerCommand();
        List<Change.ModeChange> out = new ArrayList<>();
        int argIndex = 2;
        boolean adding = true;
        int paramModes = 0;
        for (char mc : m.param(1).toCharArray()) {
            if (mc == '+' || mc == '-') {
                adding = mc == '+';
                continue;
            }
            switch (mc) {
                case 'b', 'I' -> {
                    String arg = m.param(argIndex);
                    if (arg == null) {
                        sendList(c, ch, mc);
                        continue;
                    }
                    argIndex++;
                    if (Replies.isOp(c, ch) && ++paramModes > perCommand) {
                        continue;
                    }
                    if (ExtBan.isExtBan(arg)) {
                        String ext = arg.replace(" ", "");
                        if (!ExtBan.isValid(ext)) {
                            c.numeric(ERR_INVALIDMODEPARAM, ch.name(), String.valueOf(mc), ext,
                                    "Unknown extended ban type; this server knows $a:<account>");
                            continue;
                        }
                        out.add(new Change.ModeChange(adding, mc, ext));
                        continue;
                    }
                    String mask = normalizeMask(arg);
                    if (mask.charAt(0) == ':') {
                        continue; // matches no one, and could not be listed but as a last parameter
                    }
                    out.add(new Change.ModeChange(adding, mc, mask));
                }
                case 'o', 'v' -> {
                    String arg = m.param(argIndex);
                    if (arg == null) {
                        continue;
                    }
                    argIndex++;
                    if (Replies.isOp(c, ch) && ++paramModes > perCommand) {
                        continue;
                    }
                    out.add(new Change.ModeChange(adding, mc, arg));
                }
                case 'k' -> {
                    String arg = m.param(argIndex);
                    if (adding && arg == null) {
                        continue;
                    }
                    if (arg != null) {
                        argIndex++;
                    }
                    if (!adding) {
                        out.add(new Change.ModeChange(false, 'k', null));
                        continue;
                    }
                    String key = arg.replace(",", "").replace(" ", "");
                    if (key.isEmpty() || key.charAt(0) == ':') {
                        if (!Replies.isOp(c, ch)) {
                            out.add(new Change.ModeChange(true, 'k', arg)); // refused, as any change by a non-operator
                        }
                        continue; // a leading ':' could be shown only as a last parameter
                    }
                    out.add(new Change.ModeChange(true, 'k', key));
                }
                case 'l' -> {
                    if (!adding) {
                        out.add(new Change.ModeChange(false, 'l', null));
                        continue;
                    }
                    String arg = m.param(argIndex);
                    if (arg == null) {
                        continue;
                    }
                    argIndex++;
                    int limit;
                    try {
                        limit = Integer.parseInt(arg);
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (limit > 0) {
                        out.add(new Change.ModeChange(true, 'l', Integer.toString(limit)));
                    }
                }
                case 'i', 'm', 'n', 's', 't' -> out.add(new Change.ModeChange(adding, mc, null));
                default -> c.numeric(ERR_UNKNOWNMODE, String.valueOf(mc), "is unknown mode char to me");
            }
        }
        return out;
    }

    private static void sendList(Client c, Channel ch, char list) {
        String item = list == 'b' ? RPL_BANLIST : RPL_INVITELIST;
        for (Channel.MaskEntry e : ch.maskList(list)) {
            c.numeric(item, ch.name(), e.mask(), e.setBy(), Long.toString(e.setAtMillis() / 1000));
        }
        if (list == 'b') {
            c.numeric(RPL_ENDOFBANLIST, ch.name(), "End of channel ban list");
        } else {
            c.numeric(RPL_ENDOFINVITELIST, ch.name(), "End of channel invite exception list");
        }
    }

    /** {@code nick} → {@code nick!*@*}, {@code user@host} → {@code *!user@host}. */
    static String normalizeMask(String mask) {
        String m = mask.replace(" ", "");
        if (m.indexOf('!') < 0 && m.indexOf('@') < 0) {
            return m + "!*@*";
        }
        if (m.indexOf('!') < 0) {
            return "*!" + m;
        }
        if (m.indexOf('@') < 0) {
            return m + "@*";
        }
        return m;
    }
}
