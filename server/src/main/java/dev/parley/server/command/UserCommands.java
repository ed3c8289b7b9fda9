package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_NONICKNAMEGIVEN;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_WASNOSUCHNICK;
import static dev.parley.protocol.Numerics.RPL_AWAY;
import static dev.parley.protocol.Numerics.RPL_WHOISHOST;
import static dev.parley.protocol.Numerics.RPL_ENDOFWHO;
import static dev.parley.protocol.Numerics.RPL_ENDOFWHOIS;
import static dev.parley.protocol.Numerics.RPL_ENDOFWHOWAS;
import static dev.parley.protocol.Numerics.RPL_ISON;
import static dev.parley.protocol.Numerics.RPL_NOWAWAY;
import static dev.parley.protocol.Numerics.RPL_UNAWAY;
import static dev.parley.protocol.Numerics.RPL_USERHOST;
import static dev.parley.protocol.Numerics.RPL_WHOISACCOUNT;
import static dev.parley.protocol.Numerics.RPL_WHOISACTUALLY;
import static dev.parley.protocol.Numerics.RPL_WHOISBOT;
import static dev.parley.protocol.Numerics.RPL_WHOISCERTFP;
import static dev.parley.protocol.Numerics.RPL_WHOISCHANNELS;
import static dev.parley.protocol.Numerics.RPL_WHOISIDLE;
import static dev.parley.protocol.Numerics.RPL_WHOISOPERATOR;
import static dev.parley.protocol.Numerics.RPL_WHOISSECURE;
import static dev.parley.protocol.Numerics.RPL_WHOISSERVER;
import static dev.parley.protocol.Numerics.RPL_WHOISUSER;
import static dev.parley.protocol.Numerics.RPL_WHOREPLY;
import static dev.parley.protocol.Numerics.RPL_WHOWASUSER;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Masks;
import dev.parley.protocol.Names;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Membership;
import dev.parley.server.core.UserMode;
import dev.parley.server.core.Whowas;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Queries about users and the user's own state: AWAY, WHO, WHOIS, WHOWAS, USERHOST, ISON, SETNAME. */
final class UserCommands {
    private UserCommands() {
    }

    static void register(CommandTable t) {
        t.add("AWAY", 0, false, UserCommands::away);
        t.add("WHO", 0, false, UserCommands::who);
        t.add("WHOIS", 1, false, UserCommands::whois);
        t.add("WHOWAS", 1, false, UserCommands::whowas);
        t.add("USERHOST", 1, false, UserCommands::userhost);
        t.add("ISON", 1, false, UserCommands::ison);
        t.add("SETNAME", 1, false, UserCommands::setname);
    }

    // AWAY [<text>]
    private static void away(Client c, IrcMessage m) {
        String text = m.param(0);
        if (text == null || text.isEmpty()) {
            c.hub().apply(new Change.Away(c, null));
            c.numeric(RPL_UNAWAY, "You are no longer marked as being away");
            return;
        }
        if (Text.refuseControlCharacters(c, "AWAY", text)) {
            return;
        }
        text = Text.truncate(text, c.hub().config().awayLength());
        c.hub().apply(new Change.Away(c, text));
        c.numeric(RPL_NOWAWAY, "You have been marked as being away");
    }

    // WHO <mask> [o | %<fields>[,<token>]]
    private static void who(Client c, IrcMessage m) {
        Hub hub = c.hub();
        String mask = m.paramCount() == 0 ? "*" : m.param(0);
        String options = m.param(1) == null ? "" : m.param(1);
        boolean opersOnly = options.startsWith("o");
        Whox whox = Whox.parse(options);
        if (mask.isEmpty()) {
            // an empty mask matches nobody
        } else if (Names.isChannel(mask)) {
            Channel ch = hub.findChannel(mask);
            if (ch != null) {
                Channel.View v = ch.view();
                boolean member = c.isOn(ch);
                if (member || !v.modes().secret()) {
                    for (int i = 0; i < v.members().length; i++) {
                        Client who = v.members()[i];
                        if ((member || !who.hasMode('i')) && (!opersOnly || who.isOper())) {
                            whoReply(c, who, ch, v.prefixes()[i], whox);
                        }
                    }
                }
            }
        } else if (!hasWildcards(mask)) {
            // an exact nickname: that user, as WHOIS would show it (invisible or not)
            Client who = hub.findNick(mask);
            if (who != null && who.isRegistered() && (!opersOnly || who.isOper())) {
                Channel ch = firstVisibleChannel(c, who);
                whoReply(c, who, ch, ch == null ? null : ch.membership(who), whox);
            }
        } else {
            String pattern = mask.equals("0") ? "*" : mask;
            for (Client who : hub.clients()) {
                if (!who.isRegistered() || (opersOnly && !who.isOper())) {
                    continue;
                }
                boolean visible = who == c || !who.hasMode('i') || c.isOper() || hub.shareChannel(c, who);
                if (visible && whoMatches(hub, pattern, who)) {
                    Channel ch = firstVisibleChannel(c, who);
                    whoReply(c, who, ch, ch == null ? null : ch.membership(who), whox);
                }
            }
        }
        c.numeric(RPL_ENDOFWHO, mask, "End of WHO list");
    }

