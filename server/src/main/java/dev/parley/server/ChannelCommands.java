package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_BADCHANMASK;
import static dev.parley.protocol.Numerics.ERR_BADCHANNELKEY;
import static dev.parley.protocol.Numerics.ERR_BANNEDFROMCHAN;
import static dev.parley.protocol.Numerics.ERR_CHANNELISFULL;
import static dev.parley.protocol.Numerics.ERR_CHANOPRIVSNEEDED;
import static dev.parley.protocol.Numerics.ERR_INVITEONLYCHAN;
import static dev.parley.protocol.Numerics.ERR_NOSUCHCHANNEL;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_NOTONCHANNEL;
import static dev.parley.protocol.Numerics.ERR_TOOMANYCHANNELS;
import static dev.parley.protocol.Numerics.ERR_USERNOTINCHANNEL;
import static dev.parley.protocol.Numerics.ERR_USERONCHANNEL;
import static dev.parley.protocol.Numerics.RPL_ENDOFNAMES;
import static dev.parley.protocol.Numerics.RPL_INVITING;
import static dev.parley.protocol.Numerics.RPL_LIST;
import static dev.parley.protocol.Numerics.RPL_LISTEND;
import static dev.parley.protocol.Numerics.RPL_LISTSTART;
import static dev.parley.protocol.Numerics.RPL_NAMREPLY;
import static dev.parley.protocol.Numerics.RPL_NOTOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPICWHOTIME;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Masks;
import dev.parley.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Channel membership and channel queries: JOIN, PART, TOPIC, NAMES, KICK, INVITE, LIST. */
final class ChannelCommands {
    /** RPL_INVITELIST / RPL_ENDOFINVITELIST for the INVITE command (modern numbering). */
    static final String RPL_INVITELIST_CMD = "336";
    static final String RPL_ENDOFINVITELIST_CMD = "337";

    private ChannelCommands() {
    }

    static void register(CommandTable t) {
        t.add("JOIN", 1, false, ChannelCommands::join);
        t.add("PART", 1, false, ChannelCommands::part);
        t.add("TOPIC", 1, false, ChannelCommands::topic);
        t.add("NAMES", 0, false, ChannelCommands::names);
        t.add("KICK", 2, false, ChannelCommands::kick);
        t.add("INVITE", 0, false, ChannelCommands::invite);
        t.add("LIST", 0, false, ChannelCommands::list);
    }

