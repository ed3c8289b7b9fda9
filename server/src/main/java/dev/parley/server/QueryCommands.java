package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_NOMOTD;
import static dev.parley.protocol.Numerics.RPL_ENDOFMOTD;
import static dev.parley.protocol.Numerics.RPL_GLOBALUSERS;
import static dev.parley.protocol.Numerics.RPL_LOCALUSERS;
import static dev.parley.protocol.Numerics.RPL_LUSERCHANNELS;
import static dev.parley.protocol.Numerics.RPL_LUSERCLIENT;
import static dev.parley.protocol.Numerics.RPL_LUSERME;
import static dev.parley.protocol.Numerics.RPL_LUSERUNKNOWN;
import static dev.parley.protocol.Numerics.RPL_MOTD;
import static dev.parley.protocol.Numerics.RPL_MOTDSTART;

/** Server queries: MOTD, LUSERS. */
final class QueryCommands {
    private QueryCommands() {
    }

    static void register(CommandTable t) {
        t.add("MOTD", 0, false, (c, m) -> motd(c));
        t.add("LUSERS", 0, false, (c, m) -> lusers(c));
    }

    // MOTD [<target>]
    static void motd(Client c) {
        Motd motd = c.hub().motd();
        String server = c.hub().serverName();
        if (motd.isEmpty()) {
            c.numeric(ERR_NOMOTD, "MOTD File is missing");
            return;
        }
        c.numeric(RPL_MOTDSTART, "- " + server + " Message of the day - ");
        for (String line : motd.lines()) {
            c.numeric(RPL_MOTD, "- " + line);
        }
        c.numeric(RPL_ENDOFMOTD, "End of /MOTD command.");
    }

    // LUSERS
    static void lusers(Client c) {
        Hub hub = c.hub();
        int users = hub.registeredCount();
        int unknown = hub.connectionCount() - users;
        String u = Integer.toString(users);
        c.numeric(RPL_LUSERCLIENT, "There are " + users + " users and 0 invisible on 1 servers");
        if (unknown > 0) {
            c.numeric(RPL_LUSERUNKNOWN, Integer.toString(unknown), "unknown connection(s)");
        }
        c.numeric(RPL_LUSERCHANNELS, Integer.toString(hub.channelCount()), "channels formed");
        c.numeric(RPL_LUSERME, "I have " + users + " clients and 0 servers");
        c.numeric(RPL_LOCALUSERS, u, u, "Current local users " + users + ", max " + users);
        c.numeric(RPL_GLOBALUSERS, u, u, "Current global users " + users + ", max " + users);
    }
}
