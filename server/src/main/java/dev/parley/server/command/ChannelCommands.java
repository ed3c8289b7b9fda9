package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_BADCHANMASK;
import static dev.parley.protocol.Numerics.ERR_BADCHANNELKEY;
import static dev.parley.protocol.Numerics.ERR_BANNEDFROMCHAN;
import static dev.parley.protocol.Numerics.ERR_CHANNELISFULL;
import static dev.parley.protocol.Numerics.ERR_CHANOPRIVSNEEDED;
import static dev.parley.protocol.Numerics.ERR_INVITEONLYCHAN;
import static dev.parley.protocol.Numerics.ERR_NEEDMOREPARAMS;
import static dev.parley.protocol.Numerics.ERR_NOSUCHCHANNEL;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_NOTONCHANNEL;
import static dev.parley.protocol.Numerics.ERR_TOOMANYCHANNELS;
import static dev.parley.protocol.Numerics.ERR_USERNOTINCHANNEL;
import static dev.parley.protocol.Numerics.ERR_USERONCHANNEL;
import static dev.parley.protocol.Numerics.RPL_AWAY;
import static dev.parley.protocol.Numerics.RPL_ENDOFINVITELIST;
import static dev.parley.protocol.Numerics.RPL_ENDOFNAMES;
import static dev.parley.protocol.Numerics.RPL_INVITELIST;
import static dev.parley.protocol.Numerics.RPL_INVITING;
import static dev.parley.protocol.Numerics.RPL_LIST;
import static dev.parley.protocol.Numerics.RPL_LISTEND;
import static dev.parley.protocol.Numerics.RPL_LISTSTART;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Masks;
import dev.parley.protocol.Names;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Session;
import java.util.ArrayList;
import java.util.List;

/** Channel membership and channel queries: JOIN, PART, TOPIC, NAMES, KICK, INVITE, LIST. */
final class ChannelCommands {
    /** RPL_INVITELIST / RPL_ENDOFINVITELIST for the INVITE command (modern numbering). */
    static final String RPL_INVITELIST_CMD = "336";
    static final String RPL_ENDOFINVITELIST_CMD = "337";

