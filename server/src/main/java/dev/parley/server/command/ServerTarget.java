package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_NOSUCHSERVER;

import dev.parley.protocol.Masks;
import dev.parley.server.core.Client;

/**
 * The optional {@code <target>} of MOTD, VERSION, ADMIN, TIME, INFO and WHOIS. This server is the
 * only one, so a target is fine when it names it (its name, or a mask that matches it) or a user
 * connected to it; anything else is answered with ERR_NOSUCHSERVER and the command does nothing.
 */
final class ServerTarget {
    private ServerTarget() {
    }

    /** True when {@code target} is absent or means this server; otherwise answers 402 and returns false. */
    static boolean isHere(Client c, String target) {
        if (target == null || target.isEmpty()) {
            return true;
        }
        var hub = c.hub();
        if (Masks.matches(target, hub.serverName(), hub.caseMapping())) {
            return true;
        }
        Client user = hub.findNick(target);
        if (user != null && user.isRegistered()) {
            return true;
        }
        c.numeric(ERR_NOSUCHSERVER, target, "No such server");
        return false;
    }
}
