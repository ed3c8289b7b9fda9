package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_ALREADYREGISTERED;
import static dev.parley.protocol.Numerics.ERR_ERRONEUSNICKNAME;
import static dev.parley.protocol.Numerics.ERR_NICKNAMEINUSE;
import static dev.parley.protocol.Numerics.ERR_NONICKNAMEGIVEN;
import static dev.parley.protocol.Numerics.ERR_NOORIGIN;
import static dev.parley.protocol.Numerics.RPL_CREATED;
import static dev.parley.protocol.Numerics.RPL_MYINFO;
import static dev.parley.protocol.Numerics.RPL_WELCOME;
import static dev.parley.protocol.Numerics.RPL_YOURHOST;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Connection registration and keep-alive: PASS, NICK, USER, CAP, PING, PONG, QUIT. */
final class RegistrationCommands {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");
    /** Channel modes this server knows (RPL_MYINFO). */
    static final String CHANNEL_MODES = "Ibiklmnostv";

    private RegistrationCommands() {
    }

    static void register(CommandTable t) {
        t.add("PASS", 1, true, RegistrationCommands::pass);
        t.add("NICK", 0, true, RegistrationCommands::nick);
        t.add("USER", 4, true, RegistrationCommands::user);
        t.add("PING", 0, true, RegistrationCommands::ping);
        t.add("PONG", 0, true, (c, m) -> { });
        t.add("QUIT", 0, true, RegistrationCommands::quit);
    }

    // PASS <password>
    private static void pass(Client c, IrcMessage m) {
        if (c.isRegistered()) {
            c.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
            return;
        }
        c.setPassword(m.param(0));
    }

    // NICK <nickname>
    private static void nick(Client c, IrcMessage m) {
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
        if (AccountCommands.isServiceNick(wanted)) {
            AccountCommands.refuseServiceNick(c, wanted);
            return;
        }
        switch (hub.changeNick(c, wanted)) {
            case IN_USE -> c.numeric(ERR_NICKNAMEINUSE, wanted, "Nickname is already in use");
            case UNCHANGED -> tryComplete(c);
            case CHANGED -> {
                if (c.isRegistered()) {
                    AccountCommands.protectNick(c);
                } else {
                    tryComplete(c);
                }
            }
        }
    }

    // USER <username> <mode> <unused> <realname>
    private static void user(Client c, IrcMessage m) {
        if (c.isRegistered() || c.user() != null) {
            c.numeric(ERR_ALREADYREGISTERED, "You may not reregister");
            return;
        }
        // "~" marks a user name the client claimed (no ident lookup is done)
        String ident = Names.sanitizeUser(m.param(0), Math.max(1, c.hub().config().userLength() - 1));
        c.setUser("~" + ident, m.param(3));
        tryComplete(c);
    }

    // PING <token>
    private static void ping(Client c, IrcMessage m) {
        String token = m.param(0);
        if (token == null || token.isEmpty()) {
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

    /** Registers once NICK and USER are in and CAP negotiation (if any) has ended. */
    static void tryComplete(Client c) {
        if (c.isRegistered() || c.nick() == null || c.user() == null || c.isCapNegotiating() || c.isClosing()) {
            return;
        }
        // PASS account:password logs in first (off the reader), then registration completes
        AccountCommands.passLogin(c, () -> {
            if (c.isRegistered() || c.isClosing()) {
                return;
            }
            c.markRegistered();
            LOG.info("registered {} as {} (account {})", c.host(), c.prefix(), c.account() == null ? "none" : c.account());
            welcome(c);
            AccountCommands.protectNick(c);
        });
    }

    private static void welcome(Client c) {
        Hub hub = c.hub();
        ServerConfig cfg = hub.config();
        String version = "parley-" + cfg.version();
        c.numeric(RPL_WELCOME, "Welcome to the " + cfg.networkName() + " IRC Network " + c.prefix());
        c.numeric(RPL_YOURHOST, "Your host is " + cfg.serverName() + ", running version " + version);
        String created = DateTimeFormatter.ofPattern("EEE MMM d yyyy 'at' HH:mm:ss 'UTC'", Locale.ROOT)
                .format(Instant.ofEpochMilli(hub.startedAtMillis()).atZone(ZoneOffset.UTC));
        c.numeric(RPL_CREATED, "This server was created " + created);
        c.numeric(RPL_MYINFO, cfg.serverName(), version, UserMode.LETTERS, CHANNEL_MODES, "Ibklov");
        for (IrcMessage line : Features.isupport(cfg, hub.caseMapping()).messages(cfg.serverName(), c.nick())) {
            c.send(line);
        }
        QueryCommands.lusers(c);
        QueryCommands.motd(c);
        greetReturning(c);
    }

    /**
     * The identification server's greeting: when a client left from this address before, the
     * newcomer is welcomed back by name. (Addresses are remembered when a client leaves.)
     */
    private static void greetReturning(Client c) {
        Hub hub = c.hub();
        String address = c.transport().remoteAddress().getHostAddress();
        hub.hostMemory().lookup(address).ifPresent(seen -> {
            String when = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT)
                    .format(Instant.ofEpochMilli(seen.atMillis()).atZone(ZoneOffset.UTC));
            String text = seen.nick().equalsIgnoreCase(c.nick())
                    ? "Welcome back, " + c.nick() + "! Last seen from " + address + " on " + when + "."
                    : "Welcome back, " + c.nick() + "! Last seen from " + address + " as " + seen.nick() + " on " + when + ".";
            c.serverMessage("NOTICE", c.nick(), text);
        });
    }
}
