package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_NEEDMOREPARAMS;
import static dev.parley.protocol.Numerics.ERR_NOPRIVILEGES;
import static dev.parley.protocol.Numerics.RPL_ENDOFSTATS;
import static dev.parley.protocol.Numerics.RPL_STATSDLINE;
import static dev.parley.protocol.Numerics.RPL_STATSKLINE;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.ServerBans;
import dev.parley.server.session.Session;
import dev.parley.server.store.Store.ServerBan;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server bans, for operators: KLINE, UNKLINE, DLINE, UNDLINE and STATS k/d. A new ban takes
 * effect at once: whoever it matches is disconnected (told the reason; their channels see only
 * "K-Lined" or "D-Lined", so the reason an operator wrote stays between them and the banned).
 * The store write runs off the reader ({@link Session#offload}).
 */
final class BanCommands {
    private static final Logger LOG = LoggerFactory.getLogger("parley.bans");

    private BanCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("KLINE", 1, false, (s, m) -> add(s, m, ServerBans.KLINE));
        t.addWithSession("DLINE", 1, false, (s, m) -> add(s, m, ServerBans.DLINE));
        t.addWithSession("UNKLINE", 1, false, (s, m) -> remove(s, m, ServerBans.KLINE));
        t.addWithSession("UNDLINE", 1, false, (s, m) -> remove(s, m, ServerBans.DLINE));
        t.add("STATS", 1, false, BanCommands::stats);
    }

    private static boolean isOper(Client c) {
        if (!c.isOper()) {
            c.numeric(ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            return false;
        }
        return true;
    }

    // KLINE [<duration>] <user@host|nick> :<reason>
    // DLINE [<duration>] <address|CIDR|nick> :<reason>
    private static void add(Session s, IrcMessage m, char kind) {
        Client c = s.client();
        if (!isOper(c)) {
            return;
        }
        int i = 0;
        Duration length = Duration.ZERO;
        try {
            if (m.paramCount() > 1 && ServerBans.isDuration(m.param(0))) {
                length = ServerBans.parseDuration(m.param(0));
                i = 1;
            }
        } catch (IllegalArgumentException e) {
            c.serverMessage("NOTICE", c.nick(), e.getMessage());
            return;
        }
        if (i >= m.paramCount()) {
            c.numeric(ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters");
            return;
        }
        String mask = target(c.hub(), m.param(i), kind);
        String reason = i + 1 < m.paramCount() && !m.param(i + 1).isBlank() ? Text.truncate(m.param(i + 1).strip(), 300) : "No reason";
        String name = kind == ServerBans.KLINE ? "K-Line" : "D-Line";
        if (Text.hasControlCharacters(reason)) {
            c.serverMessage("NOTICE", c.nick(), "*** " + name + " not set: the reason holds control characters");
            return;
        }
        try {
            if (kind == ServerBans.KLINE) {
                ServerBans.kMask(mask);
            } else {
                ServerBans.dMask(mask);
            }
        } catch (IllegalArgumentException e) {
            c.serverMessage("NOTICE", c.nick(), "*** " + name + " not set: " + e.getMessage());
            return;
        }
        Duration len = length;
        ServerBans bans = c.hub().bans();
        s.offload(() -> bans.add(kind, mask, len, reason, c.operName() == null ? c.nick() : c.operName()), b -> {
            LOG.info("{} set a {} on {} for {}: {}", c.describe(), name, b.mask(),
                    len.isZero() ? "ever" : len, reason);
            c.serverMessage("NOTICE", c.nick(), "*** " + name + " on " + b.mask() + " set "
                    + (len.isZero() ? "permanently" : "until " + Instant.ofEpochMilli(b.expiresAtMillis())) + ": " + reason);
            int gone = c.hub().enforceBans();
            if (gone > 0) {
                c.serverMessage("NOTICE", c.nick(), "*** " + name + " on " + b.mask() + " disconnected " + gone + " user(s)");
            }
        });
    }

    /** A nick given instead of a mask bans that user's real address. */
    private static String target(Hub hub, String given, char kind) {
        boolean isMask = kind == ServerBans.KLINE ? given.indexOf('@') >= 0 : given.indexOf('.') >= 0 || given.indexOf(':') >= 0;
        if (isMask) {
            return given;
        }
        Client who = hub.findNick(given);
        if (who == null) {
            return given;
        }
        return kind == ServerBans.KLINE ? "*@" + who.realHost() : who.realHost();
    }

    // UNKLINE <user@host>   UNDLINE <address|CIDR>
    private static void remove(Session s, IrcMessage m, char kind) {
        Client c = s.client();
        if (!isOper(c)) {
            return;
        }
        String name = kind == ServerBans.KLINE ? "K-Line" : "D-Line";
        String mask = m.param(0);
        try {
            if (kind == ServerBans.KLINE) {
                ServerBans.kMask(mask);
            } else {
                ServerBans.dMask(mask);
            }
        } catch (IllegalArgumentException e) {
            c.serverMessage("NOTICE", c.nick(), "*** " + name + " not removed: " + e.getMessage());
            return;
        }
        ServerBans bans = c.hub().bans();
        s.offload(() -> bans.remove(kind, mask), found -> {
            if (found) {
                LOG.info("{} removed the {} on {}", c.describe(), name, mask);
                c.serverMessage("NOTICE", c.nick(), "*** " + name + " on " + mask + " removed");
            } else {
                c.serverMessage("NOTICE", c.nick(), "*** No " + name + " on " + mask);
            }
        });
    }

    // STATS <query>   (k: K-lines, d: D-lines; operators only)
    private static void stats(Client c, IrcMessage m) {
        if (!isOper(c)) {
            return;
        }
        String query = m.param(0).isEmpty() ? "*" : m.param(0).substring(0, 1);
        ServerBans bans = c.hub().bans();
        switch (query) {
            case "k", "K" -> {
                for (ServerBan b : bans.list(ServerBans.KLINE)) {
                    int at = b.mask().indexOf('@');
                    c.numeric(RPL_STATSKLINE, "K", b.mask().substring(at + 1), "*", b.mask().substring(0, at), describe(b));
                }
            }
            case "d", "D" -> {
                for (ServerBan b : bans.list(ServerBans.DLINE)) {
                    c.numeric(RPL_STATSDLINE, "D", b.mask(), describe(b));
                }
            }
            default -> { }
        }
        c.numeric(RPL_ENDOFSTATS, query, "End of /STATS report");
    }

    private static String describe(ServerBan b) {
        return b.reason() + " (set by " + b.setBy() + (b.expiresAtMillis() == 0 ? ", permanent)"
                : ", expires " + Instant.ofEpochMilli(b.expiresAtMillis()) + ")");
    }
}
