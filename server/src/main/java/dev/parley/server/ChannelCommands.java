package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_NOSUCHCHANNEL;
import static dev.parley.protocol.Numerics.ERR_NOTONCHANNEL;
import static dev.parley.protocol.Numerics.ERR_TOOMANYCHANNELS;
import static dev.parley.protocol.Numerics.RPL_ENDOFNAMES;
import static dev.parley.protocol.Numerics.RPL_NAMREPLY;
import static dev.parley.protocol.Numerics.RPL_NOTOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPICWHOTIME;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Names;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Channel membership and channel queries: JOIN, PART, TOPIC, NAMES. */
final class ChannelCommands {
    private ChannelCommands() {
    }

    static void register(CommandTable t) {
        t.add("JOIN", 1, false, ChannelCommands::join);
        t.add("PART", 1, false, ChannelCommands::part);
        t.add("TOPIC", 1, false, ChannelCommands::topic);
        t.add("NAMES", 0, false, ChannelCommands::names);
    }

    // JOIN <channel>{,<channel>} [<key>{,<key>}]  |  JOIN 0
    private static void join(Client c, IrcMessage m) {
        if (m.param(0).equals("0")) {
            for (Channel ch : new ArrayList<>(c.channels())) {
                c.hub().part(c, ch, c.nick());
            }
            return;
        }
        Hub hub = c.hub();
        for (String name : m.param(0).split(",")) {
            if (name.isEmpty()) {
                continue;
            }
            if (!Names.isValidChannel(name, hub.config().channelLength())) {
                c.numeric(ERR_NOSUCHCHANNEL, name, "No such channel");
                continue;
            }
            switch (hub.join(c, name)) {
                case Hub.Joined j -> {
                    sendTopic(c, j.channel(), false);
                    sendNames(c, j.channel());
                }
                case Hub.AlreadyOn a -> {
                    // already there: nothing to say, as other servers do
                }
                case Hub.TooManyChannels t -> c.numeric(ERR_TOOMANYCHANNELS, name, "You have joined too many channels");
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
            sendTopic(c, ch, true);
            return;
        }
        if (!member) {
            c.numeric(ERR_NOTONCHANNEL, name, "You're not on that channel");
            return;
        }
        String text = truncate(m.param(1), c.hub().config().topicLength());
        c.hub().setTopic(c, ch, text);
    }

    // NAMES [<channel>{,<channel>}]
    private static void names(Client c, IrcMessage m) {
        if (m.paramCount() == 0) {
            c.numeric(RPL_ENDOFNAMES, "*", "End of /NAMES list");
            return;
        }
        for (String name : m.param(0).split(",")) {
            Channel ch = c.hub().findChannel(name);
            if (ch == null) {
                c.numeric(RPL_ENDOFNAMES, name, "End of /NAMES list");
            } else {
                sendNames(c, ch);
            }
        }
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
        c.numeric(RPL_TOPICWHOTIME, ch.name(), nickOf(t.setBy()), Long.toString(t.setAtMillis() / 1000));
    }

    /** RPL_NAMREPLY lines, each kept under the 512-byte limit, then RPL_ENDOFNAMES. */
    static void sendNames(Client c, Channel ch) {
        String server = c.hub().serverName();
        String head = ":" + server + " " + RPL_NAMREPLY + " " + c.nickOrStar() + " = " + ch.name() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        List<String> batch = new ArrayList<>();
        int used = 0;
        for (Map.Entry<Client, Membership> e : ch.membershipsCopy().entrySet()) {
            String entry = e.getValue().prefix(false) + e.getKey().nick();
            int cost = entry.length() + (batch.isEmpty() ? 0 : 1);
            if (!batch.isEmpty() && used + cost > budget) {
                c.numeric(RPL_NAMREPLY, "=", ch.name(), String.join(" ", batch));
                batch.clear();
                used = 0;
                cost = entry.length();
            }
            batch.add(entry);
            used += cost;
        }
        if (!batch.isEmpty()) {
            c.numeric(RPL_NAMREPLY, "=", ch.name(), String.join(" ", batch));
        }
        c.numeric(RPL_ENDOFNAMES, ch.name(), "End of /NAMES list");
    }

    static String nickOf(String prefix) {
        int bang = prefix.indexOf('!');
        return bang < 0 ? prefix : prefix.substring(0, bang);
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
