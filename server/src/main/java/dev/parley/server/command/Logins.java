package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_NICKNAMEINUSE;
import static dev.parley.protocol.Numerics.RPL_LOGGEDIN;
import static dev.parley.protocol.Numerics.RPL_LOGGEDOUT;

import dev.parley.server.config.AddressGroup;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Session;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every door to an account (SASL, REGISTER, PASS, NickServ) shares: logging in and out
 * (900/901 and account-notify), PASS {@code account:password} at registration, and the
 * protection of registered nicks.
 */
final class Logins {
    private static final Logger LOG = LoggerFactory.getLogger("parley.accounts");

    private Logins() {
    }

    /** Marks {@code c} as logged in to {@code account} and tells it (900) and its peers (account-notify). */
    static void loggedIn(Client c, String account) {
        c.hub().apply(new Change.Account(c, account));
        c.numeric(RPL_LOGGEDIN, c.prefix() == null ? "*" : c.prefix(), account, "You are now logged in as " + account);
        LOG.info("{} logged in as {}", c.describe(), account);
        ChanServ.loggedIn(c);
    }

    static void loggedOut(Client c) {
        if (c.account() == null) {
            return;
        }
        c.hub().apply(new Change.Account(c, null));
        c.numeric(RPL_LOGGEDOUT, c.prefix(), "You are now logged out");
        protectNick(c);
    }

    static String address(Client c) {
        return AddressGroup.key(c.address()); // an IPv6 user's whole /64 is one address here
    }

    /** At registration: a PASS of the form {@code account:password} logs in, as SASL would. */
    static void passLogin(Session s, Runnable then) {
        Client c = s.client();
        String pass = s.registration().takePassword();
        int colon = pass == null ? -1 : pass.indexOf(':');
        if (colon <= 0 || c.account() != null) {
            then.run();
            return;
        }
        String account = pass.substring(0, colon);
        String password = pass.substring(colon + 1);
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.login(account, password, address(c)), r -> {
            switch (r.outcome()) {
                case OK -> loggedIn(c, r.account());
                case THROTTLED -> c.serverMessage("NOTICE", c.nickOrStar(),
                        "PASS login refused: too many failed attempts, try again in " + r.waitSeconds() + " seconds");
                case BUSY -> c.serverMessage("NOTICE", c.nickOrStar(),
                        "PASS login failed: the server is busy, try again later");
                default -> c.serverMessage("NOTICE", c.nickOrStar(), "PASS login failed: wrong account or password");
            }
            then.run();
        });
    }

    /**
     * When {@code c} holds a registered nick without being logged in to it, warns it and,
     * after the grace period, renames it to a guest nick.
     */
    static void protectNick(Client c) {
        Hub hub = c.hub();
        String nick = c.nick();
        if (nick == null || !hub.accounts().exists(nick) || ownsNick(c, nick)) {
            return;
        }
        long grace = hub.config().nickProtectionGrace().toSeconds();
        NickServ.notice(c, "This nickname is registered. Identify with /msg NickServ IDENTIFY <password> within "
                + grace + " seconds, or you will be renamed.");
        hub.schedule(() -> {
            if (c.isClosing() || !nick.equals(c.nick()) || ownsNick(c, nick)) {
                return;
            }
            String guest = renameToGuest(c, nick, true);
            if (guest != null) {
                NickServ.notice(c, "You did not identify for " + nick + "; you are now " + guest + ".");
                LOG.info("{} renamed from protected nick {}", c.describe(), nick);
            }
        }, hub.config().nickProtectionGrace());
    }

    /**
     * Renames {@code c} away from {@code from} to a free {@code GuestNNNNN}; returns it, or null
     * when none was free or {@code c} no longer holds {@code from} (or, with {@code unlessOwner},
     * has logged in to it meanwhile). Any thread.
     */
    static String renameToGuest(Client c, String from, boolean unlessOwner) {
        for (int i = 0; i < 20; i++) {
            String guest = "Guest" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, 100_000);
            switch (c.hub().apply(new Change.Nick(c, guest, from, unlessOwner))) {
                case CHANGED -> {
                    return guest;
                }
                case UNCHANGED -> {
                    return null;
                }
                case IN_USE -> {
                    // try another number
                }
            }
        }
        return null;
    }

    /** True when {@code c} is logged in to the account named {@code nick}. */
    static boolean ownsNick(Client c, String nick) {
        return c.account() != null && c.hub().caseMapping().equals(c.account(), nick);
    }

    /**
     * True when a registered client may not take {@code nick}: it is a registered account's
     * name, {@code c} is not logged in to that account, and {@code c} does not hold it already
     * (a change of case, or the grace after connecting). The grace to identify is given only to
     * a nick chosen while connecting; a NICK afterwards to someone else's registered nick is refused.
     */
    static boolean isReservedForAnother(Client c, String nick) {
        Hub hub = c.hub();
        return c.isRegistered() && hub.accounts().exists(nick) && !ownsNick(c, nick)
                && (c.nick() == null || !hub.caseMapping().equals(c.nick(), nick));
    }

    static void refuseReservedNick(Client c, String nick) {
        c.numeric(ERR_NICKNAMEINUSE, nick, "Nickname is reserved by a different account");
    }

    /** True when someone other than {@code c} uses {@code name} as a nick right now. */
    static boolean isSomeoneElsesNick(Client c, String name) {
        Client holder = c.hub().findNick(name);
        return holder != null && holder != c;
    }

    /** NICK to a name reserved for services is refused. */
    static boolean isServiceNick(String nick) {
        String n = nick.toLowerCase(Locale.ROOT);
        return n.equals("nickserv") || n.equals("ns") || n.equals("chanserv") || n.equals("cs");
    }

    static void refuseServiceNick(Client c, String nick) {
        c.numeric(ERR_NICKNAMEINUSE, nick, "Nickname is reserved for services");
    }
}
