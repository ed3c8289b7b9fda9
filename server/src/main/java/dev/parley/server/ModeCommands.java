package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_CHANOPRIVSNEEDED;
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
        if (target == null) {
            c.numeric(ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            return;
        }
        if (target != c) {
            c.numeric(ERR_USERSDONTMATCH, "Can't change mode for other users");
            return;
        }
        if (m.paramCount() < 2) {
            c.numeric(RPL_UMODEIS, "+" + c.userModes());
            return;
        }
        boolean adding = true;
        boolean unknown = false;
        StringBuilder applied = new StringBuilder();
        char appliedSign = 0;
        for (char ch : m.param(1).toCharArray()) {
            switch (ch) {
                case '+' -> adding = true;
                case '-' -> adding = false;
                case 'i', 'w', 'o' -> {
                    if (ch == 'o' && adding) {
                        continue; // +o only through OPER
                    }
                    if (c.setMode(ch, adding)) {
                        char sign = adding ? '+' : '-';
                        if (sign != appliedSign) {
                            applied.append(sign);
                            appliedSign = sign;
                        }
                        applied.append(ch);
                        if (ch == 'o') {
                            c.setOperName(null);
                        }
                    }
                }
                default -> unknown = true;
            }
        }
        if (unknown) {
            c.numeric(ERR_UMODEUNKNOWNFLAG, "Unknown MODE flag");
        }
        if (!applied.isEmpty()) {
            c.send(IrcMessage.from(c.prefix(), "MODE", c.nick(), applied.toString()));
        }
    }

    // ---- channel modes ----

    /** One applied change, for the MODE line everyone sees. */
    private record Change(boolean adding, char mode, String arg) {
    }

    private static void channelMode(Client c, IrcMessage m) {
        Hub hub = c.hub();
        Channel ch = hub.findChannel(m.param(0));
        if (ch == null) {
            c.numeric(ERR_NOSUCHCHANNEL, m.param(0), "No such channel");
            return;
        }
        if (m.paramCount() < 2) {
            List<String> params = new ArrayList<>();
            params.add(ch.name());
            params.addAll(ch.modes().describe(c.channels().contains(ch)));
            c.numeric(RPL_CHANNELMODEIS, params.toArray(String[]::new));
            c.numeric(RPL_CREATIONTIME, ch.name(), Long.toString(ch.createdAtMillis() / 1000));
            return;
        }
        boolean op = ChannelCommands.isOp(c, ch);
        String modestring = m.param(1);
        int argIndex = 2;
        boolean adding = true;
        int paramModes = 0;
        boolean deniedSaid = false;
        List<Change> changes = new ArrayList<>();
        for (char mc : modestring.toCharArray()) {
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
                    if (!op) {
                        deniedSaid = denied(c, ch, deniedSaid);
                        continue;
                    }
                    if (++paramModes > hub.config().modesPerCommand()) {
                        continue;
                    }
                    String mask = normalizeMask(arg);
                    if (mask.charAt(0) == ':') {
                        continue; // matches no one, and could not be listed but as a last parameter
                    }
                    if (applyListChange(c, ch, mc, adding, mask)) {
                        changes.add(new Change(adding, mc, mask));
                    }
                }
                case 'o', 'v' -> {
                    String arg = m.param(argIndex);
                    if (arg == null) {
                        continue;
                    }
                    argIndex++;
                    if (!op) {
                        deniedSaid = denied(c, ch, deniedSaid);
                        continue;
                    }
                    if (++paramModes > hub.config().modesPerCommand()) {
                        continue;
                    }
                    Client target = hub.findNick(arg);
                    if (target == null) {
                        c.numeric(ERR_NOSUCHNICK, arg, "No such nick/channel");
                        continue;
                    }
                    int flag = mc == 'o' ? Membership.OP : Membership.VOICE;
                    boolean on = adding;
                    Boolean changed = hub.locked(() -> {
                        Membership mem = ch.membershipLocked(target);
                        if (mem == null) {
                            return null;
                        }
                        boolean before = flag == Membership.OP ? mem.isOp() : mem.isVoiced();
                        mem.setLocked(flag, on);
                        return before != on;
                    });
                    if (changed == null) {
                        c.numeric(ERR_USERNOTINCHANNEL, target.nick(), ch.name(), "They aren't on that channel");
                    } else if (changed) {
                        changes.add(new Change(adding, mc, target.nick()));
                    }
                }
                case 'k' -> {
                    String arg = m.param(argIndex);
                    if (adding && arg == null) {
                        continue;
                    }
                    if (arg != null) {
                        argIndex++;
                    }
                    if (!op) {
                        deniedSaid = denied(c, ch, deniedSaid);
                        continue;
                    }
                    if (adding) {
                        String key = arg.replace(",", "").replace(" ", "");
                        if (key.isEmpty() || key.charAt(0) == ':') {
                            continue; // a leading ':' could be shown only as a last parameter
                        }
                        boolean set = hub.locked(() -> {
                            if (ch.modes().key() != null) {
                                return false;
                            }
                            ch.setModesLocked(ch.modes().withKey(key));
                            return true;
                        });
                        if (set) {
                            changes.add(new Change(true, 'k', key));
                        } else {
                            c.numeric(ERR_KEYSET, ch.name(), "Channel key already set");
                        }
                    } else if (hub.locked(() -> {
                        boolean had = ch.modes().key() != null;
                        ch.setModesLocked(ch.modes().withKey(null));
                        return had;
                    })) {
                        changes.add(new Change(false, 'k', "*"));
                    }
                }
                case 'l' -> {
                    int limit = 0;
                    if (adding) {
                        String arg = m.param(argIndex);
                        if (arg == null) {
                            continue;
                        }
                        argIndex++;
                        try {
                            limit = Integer.parseInt(arg);
                        } catch (NumberFormatException e) {
                            continue;
                        }
                        if (limit <= 0) {
                            continue;
                        }
                    }
                    if (!op) {
                        deniedSaid = denied(c, ch, deniedSaid);
                        continue;
                    }
                    int newLimit = limit;
                    boolean changed = hub.locked(() -> {
                        if (ch.modes().limit() == newLimit) {
                            return false;
                        }
                        ch.setModesLocked(ch.modes().withLimit(newLimit));
                        return true;
                    });
                    if (changed) {
                        changes.add(new Change(adding, 'l', adding ? Integer.toString(limit) : null));
                    }
                }
                case 'i', 'm', 'n', 's', 't' -> {
                    if (!op) {
                        deniedSaid = denied(c, ch, deniedSaid);
                        continue;
                    }
                    boolean on = adding;
                    boolean changed = hub.locked(() -> {
                        if (ch.modes().flag(mc) == on) {
                            return false;
                        }
                        ch.setModesLocked(ch.modes().withFlag(mc, on));
                        return true;
                    });
                    if (changed) {
                        changes.add(new Change(adding, mc, null));
                    }
                }
                default -> c.numeric(ERR_UNKNOWNMODE, String.valueOf(mc), "is unknown mode char to me");
            }
        }
        if (!changes.isEmpty()) {
            announce(c, ch, changes);
        }
    }

    private static boolean denied(Client c, Channel ch, boolean alreadySaid) {
        if (!alreadySaid) {
            c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
        }
        return true;
    }

    /** Changes with arguments one MODE line can carry: 15 parameters less the channel and the mode string. */
    static final int ARGS_PER_LINE = dev.parley.protocol.IrcParser.MAX_PARAMS - 2;

    /** Tells every member; several MODE lines when the changes carry more arguments than one line can. */
    private static void announce(Client c, Channel ch, List<Change> changes) {
        List<Change> line = new ArrayList<>();
        int args = 0;
        for (Change change : changes) {
            if (change.arg() != null && args == ARGS_PER_LINE) {
                announceLine(c, ch, line);
                line.clear();
                args = 0;
            }
            line.add(change);
            if (change.arg() != null) {
                args++;
            }
        }
        announceLine(c, ch, line);
    }

    private static void announceLine(Client c, Channel ch, List<Change> changes) {
        StringBuilder modes = new StringBuilder();
        List<String> params = new ArrayList<>();
        params.add(ch.name());
        Boolean sign = null;
        List<String> args = new ArrayList<>();
        for (Change ch2 : changes) {
            if (sign == null || sign != ch2.adding()) {
                modes.append(ch2.adding() ? '+' : '-');
                sign = ch2.adding();
            }
            modes.append(ch2.mode());
            if (ch2.arg() != null) {
                args.add(ch2.arg());
            }
        }
        params.add(modes.toString());
        params.addAll(args);
        Outgoing out = c.hub().relay(c, IrcMessage.from(c.prefix(), "MODE", params));
        for (Client member : ch.members()) {
            member.send(out);
        }
    }

    private static boolean applyListChange(Client c, Channel ch, char list, boolean adding, String mask) {
        Hub hub = c.hub();
        return hub.locked(() -> {
            List<Channel.MaskEntry> entries = list == 'b' ? ch.bans : ch.inviteExceptions;
            int existing = -1;
            for (int i = 0; i < entries.size(); i++) {
                if (hub.caseMapping().equals(entries.get(i).mask(), mask)) {
                    existing = i;
                    break;
                }
            }
            if (adding) {
                if (existing >= 0) {
                    return false;
                }
                entries.add(new Channel.MaskEntry(mask, c.prefix(), hub.now()));
                return true;
            }
            if (existing < 0) {
                return false;
            }
            entries.remove(existing);
            return true;
        });
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
