package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_NOMOTD;
import static dev.parley.protocol.Numerics.RPL_ENDOFMOTD;
import static dev.parley.protocol.Numerics.RPL_ENDOFNAMES;
import static dev.parley.protocol.Numerics.RPL_GLOBALUSERS;
import static dev.parley.protocol.Numerics.RPL_LOCALUSERS;
import static dev.parley.protocol.Numerics.RPL_LUSERCHANNELS;
import static dev.parley.protocol.Numerics.RPL_LUSERCLIENT;
import static dev.parley.protocol.Numerics.RPL_LUSERME;
import static dev.parley.protocol.Numerics.RPL_LUSEROP;
import static dev.parley.protocol.Numerics.RPL_LUSERUNKNOWN;
import static dev.parley.protocol.Numerics.RPL_MOTD;
import static dev.parley.protocol.Numerics.RPL_MOTDSTART;
import static dev.parley.protocol.Numerics.RPL_NAMREPLY;
import static dev.parley.protocol.Numerics.RPL_NOTOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPIC;
import static dev.parley.protocol.Numerics.RPL_TOPICWHOTIME;

import dev.parley.protocol.IrcParser;
import dev.parley.server.config.Motd;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Membership;
import java.util.ArrayList;
import java.util.List;

/**
 * Replies more than one command sends (a JOIN and TOPIC both show the topic, a JOIN and NAMES
 * both list names). Each reads the channel's current view and takes no lock.
 */
final class Replies {
    private Replies() {
    }

    /** True when {@code c} is an operator of {@code ch} right now. */
    static boolean isOp(Client c, Channel ch) {
        Membership mem = ch.membership(c);
        return mem != null && mem.isOp();
    }

    /** RPL_TOPIC and RPL_TOPICWHOTIME; RPL_NOTOPIC when there is none and {@code sayWhenNone}. */
    static void topic(Client c, Channel ch, boolean sayWhenNone) {
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
    static void names(Client c, Channel ch) {
        Channel.View v = ch.view();
        String server = c.hub().serverName();
        String symbol = v.modes().secret() ? "@" : "=";
        String head = ":" + server + " " + RPL_NAMREPLY + " " + c.nickOrStar() + " " + symbol + " " + ch.name() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        boolean allPrefixes = c.hasCap(Cap.MULTI_PREFIX);
        boolean userhost = c.hasCap(Cap.USERHOST_IN_NAMES);
        boolean member = c.isOn(ch);
        List<String> batch = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < v.members().length; i++) {
            Client who = v.members()[i];
            if (!member && who.hasMode('i')) {
                continue; // invisible users are listed only to fellow members
            }
            String entry = v.prefixes()[i].prefix(allPrefixes) + (userhost ? who.prefix() : who.nick());
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

    /** The message of the day (375, 372…, 376), or 422 when there is none. */
    static void motd(Client c) {
        Motd motd = c.hub().motd();
        if (motd.isEmpty()) {
            c.numeric(ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        c.numeric(RPL_MOTDSTART, "- " + c.hub().serverName() + " Message of the day - ");
        for (String line : motd.lines()) {
            c.numeric(RPL_MOTD, "- " + line);
        }
        c.numeric(RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    /** The user and channel counts (251-255, 265, 266); in a cluster, local is this node's and global the network's. */
    static void lusers(Client c) {
        Hub hub = c.hub();
        int users = 0;
        int local = 0;
        int invisible = 0;
        int opers = 0;
        int unknown = 0;
        java.util.Set<String> nodes = new java.util.HashSet<>();
        for (Client x : hub.clients()) {
            if (!x.isRegistered()) {
                if (!x.isRemote()) {
                    unknown++;
                }
                continue;
            }
            users++;
            if (x.isRemote()) {
                nodes.add(x.node());
            } else {
                local++;
            }
            if (x.hasMode('i')) {
                invisible++;
            }
            if (x.isOper()) {
                opers++;
            }
        }
        int servers = Math.max(1 + nodes.size(), hub.serverCount()); // nodes without users count too
        String u = Integer.toString(users);
        String max = Integer.toString(hub.peakUsers(users));
        String l = Integer.toString(local);
        String localMax = nodes.isEmpty() ? max : l;
        c.numeric(RPL_LUSERCLIENT, "There are " + (users - invisible) + " users and " + invisible + " invisible on "
                + servers + " servers");
        if (opers > 0) {
            c.numeric(RPL_LUSEROP, Integer.toString(opers), "operator(s) online");
        }
        if (unknown > 0) {
            c.numeric(RPL_LUSERUNKNOWN, Integer.toString(unknown), "unknown connection(s)");
        }
        c.numeric(RPL_LUSERCHANNELS, Integer.toString(hub.channelCount()), "channels formed");
        c.numeric(RPL_LUSERME, "I have " + local + " clients and " + (servers - 1) + " servers");
        c.numeric(RPL_LOCALUSERS, l, localMax, "Current local users " + local + ", max " + localMax);
        c.numeric(RPL_GLOBALUSERS, u, max, "Current global users " + users + ", max " + max);
    }
}