    private ChannelCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("JOIN", 1, false, ChannelCommands::join);
        t.add("PART", 1, false, ChannelCommands::part);
        t.add("TOPIC", 1, false, ChannelCommands::topic);
        t.add("NAMES", 0, false, ChannelCommands::names);
        t.add("KICK", 2, false, ChannelCommands::kick);
        t.add("INVITE", 0, false, ChannelCommands::invite);
        t.add("LIST", 0, false, ChannelCommands::list);
    }

    // JOIN <channel>{,<channel>} [<key>{,<key>}]  |  JOIN 0
    private static void join(Session s, IrcMessage m) {
        Client c = s.client();
        if (m.param(0).equals("0")) {
            for (Channel ch : new ArrayList<>(c.channels())) {
                c.hub().apply(new Change.Part(c, ch, null));
            }
            return;
        }
        String[] names = m.param(0).split(",");
        String[] keys = m.paramCount() > 1 ? m.param(1).split(",") : new String[0];
        joinFrom(s, names, keys, 0);
    }

    /**
     * Joins {@code names} from index {@code from} on. When a join's history replay is offloaded, the
     * rest waits for it, so each channel's replay comes right after its own JOIN and NAMES.
     */
    private static void joinFrom(Session s, String[] names, String[] keys, int from) {
        Client c = s.client();
        Hub hub = c.hub();
        for (int i = from; i < names.length; i++) {
            String name = names[i];
            if (name.isEmpty()) {
                continue;
            }
            if (!Names.isChannel(name)) {
                c.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
                continue;
            }
            if (!Names.isValidChannel(name, hub.config().channelLength())) {
                c.numeric(ERR_BADCHANMASK, name, "Bad Channel Mask");
                continue;
            }
            String key = i < keys.length ? keys[i] : null;
            switch (hub.apply(new Change.Join(c, name, key))) {
                case Change.Joined j -> {
                    ReadMarkerCommand.afterJoin(c, j.channel());
                    Replies.topic(c, j.channel(), false);
                    if (!c.hasCap(Cap.NO_IMPLICIT_NAMES) && !c.hasCap(Cap.NO_IMPLICIT_NAMES_DRAFT)) {
                        Replies.names(c, j.channel());
                    }
                    History.replayOnJoin(s, j);
                    if (s.offloading() && i + 1 < names.length) {
                        int next = i + 1;
                        s.offload(() -> null, ignored -> joinFrom(s, names, keys, next));
                        return;
                    }
                }
                case Change.AlreadyOn a -> {
                    // already there: nothing to say, as other servers do
                }
                case Change.TooManyChannels t -> c.numeric(ERR_TOOMANYCHANNELS, name, "You have joined too many channels");
                case Change.Banned b -> c.numeric(ERR_BANNEDFROMCHAN, b.channel().name(), "Cannot join channel (+b)");
                case Change.InviteOnly x -> c.numeric(ERR_INVITEONLYCHAN, x.channel().name(), "Cannot join channel (+i)");
                case Change.BadKey k -> c.numeric(ERR_BADCHANNELKEY, k.channel().name(), "Cannot join channel (+k)");
                case Change.Full f -> c.numeric(ERR_CHANNELISFULL, f.channel().name(), "Cannot join channel (+l)");
                case Change.Closing x -> {
                    // disconnected meanwhile: nobody to tell
                }
            }
        }
    }

    // PART <channel>{,<channel>} [<reason>]
    private static void part(Client c, IrcMessage m) {
        String reason = m.param(1);
        for (String name : m.param(0).split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            Channel ch = c.hub().findChannel(name);
            if (ch == null) {
                c.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
            } else if (!c.hub().apply(new Change.Part(c, ch, reason))) {
                c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            }
        }
    }

    // TOPIC <channel> [<topic>]
    private static void topic(Client c, IrcMessage m) {
        String name = m.param(0);
        Channel ch = c.hub().findChannel(name);
        if (ch == null) {
            c.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
            return;
        }
        if (m.paramCount() < 2) {
            if (!c.isOn(ch) && ch.modes().secret()) {
                c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            } else {
                Replies.topic(c, ch, true);
            }
            return;
        }
        if (!c.isOn(ch)) {
            c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            return;
        }
        if (Text.refuseControlCharacters(c, "TOPIC", m.param(1))) {
            return;
        }
        String text = Text.truncate(m.param(1), c.hub().config().topicLength());
        switch (c.hub().apply(new Change.Topic(c, ch, text))) {
            case SET -> {
            }
            case NOT_ON_CHANNEL -> c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            case NOT_OPERATOR -> c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
        }
    }

    // NAMES [<channel>{,<channel>}]
    private static void names(Client c, IrcMessage m) {
        if (m.paramCount() == 0 || m.param(0).isEmpty()) {
            // every channel whose members this client may see, each with its own end, then one end for "*"
            for (Channel ch : c.hub().channels()) {
                if (c.isOn(ch) || !ch.modes().secret()) {
                    Replies.names(c, ch);
                }
            }
            c.numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        for (String name : m.param(0).split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            Channel ch = c.hub().findChannel(name);
            if (ch == null || (ch.modes().secret() && !c.isOn(ch))) {
                c.numeric(RPL_ENDOFNAMES, name, "End of /NAMES list");
            } else {
                Replies.names(c, ch);
            }
        }
    }

    // KICK <channel> <user>{,<user>} [<comment>]
    private static void kick(Client c, IrcMessage m) {
        Hub hub = c.hub();
        Channel ch = hub.findChannel(m.param(0));
        if (ch == null) {
            c.numeric(ERR_NOSUCHCHANNEL, m.param(0), "No such channel");
            return;
        }
        if (!c.isOn(ch)) {
            c.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
            return;
        }
        if (!Replies.isOp(c, ch)) {
            c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
            return;
        }
        if (m.paramCount() > 2 && Text.refuseControlCharacters(c, "KICK", m.param(2))) {
            return;
        }
        String reason = m.paramCount() > 2 && !m.param(2).isEmpty()
                ? Text.truncate(m.param(2), hub.config().kickLength()) : c.nick();
        for (String nick : m.param(1).split(",")) {
            Client target = hub.findNick(nick);
            Change.KickResult result = target == null
                    ? Change.KickResult.TARGET_NOT_ON_CHANNEL
                    : hub.apply(new Change.Kick(c, ch, target, reason));
            switch (result) {
                case KICKED -> {
                }
                case NOT_ON_CHANNEL -> {
                    c.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
                    return;
                }
                case NOT_OPERATOR -> {
                    c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
                    return;
                }
                case TARGET_NOT_ON_CHANNEL -> c.numeric(ERR_USERNOTINCHANNEL, nick, ch.name(), "They aren't on that channel");
            }
        }
    }

    // INVITE <nickname> <channel>  |  INVITE (list my invitations)
    private static void invite(Client c, IrcMessage m) {
        Hub hub = c.hub();
        if (m.paramCount() == 0) {
            for (Channel ch : c.invitations()) {
                if (hub.isLive(ch)) {
                    c.numeric(RPL_INVITELIST_CMD, ch.name());
                }
            }
            c.numeric(RPL_ENDOFINVITELIST_CMD, "End of /INVITE list");
            return;
        }
        if (m.paramCount() < 2) {
            c.numeric(ERR_NEEDMOREPARAMS, "INVITE", "Not enough parameters");
            return;
        }
        Client target = hub.findNick(m.param(0));
        if (target == null || !target.isRegistered()) {
            c.numeric(ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            return;
        }
        Channel ch = hub.findChannel(m.param(1));
        if (ch == null) {
            c.numeric(ERR_NOSUCHCHANNEL, m.param(1), "No such channel");
            return;
        }
        switch (hub.apply(new Change.Invite(c, ch, target))) {
            case INVITED -> {
                c.numeric(RPL_INVITING, target.nick(), ch.name());
                if (target.away() != null) {
                    c.numeric(RPL_AWAY, target.nick(), target.away());
                }
            }
            case NOT_ON_CHANNEL -> c.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
            case ALREADY_ON_CHANNEL -> c.numeric(ERR_USERONCHANNEL, target.nick(), ch.name(), "is already on channel");
            case NOT_OPERATOR -> c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
            case GONE -> c.numeric(ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
        }
    }

    // LIST [<channel>{,<channel>}|<elistcond>{,<elistcond>}]
    private static void list(Client c, IrcMessage m) {
        List<String> conditions = m.paramCount() > 0 ? List.of(m.param(0).split(",")) : List.of();
        c.numeric(RPL_LISTSTART, "Channel", "Users  Name");
        for (Channel ch : c.hub().channels()) {
            Channel.View v = ch.view();
            if (v.modes().secret() && !c.isOn(ch)) {
                continue;
            }
            if (matchesList(c, ch.name(), v.size(), conditions)) {
                Channel.Topic t = v.topic();
                c.numeric(RPL_LIST, ch.name(), Integer.toString(v.size()), t == null ? "" : t.text());
            }
        }
        c.numeric(RPL_LISTEND, "End of /LIST");
    }

    /** ELIST conditions: {@code >n}, {@code <n} (user counts), masks ({@code M}) and {@code !mask} ({@code N}). */
    private static boolean matchesList(Client c, String name, int size, List<String> conditions) {
        boolean anyMask = false;
        boolean maskMatched = false;
        for (String cond : conditions) {
            if (cond.isEmpty()) {
                continue;
            }
            char first = cond.charAt(0);
            try {
                if (first == '>') {
                    if (size <= Integer.parseInt(cond.substring(1))) {
                        return false;
                    }
                    continue;
                }
                if (first == '<') {
                    if (size >= Integer.parseInt(cond.substring(1))) {
                        return false;
                    }
                    continue;
                }
            } catch (NumberFormatException e) {
                continue; // an unreadable count filters nothing
            }
            if (first == '!') {
                if (Masks.matches(cond.substring(1), name, c.hub().caseMapping())) {
                    return false;
                }
                continue;
            }
            anyMask = true;
            maskMatched |= Masks.matches(cond, name, c.hub().caseMapping());
        }
        return !anyMask || maskMatched;
    }
}
