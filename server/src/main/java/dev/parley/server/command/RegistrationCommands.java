package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_ALREADYREGISTERED;
import static dev.parley.protocol.Numerics.ERR_ERRONEUSNICKNAME;
import static dev.parley.protocol.Numerics.ERR_NICKNAMEINUSE;
import static dev.parley.protocol.Numerics.ERR_NONICKNAMEGIVEN;
import static dev.parley.protocol.Numerics.ERR_NOORIGIN;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Session;

/** Connection registration and keep-alive: PASS, NICK, USER, CAP, PING, PONG, QUIT. */
final class RegistrationCommands {

    private RegistrationCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("PASS", 1, true, RegistrationCommands::pass);
        t.addWithSession("NICK", 0, true, RegistrationCommands::nick);
        t.addWithSession("USER", 4, true, RegistrationCommands::user);
        t.add("PING", 1, true, RegistrationCommands::ping);
        t.add("PONG", 0, true, (c, m) -> { });
        t.add("QUIT", 0, true, RegistrationCommands::quit);
    }

    // PASS <password>
    private static void pass(Session s, IrcMessage m) {
        Client c = s.client();
        if (c.isRegistered()) {
            c.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
            return;
        }
        s.registration().setPassword(m.param(0));
    }

    // NICK <nickname>
    private static void nick(Session s, IrcMessage m) {
        Client c = s.client();
        String wanted = m.param(0);
        if (wanted == null || wanted.isEmpty()) {
            c.numeric(ERR_NONICKNAMEGIVEN, "No nickname given");
            return;
        }
        Hub hub = c.hub();
        if (!Names.isValidNick(wanted, hub.config().nickLength())) {
            c.numeric(ERR_ERRONEUSNICKNAME, wanted, "Erroneous nickname");
            return;
        }
        if (Logins.isServiceNick(wanted)) {
            Logins.refuseServiceNick(c, wanted);
            return;
        }
        if (Logins.isReservedForAnother(c, wanted)) {
            Logins.refuseReservedNick(c, wanted);
            return;
        }
        switch (hub.apply(new Change.Nick(c, wanted))) {
            case IN_USE -> c.numeric(ERR_NICKNAMEINUSE, wanted, "Nickname is already in use");
            case UNCHANGED -> Registrar.tryComplete(s);
            case CHANGED -> {
                if (c.isRegistered()) {
                    Logins.protectNick(c);
                } else {
                    Registrar.tryComplete(s);
                }
            }
        }
    }

    // USER <username> <mode> <unused> <realname>
    private static void user(Session s, IrcMessage m) {
        Client c = s.client();
        if (c.isRegistered() || c.user() != null) {
            c.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
            return;
        }
        // "~" marks a user name the client claimed (no ident lookup is done)
        String ident = Names.sanitizeUser(m.param(0), Math.max(1, c.hub().config().userLength() - 1));
        c.setUser("~" + ident, m.param(3));
        Registrar.tryComplete(s);
    }

    // PING <token>
    private static void ping(Client c, IrcMessage m) {
        String token = m.param(0);
        if (token.isEmpty()) {
            c.numeric(ERR_NOORIGIN, "No origin specified");
            return;
        }
        c.serverMessage("PONG", c.hub().serverName(), token);
    }

    // QUIT [<reason>]
    private static void quit(Client c, IrcMessage m) {
        String reason = m.param(0);
        c.quit(reason == null || reason.isEmpty() ? "Client Quit" : "Quit: " + reason);
    }

}
