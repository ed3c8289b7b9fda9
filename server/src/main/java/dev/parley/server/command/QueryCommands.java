package dev.parley.server.command;

import static dev.parley.protocol.Numerics.RPL_ADMINEMAIL;
import static dev.parley.protocol.Numerics.RPL_ADMINLOC1;
import static dev.parley.protocol.Numerics.RPL_ADMINLOC2;
import static dev.parley.protocol.Numerics.RPL_ADMINME;
import static dev.parley.protocol.Numerics.RPL_ENDOFINFO;
import static dev.parley.protocol.Numerics.RPL_INFO;
import static dev.parley.protocol.Numerics.RPL_TIME;
import static dev.parley.protocol.Numerics.RPL_VERSION;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * Questions about the server: MOTD, LUSERS, VERSION, TIME, INFO, ADMIN. A {@code <target>} other
 * than this server (or a user on it) is answered with ERR_NOSUCHSERVER.
 */
final class QueryCommands {
    private QueryCommands() {
    }

    static void register(CommandTable t) {
        // MOTD [<target>]
        t.add("MOTD", 0, false, (c, m) -> {
            if (ServerTarget.isHere(c, m.param(0))) {
                Replies.motd(c);
            }
        });
        // LUSERS
        t.add("LUSERS", 0, false, (c, m) -> Replies.lusers(c));
        t.add("VERSION", 0, false, (c, m) -> {
            if (ServerTarget.isHere(c, m.param(0))) {
                version(c);
            }
        });
        t.add("TIME", 0, false, (c, m) -> {
            if (ServerTarget.isHere(c, m.param(0))) {
                time(c);
            }
        });
        t.add("INFO", 0, false, (c, m) -> {
            if (ServerTarget.isHere(c, m.param(0))) {
                info(c);
            }
        });
        t.add("ADMIN", 0, false, (c, m) -> {
            if (ServerTarget.isHere(c, m.param(0))) {
                admin(c);
            }
        });
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

    // INFO [<target>]
    static void info(Client c) {
        ServerConfig cfg = c.hub().config();
        c.numeric(RPL_INFO, "Parley " + cfg.version() + " - an IRC-compatible chat server written in Java.");
        c.numeric(RPL_INFO, "Engine: " + cfg.engine().label() + ". Running since "
                + Instant.ofEpochMilli(c.hub().startedAtMillis()) + ".");
        c.numeric(RPL_ENDOFINFO, "End of INFO list");
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
