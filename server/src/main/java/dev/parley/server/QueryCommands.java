package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_NOMOTD;
import static dev.parley.protocol.Numerics.RPL_ADMINEMAIL;
import static dev.parley.protocol.Numerics.RPL_ADMINLOC1;
import static dev.parley.protocol.Numerics.RPL_ADMINLOC2;
import static dev.parley.protocol.Numerics.RPL_ADMINME;
import static dev.parley.protocol.Numerics.RPL_ENDOFINFO;
import static dev.parley.protocol.Numerics.RPL_ENDOFMOTD;
import static dev.parley.protocol.Numerics.RPL_GLOBALUSERS;
import static dev.parley.protocol.Numerics.RPL_INFO;
import static dev.parley.protocol.Numerics.RPL_LOCALUSERS;
import static dev.parley.protocol.Numerics.RPL_LUSERCHANNELS;
import static dev.parley.protocol.Numerics.RPL_LUSERCLIENT;
import static dev.parley.protocol.Numerics.RPL_LUSERME;
import static dev.parley.protocol.Numerics.RPL_LUSEROP;
import static dev.parley.protocol.Numerics.RPL_LUSERUNKNOWN;
import static dev.parley.protocol.Numerics.RPL_MOTD;
import static dev.parley.protocol.Numerics.RPL_MOTDSTART;
import static dev.parley.protocol.Numerics.RPL_TIME;
import static dev.parley.protocol.Numerics.RPL_VERSION;

import dev.parley.protocol.IrcMessage;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Questions about the server: MOTD, LUSERS, VERSION, TIME, INFO, ADMIN. */
final class QueryCommands {
    private QueryCommands() {
    }

    static void register(CommandTable t) {
        t.add("MOTD", 0, false, (c, m) -> motd(c));
        t.add("LUSERS", 0, false, (c, m) -> lusers(c));
        t.add("VERSION", 0, false, (c, m) -> version(c));
        t.add("TIME", 0, false, (c, m) -> time(c));
        t.add("INFO", 0, false, (c, m) -> info(c));
        t.add("ADMIN", 0, false, (c, m) -> admin(c));
    }

    // MOTD [<target>]
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

    // LUSERS
    static void lusers(Client c) {
        Hub hub = c.hub();
        int users = 0;
        int invisible = 0;
        int opers = 0;
        int unknown = 0;
        for (Client x : hub.clients()) {
            if (!x.isRegistered()) {
                unknown++;
                continue;
            }
            users++;
            if (x.hasMode('i')) {
                invisible++;
            }
            if (x.isOper()) {
                opers++;
            }
        }
        String u = Integer.toString(users);
        c.numeric(RPL_LUSERCLIENT, "There are " + (users - invisible) + " users and " + invisible + " invisible on 1 servers");
        if (opers > 0) {
            c.numeric(RPL_LUSEROP, Integer.toString(opers), "operator(s) online");
        }
        if (unknown > 0) {
            c.numeric(RPL_LUSERUNKNOWN, Integer.toString(unknown), "unknown connection(s)");
        }
        c.numeric(RPL_LUSERCHANNELS, Integer.toString(hub.channelCount()), "channels formed");
        c.numeric(RPL_LUSERME, "I have " + users + " clients and 0 servers");
        c.numeric(RPL_LOCALUSERS, u, u, "Current local users " + users + ", max " + users);
        c.numeric(RPL_GLOBALUSERS, u, u, "Current global users " + users + ", max " + users);
    }

    // VERSION [<target>]
    static void version(Client c) {
        ServerConfig cfg = c.hub().config();
        c.numeric(RPL_VERSION, "parley-" + cfg.version(), cfg.serverName(),
                "engine " + cfg.engine().label() + ", Java " + Runtime.version().feature());
        for (IrcMessage line : Features.isupport(cfg, c.hub().caseMapping()).messages(cfg.serverName(), c.nick())) {
            c.send(line);
        }
    }

    // TIME [<server>]
    static void time(Client c) {
        Instant now = Instant.ofEpochMilli(c.hub().now());
        String human = DateTimeFormatter.ofPattern("EEEE MMMM d yyyy -- HH:mm:ss 'UTC'", Locale.ROOT)
                .format(now.atZone(ZoneOffset.UTC));
        c.numeric(RPL_TIME, c.hub().serverName(), Long.toString(now.getEpochSecond()), "0", human);
    }

    // INFO
    static void info(Client c) {
        ServerConfig cfg = c.hub().config();
        c.numeric(RPL_INFO, "Parley " + cfg.version() + " - an IRC-compatible chat server written in Java.");
        c.numeric(RPL_INFO, "Engine: " + cfg.engine().label() + ". Running since "
                + Instant.ofEpochMilli(c.hub().startedAtMillis()) + ".");
        c.numeric(RPL_ENDOFINFO, "End of /INFO list");
    }

    // ADMIN [<target>]
    static void admin(Client c) {
        ServerConfig cfg = c.hub().config();
        c.numeric(RPL_ADMINME, cfg.serverName(), "Administrative info");
        c.numeric(RPL_ADMINLOC1, cfg.adminLocation().isEmpty() ? cfg.networkName() : cfg.adminLocation());
        c.numeric(RPL_ADMINLOC2, cfg.serverName());
        c.numeric(RPL_ADMINEMAIL, cfg.adminEmail().isEmpty() ? "-" : cfg.adminEmail());
    }
}