    // JOIN <channel>{,<channel>} [<key>{,<key>}]  |  JOIN 0
    private static void join(Client c, IrcMessage m) {
        if (m.param(0).equals("0")) {
            for (Channel ch : new ArrayList<>(c.channels())) {
                c.hub().part(c, ch, null);
            }
            return;
        }
        Hub hub = c.hub();
        String[] names = m.param(0).split(",");
        String[] keys = m.paramCount() > 1 ? m.param(1).split(",") : new String[0];
        for (int i = 0; i < names.length; i++) {
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
            switch (hub.join(c, name, key)) {
                case Hub.Joined j -> {
                    sendTopic(c, j.channel(), false);
                    sendNames(c, j.channel());
                    HistoryCommands.replayOnJoin(c, j.channel());
                }
                case Hub.AlreadyOn a -> {
                    // already there: nothing to say, as other servers do
                }
                case Hub.TooManyChannels t -> c.numeric(ERR_TOOMANYCHANNELS, name, "You have joined too many channels");
                case Hub.Banned b -> c.numeric(ERR_BANNEDFROMCHAN, b.channel().name(), "Cannot join channel (+b)");
                case Hub.InviteOnly x -> c.numeric(ERR_INVITEONLYCHAN, x.channel().name(), "Cannot join channel (+i)");
                case Hub.BadKey k -> c.numeric(ERR_BADCHANNELKEY, k.channel().name(), "Cannot join channel (+k)");
                case Hub.Full f -> c.numeric(ERR_CHANNELISFULL, f.channel().name(), "Cannot join channel (+l)");
                case Hub.Closing x -> {
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
            } else if (!c.hub().part(c, ch, reason)) {
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
        boolean member = c.channels().contains(ch);
        if (m.paramCount() < 2) {
            if (!member && ch.modes().secret()) {
                c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            } else {
                sendTopic(c, ch, true);
            }
            return;
        }
        if (!member) {
            c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            return;
        }
        if (ch.modes().topicOps() && !isOp(c, ch)) {
            c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
            return;
        }
        if (refuseControlCharacters(c, "TOPIC", m.param(1))) {
            return;
        }
        c.hub().setTopic(c, ch, truncate(m.param(1), c.hub().config().topicLength()));
    }

    // NAMES [<channel>{,<channel>}]
    private static void names(Client c, IrcMessage m) {
        if (m.paramCount() == 0) {
            c.numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        for (String name : m.param(0).split(",")) {
            Channel ch = c.hub().findChannel(name);
            if (ch == null || (ch.modes().secret() && !c.channels().contains(ch))) {
                c.numeric(RPL_ENDOFNAMES, name, "End of /NAMES list");
            } else {
                sendNames(c, ch);
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
        if (!c.channels().contains(ch)) {
            c.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
            return;
        }
        if (!isOp(c, ch)) {
            c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
            return;
        }
        if (m.paramCount() > 2 && refuseControlCharacters(c, "KICK", m.param(2))) {
            return;
        }
        String reason = m.paramCount() > 2 && !m.param(2).isEmpty()
                ? truncate(m.param(2), hub.config().kickLength()) : c.nick();
        for (String nick : m.param(1).split(",")) {
            Client target = hub.findNick(nick);
            if (target == null || !hub.kick(c, ch, target, reason)) {
                c.numeric(ERR_USERNOTINCHANNEL, nick, ch.name(), "They aren't on that channel");
            }
        }
    }

    // INVITE <nickname> <channel>  |  INVITE (list my invitations)
    private static void invite(Client c, IrcMessage m) {
        Hub hub = c.hub();
        if (m.paramCount() == 0) {
            for (Channel ch : hub.invitesOf(c)) {
                c.numeric(RPL_INVITELIST_CMD, ch.name());
            }
            c.numeric(RPL_ENDOFINVITELIST_CMD, "End of /INVITE list");
            return;
        }
        if (m.paramCount() < 2) {
            c.numeric(dev.parley.protocol.Numerics.ERR_NEEDMOREPARAMS, "INVITE", "Not enough parameters");
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
        if (!c.channels().contains(ch)) {
            c.numeric(ERR_NOTONCHANNEL, ch.name(), "You're not on that channel");
            return;
        }
        if (target.channels().contains(ch)) {
            c.numeric(ERR_USERONCHANNEL, target.nick(), ch.name(), "is already on channel");
            return;
        }
        if (ch.modes().inviteOnly() && !isOp(c, ch)) {
            c.numeric(ERR_CHANOPRIVSNEEDED, ch.name(), "You're not channel operator");
            return;
        }
        hub.invite(ch, target);
        c.numeric(RPL_INVITING, target.nick(), ch.name());
        Outgoing out = hub.relay(c, IrcMessage.from(c.prefix(), "INVITE", target.nick(), ch.name()));
        target.send(out);
        if (target.away() != null) {
            c.numeric(dev.parley.protocol.Numerics.RPL_AWAY, target.nick(), target.away());
        }
        // invite-notify: the channel's operators hear about it
        for (Client member : ch.members()) {
            if (member != c && member.hasCap(Cap.INVITE_NOTIFY) && isOp(member, ch)) {
                member.send(out);
            }
        }
    }

    // LIST [<channel>{,<channel>}|<elistcond>{,<elistcond>}]
    private static void list(Client c, IrcMessage m) {
        List<String> conditions = m.paramCount() > 0 ? List.of(m.param(0).split(",")) : List.of();
        c.numeric(RPL_LISTSTART, "Channel", "Users  Name");
        for (Channel ch : c.hub().channels()) {
            boolean member = c.channels().contains(ch);
            if (ch.modes().secret() && !member) {
                continue;
            }
            if (matchesList(c, ch, conditions)) {
                Channel.Topic t = ch.topic();
                c.numeric(RPL_LIST, ch.name(), Integer.toString(ch.size()), t == null ? "" : t.text());
            }
        }
        c.numeric(RPL_LISTEND, "End of /LIST");
    }

    /** ELIST conditions: {@code >n}, {@code <n} (user counts), masks ({@code M}) and {@code !mask} ({@code N}). */
    private static boolean matchesList(Client c, Channel ch, List<String> conditions) {
        boolean anyMask = false;
        boolean maskMatched = false;
        for (String cond : conditions) {
            if (cond.isEmpty()) {
                continue;
            }
            char first = cond.charAt(0);
            try {
                if (first == '>') {
                    if (ch.size() <= Integer.parseInt(cond.substring(1))) {
                        return false;
                    }
                    continue;
                }
                if (first == '<') {
                    if (ch.size() >= Integer.parseInt(cond.substring(1))) {
                        return false;
                    }
                    continue;
                }
            } catch (NumberFormatException e) {
                continue; // an unreadable count filters nothing
            }
            if (first == '!') {
                if (Masks.matches(cond.substring(1), ch.name(), c.hub().caseMapping())) {
                    return false;
                }
                continue;
            }
            anyMask = true;
            maskMatched |= Masks.matches(cond, ch.name(), c.hub().caseMapping());
        }
        return !anyMask || maskMatched;
    }

    static boolean isOp(Client c, Channel ch) {
        Membership mem = ch.membership(c);
        return mem != null && mem.isOp();
    }

    static void sendTopic(Client c, Channel ch, boolean sayWhenNone) {
        Channel.Topic t = ch.topic();
        if (t == null) {
            if (sayWhenNone) {
                c.numeric(RPL_NOTOPIC, ch.name(), "No topic is set");
            }
            return;
        }
        c.numeric(RPL_TOPIC, ch.name(), t.text());
        c.numeric(RPL_TOPICWHOTIME, ch.name(), t.setBy(), Long.toString(t.setAtMillis() / 1000));
    }

    /** RPL_NAMREPLY lines, each kept under the 512-byte limit, then RPL_ENDOFNAMES. */
    static void sendNames(Client c, Channel ch) {
        String server = c.hub().serverName();
        String symbol = ch.modes().secret() ? "@" : "=";
        String head = ":" + server + " " + RPL_NAMREPLY + " " + c.nickOrStar() + " " + symbol + " " + ch.name() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        boolean allPrefixes = c.hasCap(Cap.MULTI_PREFIX);
        boolean userhost = c.hasCap(Cap.USERHOST_IN_NAMES);
        boolean member = c.channels().contains(ch);
        List<String> batch = new ArrayList<>();
        int used = 0;
        for (Map.Entry<Client, Membership> e : ch.membershipsCopy().entrySet()) {
            Client who = e.getKey();
            if (!member && who.hasMode('i')) {
                continue; // invisible users are listed only to fellow members
            }
            String entry = e.getValue().prefix(allPrefixes) + (userhost ? who.prefix() : who.nick());
            int cost = IrcParser.utf8Length(entry) + (batch.isEmpty() ? 0 : 1);
            if (!batch.isEmpty() && used + cost > budget) {
                c.numeric(RPL_NAMREPLY, symbol, ch.name(), String.join(" ", batch));
                batch.clear();
                used = 0;
                cost = IrcParser.utf8Length(entry);
            }
            batch.add(entry);
            used += cost;
        }
        if (!batch.isEmpty()) {
            c.numeric(RPL_NAMREPLY, symbol, ch.name(), String.join(" ", batch));
        }
        c.numeric(RPL_ENDOFNAMES, ch.name(), "End of /NAMES list");
    }

    /** {@code s} cut to {@code max} characters, never between the two halves of a surrogate pair. */
    static String truncate(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max;
        return s.substring(0, end);
    }

    /** IRC text formatting (bold, colour, italics, underline, strike-through, monospace, reverse, reset). */
    private static final String FORMATTING = "\u0002\u0003\u000f\u0011\u0016\u001d\u001e\u001f";

    /**
     * True when {@code s} holds a control character other than text formatting: text that stays
     * on screen (topics, away messages, kick reasons) may not carry bells, escapes or CTCP marks.
     */
    static boolean hasControlCharacters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if ((ch < 0x20 && FORMATTING.indexOf(ch) < 0) || ch == 0x7f) {
                return true;
            }
        }
        return false;
    }

    /** Refuses text with control characters: {@code FAIL <command> INVALID_TEXT}. Returns true when refused. */
    static boolean refuseControlCharacters(Client c, String command, String text) {
        if (!hasControlCharacters(text)) {
            return false;
        }
        c.serverMessage("FAIL", command, "INVALID_TEXT", "Control characters are not allowed here");
        return true;
    }
}
