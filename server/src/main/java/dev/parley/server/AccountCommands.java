package dev.parley.server;

import static dev.parley.protocol.Numerics.ERR_NICKNAMEINUSE;
import static dev.parley.protocol.Numerics.ERR_SASLABORTED;
import static dev.parley.protocol.Numerics.ERR_SASLALREADY;
import static dev.parley.protocol.Numerics.ERR_SASLFAIL;
import static dev.parley.protocol.Numerics.ERR_SASLTOOLONG;
import static dev.parley.protocol.Numerics.RPL_LOGGEDIN;
import static dev.parley.protocol.Numerics.RPL_LOGGEDOUT;
import static dev.parley.protocol.Numerics.RPL_SASLMECHS;
import static dev.parley.protocol.Numerics.RPL_SASLSUCCESS;

import dev.parley.protocol.IrcMessage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every door to an account: SASL PLAIN ({@code AUTHENTICATE}), the draft/account-registration
 * {@code REGISTER} command, {@code PASS account:password} before registration, and the
 * NickServ service (see {@link NickServ}). Logging in and out, account-notify, and the
 * protection of registered nicks live here too.
 */
final class AccountCommands {
    private static final Logger LOG = LoggerFactory.getLogger("parley.accounts");
    /** SASL payloads arrive in 400-byte base64 chunks; more than this in all is refused. */
    static final int MAX_SASL_BYTES = 4096;

    private AccountCommands() {
    }

    static void register(CommandTable t) {
        t.add("AUTHENTICATE", 1, true, AccountCommands::authenticate);
        t.add("REGISTER", 3, true, AccountCommands::registerCommand);
        t.add("NICKSERV", 1, false, (c, m) -> NickServ.handle(c, String.join(" ", m.params())));
        t.add("NS", 1, false, (c, m) -> NickServ.handle(c, String.join(" ", m.params())));
    }

    // ---- logging in and out ----

    /** Marks {@code c} as logged in to {@code account} and tells it (900) and its peers (account-notify). */
    static void loggedIn(Client c, String account) {
        c.setAccount(account);
        c.numeric(RPL_LOGGEDIN, c.prefix() == null ? "*" : c.prefix(), account, "You are now logged in as " + account);
        if (c.isRegistered()) {
            c.hub().notifyPeers(c, Cap.ACCOUNT_NOTIFY, IrcMessage.from(c.prefix(), "ACCOUNT", account), false);
        }
        LOG.info("{} logged in as {}", c.describe(), account);
    }

    static void loggedOut(Client c) {
        if (c.account() == null) {
            return;
        }
        c.setAccount(null);
        c.numeric(RPL_LOGGEDOUT, c.prefix(), "You are now logged out");
        c.hub().notifyPeers(c, Cap.ACCOUNT_NOTIFY, IrcMessage.from(c.prefix(), "ACCOUNT", "*"), false);
        protectNick(c);
    }

    static String address(Client c) {
        return c.transport().remoteAddress().getHostAddress();
    }

    // ---- SASL ----

