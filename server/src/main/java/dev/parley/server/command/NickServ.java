package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Session;
import java.time.Instant;
import java.util.Locale;

/**
 * The built-in NickServ service: {@code /msg NickServ REGISTER <password> [email]},
 * {@code IDENTIFY [account] <password>}, {@code PASSWORD <current> <new>}, {@code DROP <password>},
 * {@code LOGOUT}, {@code INFO [account]}, {@code HELP}. Replies are NOTICEs from NickServ.
 * Passwords are checked off the reader (see {@link Session#offload}).
 */
final class NickServ {
    static final String NICK = "NickServ";

    private NickServ() {
    }

    static String source(Hub hub) {
        return NICK + "!" + NICK + "@services." + hub.serverName();
    }

    static void notice(Client c, String text) {
        c.send(IrcMessage.from(source(c.hub()), "NOTICE", c.nickOrStar(), text));
    }

    /** Handles one request (the text of a PRIVMSG to NickServ). Runs on the client's reader. */
    static void handle(Session s, String text) {
        Client c = s.client();
        String[] w = text.trim().split(" +");
        String cmd = w.length == 0 ? "" : w[0].toUpperCase(Locale.ROOT);
        AccountService accounts = c.hub().accounts();
        String address = c.address().getHostAddress();
        switch (cmd) {
            case "REGISTER" -> {
                if (w.length < 2) {
                    notice(c, "Syntax: REGISTER <password> [email]");
                } else if (c.account() != null) {
                    notice(c, "You are already logged in as " + c.account() + ".");
                } else {
                    String nick = c.nick();
                    String email = w.length > 2 ? w[2] : null;
                    s.offload(() -> accounts.register(nick, w[1], email), r -> {
                        switch (r.outcome()) {
                            case OK -> {
                                notice(c, "Account " + r.account() + " registered. You are now logged in.");
                                Logins.loggedIn(c, r.account());
                            }
                            case EXISTS -> notice(c, "Account " + nick + " is already registered.");
                            case WEAK_PASSWORD -> notice(c, "Passwords need at least "
                                    + AccountService.MIN_PASSWORD + " characters.");
                            default -> notice(c, "Cannot register " + nick + ".");
                        }
                    });
                }
            }
            case "IDENTIFY", "LOGIN" -> {
                if (w.length < 2) {
                    notice(c, "Syntax: IDENTIFY [account] <password>");
                    return;
                }
                if (c.account() != null) {
                    notice(c, "You are already logged in as " + c.account() + ".");
                    return;
                }
                String account = w.length > 2 ? w[1] : c.nick();
                String password = w.length > 2 ? w[2] : w[1];
                s.offload(() -> accounts.login(account, password, address), r -> {
                    switch (r.outcome()) {
                        case OK -> {
                            notice(c, "You are now identified for " + r.account() + ".");
                            Logins.loggedIn(c, r.account());
                        }
                        case THROTTLED -> notice(c, "Too many failed attempts. Try again in " + r.waitSeconds() + " seconds.");
                        default -> notice(c, "Invalid account or password.");
                    }
                });
            }
            case "PASSWORD", "SET" -> {
                int at = cmd.equals("SET") ? 2 : 1;
                if (cmd.equals("SET") && (w.length < 2 || !w[1].equalsIgnoreCase("PASSWORD"))) {
                    notice(c, "Syntax: PASSWORD <current> <new>");
                    return;
                }
                if (c.account() == null) {
                    notice(c, "You are not logged in.");
                    return;
                }
                if (w.length < at + 2) {
                    notice(c, "Syntax: PASSWORD <current> <new>");
                    return;
                }
                String account = c.account();
                s.offload(() -> accounts.changePassword(account, w[at], w[at + 1], address), r -> {
                    switch (r.outcome()) {
                        case OK -> notice(c, "Password changed.");
                        case WEAK_PASSWORD -> notice(c, "Passwords need at least " + AccountService.MIN_PASSWORD + " characters.");
                        case THROTTLED -> notice(c, "Too many failed attempts. Try again in " + r.waitSeconds() + " seconds.");
                        default -> notice(c, "Current password incorrect.");
                    }
                });
            }
            case "DROP" -> {
                if (c.account() == null) {
                    notice(c, "You are not logged in.");
                    return;
                }
                if (w.length < 2) {
                    notice(c, "Syntax: DROP <password>  (deletes your account)");
                    return;
                }
                String account = c.account();
                s.offload(() -> accounts.drop(account, w[1], address), r -> {
                    if (r.outcome() == AccountService.Outcome.OK) {
                        // whoever registers the name next must not read this account's conversations
                        c.hub().history().forgetAccount(c.hub().caseMapping().fold(account));
                        notice(c, "Account " + account + " dropped.");
                        Logins.loggedOut(c);
                    } else {
                        notice(c, "Password incorrect; account kept.");
                    }
                });
            }
            case "LOGOUT" -> {
                if (c.account() == null) {
                    notice(c, "You are not logged in.");
                } else {
                    notice(c, "You are now logged out.");
                    Logins.loggedOut(c);
                }
            }
            case "INFO" -> {
                String name = w.length > 1 ? w[1] : (c.account() != null ? c.account() : c.nick());
                s.offload(() -> accounts.find(name), found -> {
                    if (found.isEmpty()) {
                        notice(c, name + " is not registered.");
                        return;
                    }
                    notice(c, "Account " + found.get().displayName() + ", registered "
                            + Instant.ofEpochMilli(found.get().createdAtMillis()) + ".");
                    boolean online = c.hub().clients().stream()
                            .anyMatch(x -> found.get().displayName().equals(x.account()));
                    notice(c, online ? "Currently logged in." : "Not logged in right now.");
                });
            }
            case "HELP", "" -> {
                notice(c, "NickServ keeps your nickname and account. Commands:");
                notice(c, "REGISTER <password> [email] - register your current nick as an account");
                notice(c, "IDENTIFY [account] <password> - log in");
                notice(c, "PASSWORD <current> <new> - change your password");
                notice(c, "LOGOUT - log out");
                notice(c, "DROP <password> - delete your account");
                notice(c, "INFO [account] - show an account");
            }
            default -> notice(c, "Unknown command " + cmd + ". Try HELP.");
        }
    }
}