    private static boolean hasWildcards(String mask) {
        return mask.indexOf('*') >= 0 || mask.indexOf('?') >= 0 || mask.equals("0");
    }

    private static boolean whoMatches(Hub hub, String pattern, Client who) {
        var cm = hub.caseMapping();
        return Masks.matches(pattern, who.nick(), cm) || Masks.matches(pattern, who.user(), cm)
                || Masks.matches(pattern, who.host(), cm) || Masks.matches(pattern, who.realname(), cm)
                || Masks.matches(pattern, who.prefix(), cm) || Masks.matches(pattern, hub.serverOf(who), cm);
    }

    private static Channel firstVisibleChannel(Client asker, Client who) {
        for (Channel ch : who.channels()) {
            if (!ch.modes().secret() || asker.isOn(ch)) {
                return ch;
            }
        }
        return null;
    }

    private static void whoReply(Client c, Client who, Channel ch, Membership mem, Whox whox) {
        String flags = whoFlags(c, who, mem);
        if (whox != null) {
            c.numeric(Whox.RPL_WHOSPCRPL, whox.fields(c, who, ch, flags).toArray(String[]::new));
            return;
        }
        c.numeric(RPL_WHOREPLY, ch == null ? "*" : ch.name(), who.user(), who.host(), c.hub().serverOf(who),
                who.nick(), flags, "0 " + who.realname());
    }

    /** WHO flags in the documented order: H or G, {@code *} for an operator, the channel prefix, then B for a bot. */
    private static String whoFlags(Client c, Client who, Membership mem) {
        StringBuilder flags = new StringBuilder(who.away() == null ? "H" : "G");
        if (who.isOper()) {
            flags.append('*');
        }
        if (mem != null) {
            flags.append(mem.prefix(c.hasCap(Cap.MULTI_PREFIX)));
        }
        if (who.hasMode(UserMode.BOT)) {
            flags.append(UserMode.BOT);
        }
        return flags.toString();
    }