    // AUTHENTICATE <mechanism>  |  AUTHENTICATE <base64 chunk>  |  AUTHENTICATE +  |  AUTHENTICATE *
    private static void authenticate(Client c, IrcMessage m) {
        String arg = m.param(0);
        Client.Sasl sasl = c.sasl();
        if (arg.equals("*")) {
            c.resetSasl();
            c.numeric(ERR_SASLABORTED, "SASL authentication aborted");
            return;
        }
        if (c.account() != null) {
            c.numeric(ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        if (sasl == null) {
            if (!arg.equalsIgnoreCase("PLAIN")) {
                c.numeric(RPL_SASLMECHS, "PLAIN", "are available SASL mechanisms");
                c.numeric(ERR_SASLFAIL, "SASL authentication failed");
                return;
            }
            c.startSasl();
            c.send(IrcMessage.of("AUTHENTICATE", "+"));
            return;
        }
        if (!arg.equals("+")) {
            sasl.data().append(arg);
        }
        if (sasl.data().length() > MAX_SASL_BYTES) {
            c.resetSasl();
            c.numeric(ERR_SASLTOOLONG, "SASL message too long");
            return;
        }
        if (arg.length() == 400) {
            return; // more chunks follow
        }
        String payload = sasl.data().toString();
        c.resetSasl();
        String[] parts;
        try {
            parts = new String(Base64.getDecoder().decode(payload), StandardCharsets.UTF_8).split("\0", -1);
        } catch (IllegalArgumentException e) {
            c.numeric(ERR_SASLFAIL, "SASL authentication failed: not base64");
            return;
        }
        if (parts.length != 3 || (!parts[0].isEmpty() && !parts[0].equals(parts[1]))) {
            c.numeric(ERR_SASLFAIL, "SASL authentication failed: expected authzid\\0authcid\\0password");
            return;
        }
        String account = parts[1];
        String password = parts[2];
        AccountService accounts = c.hub().accounts();
        c.offload(() -> accounts.login(account, password, address(c)), r -> {
            switch (r.outcome()) {
                case OK -> {
                    loggedIn(c, r.account());
                    c.numeric(RPL_SASLSUCCESS, "SASL authentication successful");
                }
                case THROTTLED -> c.numeric(ERR_SASLFAIL,
                        "SASL authentication failed: too many failed attempts, try again in " + r.waitSeconds() + " seconds");
                default -> c.numeric(ERR_SASLFAIL, "SASL authentication failed");
            }
        });
    }

    // ---- draft/account-registration ----

    // REGISTER <account> <email> <password>
    private static void registerCommand(Client c, IrcMessage m) {
        String account = m.param(0).equals("*") ? c.nick() : m.param(0);
        if (account == null) {
            fail(c, "NEED_NICK", "*", "Choose a nickname before registering an account");
            return;
        }
        if (c.account() != null) {
            fail(c, "ALREADY_AUTHENTICATED", account, "You are already logged in as " + c.account());
            return;
        }
        String email = m.param(1).equals("*") ? null : m.param(1);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            fail(c, "INVALID_EMAIL", account, "That email address is not valid");
            return;
        }
        String password = m.param(2);
        AccountService accounts = c.hub().accounts();
        c.offload(() -> accounts.register(account, password, email), r -> {
            switch (r.outcome()) {
                case OK -> {
                    c.serverMessage("REGISTER", "SUCCESS", r.account(), "Account created");
                    LOG.info("{} registered account {}", c.describe(), r.account());
                    loggedIn(c, r.account());
                }
                case EXISTS -> fail(c, "ACCOUNT_EXISTS", account, "That account already exists");
                case BAD_NAME -> fail(c, "BAD_ACCOUNT_NAME", account, "Account names follow the rules for nicknames");
                case WEAK_PASSWORD -> fail(c, "WEAK_PASSWORD", account,
                        "Passwords need at least " + AccountService.MIN_PASSWORD + " characters");
                default -> fail(c, "TEMPORARILY_UNAVAILABLE", account, "Try again later");
            }
        });
    }

    private static void fail(Client c, String code, String account, String text) {
        c.serverMessage("FAIL", "REGISTER", code, account, text);
    }

    // ---- PASS account:password ----

    /** At registration: a PASS of the form {@code account:password} logs in, as SASL would. */
    static void passLogin(Client c, Runnable then) {
        String pass = c.password();
        c.setPassword(null);
        int colon = pass == null ? -1 : pass.indexOf(':');
        if (colon <= 0 || c.account() != null) {
            then.run();
            return;
        }
        String account = pass.substring(0, colon);
        String password = pass.substring(colon + 1);
        AccountService accounts = c.hub().accounts();
        c.offload(() -> accounts.login(account, password, address(c)), r -> {
            if (r.outcome() == AccountService.Outcome.OK) {
                loggedIn(c, r.account());
            } else {
                c.serverMessage("NOTICE", c.nickOrStar(), r.outcome() == AccountService.Outcome.THROTTLED
                        ? "PASS login refused: too many failed attempts, try again in " + r.waitSeconds() + " seconds"
                        : "PASS login failed: wrong account or password");
            }
            then.run();
        });
    }

    // ---- nick protection ----

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
            for (int i = 0; i < 20; i++) {
                String guest = "Guest" + java.util.concurrent.ThreadLocalRandom.current().nextInt(10_000, 100_000);
                if (hub.changeNick(c, guest) == Hub.NickResult.CHANGED) {
                    NickServ.notice(c, "You did not identify for " + nick + "; you are now " + guest + ".");
                    LOG.info("{} renamed from protected nick {}", c.describe(), nick);
                    return;
                }
            }
        }, hub.config().nickProtectionGrace());
    }

    private static boolean ownsNick(Client c, String nick) {
        return c.account() != null && c.hub().caseMapping().equals(c.account(), nick);
    }

    /** NICK to a name reserved for services is refused. */
    static boolean isServiceNick(String nick) {
        String n = nick.toLowerCase(Locale.ROOT);
        return n.equals("nickserv") || n.equals("ns");
    }

    static void refuseServiceNick(Client c, String nick) {
        c.numeric(ERR_NICKNAMEINUSE, nick, "Nickname is reserved for services");
    }
}
