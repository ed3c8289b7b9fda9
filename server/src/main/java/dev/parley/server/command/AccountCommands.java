package dev.parley.server.command;


import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every door to an account: SASL ({@code AUTHENTICATE}, see {@link Sasl}), the draft/account-registration
 * {@code REGISTER} command, {@code PASS account:password} before registration, and the
 * NickServ service (see {@link NickServ}). Logging in and out, account-notify, and the
 * protection of registered nicks live here too.
 */
final class AccountCommands {
    private static final Logger LOG = LoggerFactory.getLogger("parley.accounts");

    private AccountCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("AUTHENTICATE", 1, true, Sasl::authenticate);
        t.addWithSession("REGISTER", 3, true, AccountCommands::registerCommand);
        t.addWithSession("NICKSERV", 1, false, (s, m) -> NickServ.handle(s, String.join(" ", m.params())));
        t.addWithSession("NS", 1, false, (s, m) -> NickServ.handle(s, String.join(" ", m.params())));
    }

    // ---- draft/account-registration ----

    /**
     * The {@code draft/account-registration} capability's value: exactly the policy in force
     * ({@code before-connect}, {@code email-required}, {@code custom-account-name}), or null.
     */
    static String capValue(ServerConfig cfg) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        if (beforeConnect(cfg)) {
            keys.add("before-connect");
        }
        if (cfg.emailRequired()) {
            keys.add("email-required");
        }
        if (cfg.customAccountName()) {
            keys.add("custom-account-name");
        }
        return keys.isEmpty() ? null : String.join(",", keys);
    }

    /**
     * True when REGISTER is served before connection registration: the setting allows it and no
     * server password is set (the password is checked when registration completes, and an
     * account must not be made by whoever does not know it).
     */
    static boolean beforeConnect(ServerConfig cfg) {
        return cfg.registerBeforeConnect() && cfg.serverPasswordHash() == null;
    }

    // REGISTER <account> <email> <password>
    private static void registerCommand(Session s, IrcMessage m) {
        Client c = s.client();
        ServerConfig cfg = c.hub().config();
        if (!c.isRegistered() && !beforeConnect(cfg)) {
            fail(c, "COMPLETE_CONNECTION_REQUIRED", m.param(0),
                    "Complete the connection (the welcome) before registering an account");
            return;
        }
        String account = m.param(0).equals("*") ? c.nick() : m.param(0);
        if (account == null) {
            fail(c, "NEED_NICK", "*", "Choose a nickname before registering an account");
            return;
        }
        if (c.account() != null) {
            fail(c, "ALREADY_AUTHENTICATED", account, "You are already logged in as " + c.account());
            return;
        }
        if (!cfg.customAccountName() && (c.nick() == null || !c.hub().caseMapping().equals(account, c.nick()))) {
            fail(c, "ACCOUNT_NAME_MUST_BE_NICK", account, "The account name must be your current nick");
            return;
        }
        if (s.registration().hasRegisteredAccount()) {
            fail(c, "TEMPORARILY_UNAVAILABLE", account, "One account per connection: this one has registered one already");
            return;
        }
        AccountService accounts = c.hub().accounts();
        String email = m.param(1).equals("*") ? null : m.param(1);
        if (!accounts.acceptableEmail(email)) {
            fail(c, "INVALID_EMAIL", account, email == null ? "This server needs an e-mail address for a new account"
                    : "That e-mail address is not valid");
            return;
        }
        String password = m.param(2);
        if (password.length() < accounts.minPasswordLength()) {
            fail(c, "WEAK_PASSWORD", account, weakPassword(accounts));
            return;
        }
        if (accounts.exists(account)) {
            fail(c, "ACCOUNT_EXISTS", account, "That account already exists");
            return;
        }
        if (Logins.isSomeoneElsesNick(c, account)) {
            fail(c, "BAD_ACCOUNT_NAME", account, "That name is someone else's nickname right now");
            return;
        }
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
                case WEAK_PASSWORD -> fail(c, "WEAK_PASSWORD", account, weakPassword(accounts));
                case INVALID_EMAIL -> fail(c, "INVALID_EMAIL", account, "That e-mail address is not valid");
                case TOO_MANY_ACCOUNTS -> fail(c, "TEMPORARILY_UNAVAILABLE", account,
                        "Too many accounts registered from your address; try again in " + r.waitSeconds() + " seconds");
                case BUSY -> fail(c, "TEMPORARILY_UNAVAILABLE", account, "The server is busy; try again later");
                default -> fail(c, "TEMPORARILY_UNAVAILABLE", account, "Try again later");
            }
        });
    }

    /** What a password too short is told, with the length in force. */
    static String weakPassword(AccountService accounts) {
        return "Passwords need at least " + accounts.minPasswordLength() + " characters";
    }

    private static void fail(Client c, String code, String account, String text) {
        c.serverMessage("FAIL", "REGISTER", code, account, text);
    }

}
