package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_SASLABORTED;
import static dev.parley.protocol.Numerics.ERR_SASLALREADY;
import static dev.parley.protocol.Numerics.ERR_SASLFAIL;
import static dev.parley.protocol.Numerics.ERR_SASLTOOLONG;
import static dev.parley.protocol.Numerics.RPL_SASLMECHS;
import static dev.parley.protocol.Numerics.RPL_SASLSUCCESS;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Registration;
import dev.parley.server.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
        t.addWithSession("AUTHENTICATE", 1, true, AccountCommands::authenticate);
        t.addWithSession("REGISTER", 3, true, AccountCommands::registerCommand);
        t.addWithSession("NICKSERV", 1, false, (s, m) -> NickServ.handle(s, String.join(" ", m.params())));
        t.addWithSession("NS", 1, false, (s, m) -> NickServ.handle(s, String.join(" ", m.params())));
    }

    // ---- SASL ----

    // AUTHENTICATE <mechanism>  |  AUTHENTICATE <base64 chunk>  |  AUTHENTICATE +  |  AUTHENTICATE *
    private static void authenticate(Session s, IrcMessage m) {
        Client c = s.client();
        Registration reg = s.registration();
        String arg = m.param(0);
        StringBuilder sasl = reg.sasl();
        if (arg.equals("*")) {
            reg.resetSasl();
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
            reg.startSasl();
            c.send(IrcMessage.of("AUTHENTICATE", "+"));
            return;
        }
        if (!arg.equals("+")) {
            sasl.append(arg);
        }
        if (sasl.length() > MAX_SASL_BYTES) {
            reg.resetSasl();
            c.numeric(ERR_SASLTOOLONG, "SASL message too long");
            return;
        }
        if (arg.length() == 400) {
            return; // more chunks follow
        }
        String payload = sasl.toString();
        reg.resetSasl();
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
        s.offload(() -> accounts.login(account, password, Logins.address(c)), r -> {
            switch (r.outcome()) {
                case OK -> {
                    Logins.loggedIn(c, r.account());
                    c.numeric(RPL_SASLSUCCESS, "SASL authentication successful");
                }
                case THROTTLED -> c.numeric(ERR_SASLFAIL,
                        "SASL authentication failed: too many failed attempts, try again in " + r.waitSeconds() + " seconds");
                case BUSY -> c.numeric(ERR_SASLFAIL, "SASL authentication failed: the server is busy, try again later");
                default -> c.numeric(ERR_SASLFAIL, "SASL authentication failed");
            }
        });
    }

    // ---- draft/account-registration ----

    // REGISTER <account> <email> <password>
    private static void registerCommand(Session s, IrcMessage m) {
        Client c = s.client();
        String account = m.param(0).equals("*") ? c.nick() : m.param(0);
        if (account == null) {
            fail(c, "NEED_NICK", "*", "Choose a nickname before registering an account");
            return;
        }
        if (c.account() != null) {
            fail(c, "ALREADY_AUTHENTICATED", account, "You are already logged in as " + c.account());
            return;
        }
        if (s.registration().hasRegisteredAccount()) {
            fail(c, "TEMPORARILY_UNAVAILABLE", account, "One account per connection: this one has registered one already");
            return;
        }
        String email = m.param(1).equals("*") ? null : m.param(1);
        if (email != null && !email.matches("[^@\\s]+@[^@\\s]+")) {
            fail(c, "INVALID_EMAIL", account, "That email address is not valid");
            return;
        }
        AccountService accounts = c.hub().accounts();
        if (accounts.exists(account)) {
            fail(c, "ACCOUNT_EXISTS", account, "That account already exists");
            return;
        }
        if (Logins.isSomeoneElsesNick(c, account)) {
            fail(c, "BAD_ACCOUNT_NAME", account, "That name is someone else's nickname right now");
            return;
        }
        String password = m.param(2);
        s.offload(() -> accounts.register(account, password, email, Logins.address(c)), r -> {
            switch (r.outcome()) {
                case OK -> {
                    s.registration().markRegisteredAccount();
                    c.serverMessage("REGISTER", "SUCCESS", r.account(), "Account created");
                    LOG.info("{} registered account {}", c.describe(), r.account());
                    Logins.loggedIn(c, r.account());
                }
                case EXISTS -> fail(c, "ACCOUNT_EXISTS", account, "That account already exists");
                case BAD_NAME -> fail(c, "BAD_ACCOUNT_NAME", account, "Account names follow the rules for nicknames");
                case WEAK_PASSWORD -> fail(c, "WEAK_PASSWORD", account,
                        "Passwords need at least " + AccountService.MIN_PASSWORD + " characters");
                case TOO_MANY_ACCOUNTS -> fail(c, "TEMPORARILY_UNAVAILABLE", account,
                        "Too many accounts registered from your address; try again in " + r.waitSeconds() + " seconds");
                case BUSY -> fail(c, "TEMPORARILY_UNAVAILABLE", account, "The server is busy; try again later");
                default -> fail(c, "TEMPORARILY_UNAVAILABLE", account, "Try again later");
            }
        });
    }

    private static void fail(Client c, String code, String account, String text) {
        c.serverMessage("FAIL", "REGISTER", code, account, text);
    }

}
