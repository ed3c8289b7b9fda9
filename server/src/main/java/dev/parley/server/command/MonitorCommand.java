package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_MONLISTFULL;
import static dev.parley.protocol.Numerics.ERR_NEEDMOREPARAMS;
import static dev.parley.protocol.Numerics.ERR_UNKNOWNERROR;
import static dev.parley.protocol.Numerics.RPL_ENDOFMONLIST;
import static dev.parley.protocol.Numerics.RPL_MONLIST;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Names;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IRCv3 MONITOR: a client's list of nicks it is told about when they come online or go offline
 * (ISUPPORT {@code MONITOR=<limit>}). The list and the notifications live in the hub; the
 * extended-monitor capability adds AWAY, ACCOUNT, CHGHOST and SETNAME of watched nicks.
 */
final class MonitorCommand {
    private MonitorCommand() {
    }

    static void register(CommandTable t) {
        t.add("MONITOR", 1, false, MonitorCommand::monitor);
    }

    // MONITOR + <target>{,<target>} | - <target>{,<target>} | C | L | S
    private static void monitor(Client c, IrcMessage m) {
        String sub = m.param(0);
        switch (sub.toUpperCase(Locale.ROOT)) {
            case "+" -> add(c, m);
            case "-" -> remove(c, m);
            case "C" -> c.hub().apply(new Change.MonitorClear(c));
            case "L" -> list(c);
            case "S" -> c.hub().monitorStatus(c);
            default -> c.numeric(ERR_UNKNOWNERROR, "MONITOR", sub, "Unknown MONITOR subcommand");
        }
    }

    // MONITOR + <target>{,<target>}
    private static void add(Client c, IrcMessage m) {
        if (m.paramCount() < 2) {
            c.numeric(ERR_NEEDMOREPARAMS, "MONITOR", "Not enough parameters");
            return;
        }
        int nickLength = c.hub().config().nickLength();
        List<String> targets = new ArrayList<>();
        for (String t : m.param(1).split(",")) {
            if (Names.isValidNick(t, nickLength)) { // a target must be a nick; anything else is ignored
                targets.add(t);
            }
        }
        if (targets.isEmpty()) {
            return;
        }
        Change.MonitorAdded added = c.hub().apply(new Change.MonitorAdd(c, targets));
        if (!added.notAdded().isEmpty()) {
            c.numeric(ERR_MONLISTFULL, Integer.toString(added.limit()), String.join(",", added.notAdded()),
                    "Monitor list is full");
        }
    }

    // MONITOR - <target>{,<target>}
    private static void remove(Client c, IrcMessage m) {
        if (m.paramCount() < 2) {
            c.numeric(ERR_NEEDMOREPARAMS, "MONITOR", "Not enough parameters");
            return;
        }
        List<String> targets = new ArrayList<>();
        for (String t : m.param(1).split(",")) {
            if (!t.isEmpty()) {
                targets.add(t);
            }
        }
        c.hub().apply(new Change.MonitorRemove(c, targets));
    }

    // MONITOR L
    private static void list(Client c) {
        String head = ":" + c.hub().serverName() + " " + RPL_MONLIST + " " + c.nickOrStar() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        StringBuilder line = new StringBuilder();
        for (String nick : c.hub().monitorList(c)) {
            if (!line.isEmpty() && IrcParser.utf8Length(line.toString()) + 1 + IrcParser.utf8Length(nick) > budget) {
                c.numeric(RPL_MONLIST, line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(nick);
        }
        if (!line.isEmpty()) {
            c.numeric(RPL_MONLIST, line.toString());
        }
        c.numeric(RPL_ENDOFMONLIST, "End of MONITOR list");
    }
}