    // WHOIS [<target>] <nick>{,<nick>}
    private static void whois(Client c, IrcMessage m) {
        Hub hub = c.hub();
        String nicks = m.paramCount() > 1 ? m.param(1) : m.param(0);
        if (m.paramCount() > 1 && !ServerTarget.isHere(c, m.param(0))) {
            return;
        }
        if (nicks.isEmpty()) {
            c.numeric(ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        String[] list = nicks.split(",");
        for (int i = 0; i < Math.min(list.length, hub.config().maxTargets()); i++) {
            String nick = list[i];
            if (nick.isEmpty()) {
                continue;
            }
            Client who = hub.findNick(nick);
            if (who == null || !who.isRegistered()) {
                c.numeric(ERR_NOSUCHNICK, nick, "No such nick/channel");
            } else {
                whoisReply(c, who);
            }
        }
        // one end, naming exactly what was asked (case kept, the whole list)
        c.numeric(RPL_ENDOFWHOIS, nicks, "End of /WHOIS list");
    }

    /** A WHOIS entry in the documented order: 311, 319, 312, 313, 317, 330, 338/378, 671, 276, 335, 301. */
    private static void whoisReply(Client c, Client who) {
        Hub hub = c.hub();
        c.numeric(RPL_WHOISUSER, who.nick(), who.user(), who.host(), "*", who.realname());
        whoisChannels(c, who);
        c.numeric(RPL_WHOISSERVER, who.nick(), hub.serverOf(who), hub.config().networkName() + " chat server");
        if (who.isOper()) {
            c.numeric(RPL_WHOISOPERATOR, who.nick(), "is an IRC operator");
        }
        long idle = Math.max(0, (hub.now() - who.lastMessageMillis()) / 1000);
        c.numeric(RPL_WHOISIDLE, who.nick(), Long.toString(idle), Long.toString(who.connectedAtMillis() / 1000),
                "seconds idle, signon time");
        if (who.account() != null) {
            c.numeric(RPL_WHOISACCOUNT, who.nick(), who.account(), "is logged in as");
        }
        if (who == c || c.isOper()) { // the real address: for the user itself and operators only
            String ip = who.address().getHostAddress();
            c.numeric(RPL_WHOISACTUALLY, who.nick(), who.user() + "@" + safeParam(who.realHost()), safeParam(ip),
                    "Is actually using host");
            c.numeric(RPL_WHOISHOST, who.nick(), "is connecting from *@" + who.realHost() + " " + ip);
        }
        if (who.isSecure()) {
            c.numeric(RPL_WHOISSECURE, who.nick(), "is using a secure connection");
        }
        String fingerprint = who.certFingerprint();
        if (fingerprint != null && (who == c || c.isOper())) { // a fingerprint identifies its owner: self and operators only
            c.numeric(RPL_WHOISCERTFP, who.nick(), "has client certificate fingerprint " + fingerprint);
        }
        if (who.hasMode(UserMode.BOT)) {
            c.numeric(RPL_WHOISBOT, who.nick(), "is a bot on " + hub.config().networkName());
        }
        if (who.away() != null) {
            c.numeric(RPL_AWAY, who.nick(), who.away());
        }
    }

    /** RPL_WHOISCHANNELS, as many lines as the channels need (secret ones and an invisible user's only to those who share them). */
    private static void whoisChannels(Client c, Client who) {
        String head = ":" + c.hub().serverName() + " " + RPL_WHOISCHANNELS + " " + c.nick() + " " + who.nick() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        List<String> line = new ArrayList<>();
        int used = 0;
        for (Channel ch : who.channels()) {
            boolean shared = c.isOn(ch);
            if (!(who == c || shared || (!ch.modes().secret() && !who.hasMode('i')))) {
                continue;
            }
            Membership mem = ch.membership(who);
            String entry = (mem == null ? "" : mem.prefix(c.hasCap(Cap.MULTI_PREFIX))) + ch.name();
            int cost = IrcParser.utf8Length(entry) + (line.isEmpty() ? 0 : 1);
            if (!line.isEmpty() && used + cost > budget) {
                c.numeric(RPL_WHOISCHANNELS, who.nick(), String.join(" ", line));
                line.clear();
                used = 0;
                cost = IrcParser.utf8Length(entry);
            }
            line.add(entry);
            used += cost;
        }
        if (!line.isEmpty()) {
            c.numeric(RPL_WHOISCHANNELS, who.nick(), String.join(" ", line));
        }
    }

    /** A middle parameter may not start with ':' (an IPv6 address such as ::1 becomes 0::1). */
    private static String safeParam(String s) {
        return s.startsWith(":") ? "0" + s : s;
    }

    // WHOWAS <nick> [<count>]
    private static void whowas(Client c, IrcMessage m) {
        Hub hub = c.hub();
        String nick = m.param(0);
        if (nick.isEmpty()) {
            c.numeric(ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        int count = Integer.MAX_VALUE;
        if (m.paramCount() > 1) {
            try {
                count = Integer.parseInt(m.param(1));
            } catch (NumberFormatException ignored) {
                // not a number: no limit
            }
            if (count <= 0) {
                count = Integer.MAX_VALUE;
            }
        }
        List<Whowas.Entry> found = hub.whowas().find(nick, count, hub.caseMapping());
        if (found.isEmpty()) {
            c.numeric(ERR_WASNOSUCHNICK, nick, "There was no such nickname");
        }
        DateTimeFormatter when = DateTimeFormatter.ofPattern("EEE MMM d yyyy HH:mm:ss 'UTC'", Locale.ROOT);
        for (Whowas.Entry e : found) {
            c.numeric(RPL_WHOWASUSER, e.nick(), e.user(), e.host(), "*", e.realname());
            c.numeric(RPL_WHOISSERVER, e.nick(), hub.serverName(),
                    when.format(Instant.ofEpochMilli(e.atMillis()).atZone(ZoneOffset.UTC)));
            if (e.account() != null) {
                c.numeric(RPL_WHOISACCOUNT, e.nick(), e.account(), "was logged in as");
            }
        }
        c.numeric(RPL_ENDOFWHOWAS, nick, "End of WHOWAS");
    }

    // USERHOST <nick>{ <nick>}   (at most 5)
    private static void userhost(Client c, IrcMessage m) {
        List<String> replies = new ArrayList<>();
        for (int i = 0; i < Math.min(5, m.paramCount()); i++) {
            for (String nick : m.param(i).split(" ")) {
                Client who = c.hub().findNick(nick);
                if (who != null && who.isRegistered() && replies.size() < 5) {
                    replies.add(who.nick() + (who.isOper() ? "*" : "") + "=" + (who.away() == null ? "+" : "-")
                            + who.user() + "@" + who.host());
                }
            }
        }
        c.numeric(RPL_USERHOST, String.join(" ", replies));
    }

    // ISON <nick>{ <nick>}
    private static void ison(Client c, IrcMessage m) {
        List<String> online = new ArrayList<>();
        for (String p : m.params()) {
            for (String nick : p.split(" ")) {
                Client who = nick.isEmpty() ? null : c.hub().findNick(nick);
                if (who != null && who.isRegistered()) {
                    online.add(who.nick());
                }
            }
        }
        c.numeric(RPL_ISON, String.join(" ", online));
    }

    // SETNAME <realname>
    private static void setname(Client c, IrcMessage m) {
        String name = m.param(0);
        if (name.isEmpty() || name.length() > 200) {
            c.serverMessage("FAIL", "SETNAME", "INVALID_REALNAME", "Realname is not valid");
            return;
        }
        c.hub().apply(new Change.Realname(c, name));
    }
}
