package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_PASSWDMISMATCH;
import static dev.parley.protocol.Numerics.RPL_CREATED;
import static dev.parley.protocol.Numerics.RPL_MYINFO;
import static dev.parley.protocol.Numerics.RPL_WELCOME;
import static dev.parley.protocol.Numerics.RPL_YOURHOST;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.UserMode;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Session;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Completing registration, whichever command completes it (USER, NICK, CAP END): the PASS
 * login if any, then the welcome burst (001-005, LUSERS, MOTD) and the greeting of a returning
 * address.
 */
final class Registrar {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");

    private Registrar() {
    }

    /** Channel modes this server knows (RPL_MYINFO). */
    static final String CHANNEL_MODES = "Ibiklmnostv";

    /** Registers once NICK and USER are in and CAP negotiation (if any) has ended. */
    static void tryComplete(Session s) {
        Client c = s.client();
        if (c.isRegistered() || c.nick() == null || c.user() == null || s.registration().isCapNegotiating()
                || c.isClosing()) {
            return;
        }
        // the server password first, then PASS account:password logs in (both off the reader),
        // then registration completes
        checkServerPassword(s, () -> Logins.passLogin(s, () -> {
            if (c.isRegistered() || c.isClosing()) {
                return;
            }
            if (refusedByBan(c)) {
                return;
            }
            if (!c.hub().apply(new Change.Register(c))) {
                return; // closed meanwhile
            }
            c.hub().stats().registered();
            LOG.info("registered {} as {} (account {})", c.realHost(), c.prefix(), c.account() == null ? "none" : c.account());
            welcome(c);
            Logins.protectNick(c);
        }));
    }

    /**
     * With a server password set ({@code --server-password-hash}), the PASS given before
     * registration must match it, whatever else the client did (SASL, REGISTER, WEBIRC): a
     * missing or wrong one is answered 464 and the connection closed. The PASS is then spent:
     * it is not also an account login. Without one, {@code then} runs at once.
     */
    private static void checkServerPassword(Session s, Runnable then) {
        Client c = s.client();
        String hash = c.hub().config().serverPasswordHash();
        if (hash == null) {
            then.run();
            return;
        }
        String given = s.registration().takePassword();
        if (given == null) {
            refusePassword(c, "no PASS");
            return;
        }
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.checkServerPassword(hash, given, Logins.address(c)), r -> {
            switch (r.outcome()) {
                case OK -> then.run();
                case BUSY -> c.close("The server is busy, try again later", (String) null, false);
                default -> refusePassword(c, r.outcome() == AccountService.Outcome.THROTTLED ? "too many wrong PASS" : "wrong PASS");
            }
        });
    }

    private static void refusePassword(Client c, String why) {
        LOG.info("refused {}: {}", c.describe(), why);
        c.numeric(ERR_PASSWDMISMATCH, "Password incorrect");
        c.close("Bad password", (String) null, false);
    }

    /** A K-line (on the real address or the cloak) or D-line ends the connection before the welcome. */
    private static boolean refusedByBan(Client c) {
        Hub hub = c.hub();
        if (hub.bans() == null) {
            return false;
        }
        var hit = hub.bans().dline(c.address()).or(() -> hub.bans().kline(c.user(), c.realHost(), c.host()));
        if (hit.isEmpty()) {
            return false;
        }
        String kind = hit.get().kind() == 'D' ? "D-Lined" : "K-Lined";
        LOG.info("refused {} ({}@{}): {} {}", c.nickOrStar(), c.user(), c.realHost(), kind, hit.get().mask());
        c.close(kind + ": " + hit.get().reason(), (String) null, false);
        hub.stats().banHit();
        return true;
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
        Replies.lusers(c);
        Replies.motd(c);
        greetReturning(c);
    }

    /**
     * The identification server's greeting: when a client left from this address before, the
     * newcomer is welcomed back by name. (Addresses are remembered when a client leaves.)
     */
    static void greetReturning(Client c) {
        Hub hub = c.hub();
        String address = c.address().getHostAddress();
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
