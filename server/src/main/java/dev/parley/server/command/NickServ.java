package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.AccountService;
import dev.parley.server.session.Session;
import java.time.Instant;
import java.util.Locale;

/**
 * The built-in NickServ service: {@code /msg NickServ REGISTER <password> [email]},
 * {@code IDENTIFY [account] <password>}, {@code PASSWORD <current> <new>}, {@code DROP <password>},
 * {@code LOGOUT}, {@code INFO [account]}, {@code CERT ADD|DEL|LIST},
 * {@code TOKENS NEW|LIST|REVOKE <id>|ALL} (session tokens, see {@link AccountService#issueToken}), {@code HELP}. Replies are NOTICEs from NickServ.
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

    static final String BUSY = "The server is busy. Try again later.";

    /**
     * GHOST: disconnects whoever else holds {@code nick}; REGAIN: renames them to a guest nick
     * and gives {@code nick} to {@code c}. The caller has proved it owns {@code nick}. Reader only.
     */
    private static void reclaim(Client c, String cmd, String nick) {
        Hub hub = c.hub();
        Client holder = hub.findNick(nick);
        if (holder == c) {
            notice(c, "You are " + nick + " already.");
            return;
        }
        if (cmd.equals("GHOST")) {
            if (holder == null) {
                notice(c, nick + " is not in use.");
                return;
            }
            holder.quit("Killed (" + NICK + " (GHOST command used by " + c.nickOrStar() + "))");
            notice(c, nick + " has been ghosted.");
            return;
        }
        if (holder != null && Logins.renameToGuest(holder, nick, false) == null && holder.nick() != null
                && hub.caseMapping().equals(holder.nick(), nick)) {
            notice(c, "Could not take " + nick + " back; try GHOST.");
            return;
        }
        if (holder != null) {
            notice(holder, "Your nickname was regained by its owner.");
        }
        if (hub.apply(new dev.parley.server.core.Change.Nick(c, nick)) == dev.parley.server.core.Change.NickResult.IN_USE) {
            notice(c, nick + " was taken again; try again.");
        } else {
            notice(c, "You have regained " + nick + ".");
        }
    }

    /** Handles one request (the text of a PRIVMSG to NickServ). Runs on the client's reader. */
    static void handle(Session s, String text) {
        Client c = s.client();
        String[] w = text.trim().split(" +");
        String cmd = w.length == 0 ? "" : w[0].toUpperCase(Locale.ROOT);
        AccountService accounts = c.hub().accounts();
        String address = Logins.address(c);
        switch (cmd) {
            case "REGISTER" -> {
                if (w.length < 2) {
                    notice(c, c.hub().config().emailRequired() ? "Syntax: REGISTER <password> <email>"
                            : "Syntax: REGISTER <password> [email]");
                } else if (c.account() != null) {
                    notice(c, "You are already logged in as " + c.account() + ".");
                } else if (s.registration().hasRegisteredAccount()) {
                    notice(c, "One account per connection: you have registered one already.");
                } else if (accounts.exists(c.nick())) {
                    notice(c, "Account " + c.nick() + " is already registered.");
                } else if (Logins.isSomeoneElsesNick(c, c.nick())) {
                    notice(c, "Cannot register " + c.nick() + ": someone else is using that nickname.");
                } else if (w[1].length() < accounts.minPasswordLength()) {
                    notice(c, AccountCommands.weakPassword(accounts) + ".");
                } else if (!accounts.acceptableEmail(w.length > 2 ? w[2] : null)) {
                    notice(c, w.length > 2 ? "That e-mail address is not valid."
                            : "This server needs an e-mail address for a new account. Syntax: REGISTER <password> <email>");
                } else {
                    String nick = c.nick();
                    String email = w.length > 2 ? w[2] : null;
                    s.offload(() -> accounts.register(nick, w[1], email, address), r -> {
                        switch (r.outcome()) {
                            case OK -> {
                                s.registration().markRegisteredAccount();
                                notice(c, "Account " + r.account() + " registered. You are now logged in.");
                                Logins.loggedIn(c, r.account());
                            }
                            case EXISTS -> notice(c, "Account " + nick + " is already registered.");
                            case WEAK_PASSWORD -> notice(c, AccountCommands.weakPassword(accounts) + ".");
                            case INVALID_EMAIL -> notice(c, "That e-mail address is not valid.");
                            case TOO_MANY_ACCOUNTS -> notice(c, "Too many accounts registered from your address. Try again in "
                                    + r.waitSeconds() + " seconds.");
                            case BUSY -> notice(c, BUSY);
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
                        case BUSY -> notice(c, BUSY);
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
                        case OK -> notice(c, "Password changed. Every session token of " + account + " is revoked.");
                        case WEAK_PASSWORD -> notice(c, AccountCommands.weakPassword(accounts) + ".");
                        case THROTTLED -> notice(c, "Too many failed attempts. Try again in " + r.waitSeconds() + " seconds.");
                        case BUSY -> notice(c, BUSY);
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
                    switch (r.outcome()) {
                        case OK -> {
                            // whoever registers the name next must not read this account's conversations
                            if (c.hub().history() != null) {
                                c.hub().history().forgetAccount(c.hub().caseMapping().fold(account));
                            }
                            c.hub().readMarkers().forgetAccount(c.hub().caseMapping().fold(account));
                            // nor inherit the channels it founded or the access it was given
                            for (String gone : c.hub().apply(new Change.ForgetChannelAccount(account))) {
                                notice(c, "Channel " + gone + " was registered to " + account + " and has been dropped.");
                            }
                            notice(c, "Account " + account + " dropped.");
                            Logins.loggedOut(c);
                        }
                        case THROTTLED -> notice(c, "Too many failed attempts. Try again in " + r.waitSeconds() + " seconds.");
                        case BUSY -> notice(c, BUSY);
                        default -> notice(c, "Password incorrect; account kept.");
                    }
                });
            }
            case "GHOST", "REGAIN" -> {
                if (w.length < 2) {
                    notice(c, "Syntax: " + cmd + " <nick> [password]");
                    return;
                }
                String nick = w[1];
                if (!accounts.exists(nick)) {
                    notice(c, nick + " is not a registered nickname.");
                } else if (Logins.ownsNick(c, nick)) {
                    reclaim(c, cmd, nick);
                } else if (w.length < 3) {
                    notice(c, "You are not logged in to " + nick + ". Syntax: " + cmd + " <nick> <password>");
                } else {
                    s.offload(() -> accounts.login(nick, w[2], address), r -> {
                        switch (r.outcome()) {
                            case OK -> {
                                if (c.account() == null) {
                                    Logins.loggedIn(c, r.account());
                                }
                                reclaim(c, cmd, nick);
                            }
                            case THROTTLED -> notice(c, "Too many failed attempts. Try again in " + r.waitSeconds() + " seconds.");
                            case BUSY -> notice(c, BUSY);
                            default -> notice(c, "Invalid account or password.");
                        }
                    });
                }
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
            case "CERT" -> cert(s, w);
            case "TOKENS", "TOKEN" -> tokens(s, w);
            case "HELP", "" -> {
                notice(c, "NickServ keeps your nickname and account. Commands:");
                notice(c, "REGISTER <password> [email] - register your current nick as an account");
                notice(c, "IDENTIFY [account] <password> - log in");
                notice(c, "PASSWORD <current> <new> - change your password");
                notice(c, "LOGOUT - log out");
                notice(c, "DROP <password> - delete your account");
                notice(c, "INFO [account] - show an account");
                notice(c, "GHOST <nick> [password] - disconnect whoever uses your nick");
                notice(c, "REGAIN <nick> [password] - rename whoever uses your nick, and take it");
                notice(c, "CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST - client certificates"
                        + " that log you in with SASL EXTERNAL");
                notice(c, "TOKENS NEW | TOKENS LIST | TOKENS REVOKE <id>|ALL - session tokens that log you in"
                        + " with SASL IRCV3BEARER, without your password");
            }
            default -> notice(c, "Unknown command " + cmd + ". Try HELP.");
        }
    }

    // TOKENS NEW | TOKENS LIST | TOKENS REVOKE <id>|ALL
    private static void tokens(Session s, String[] w) {
        Client c = s.client();
        String sub = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
        if (c.account() == null) {
            notice(c, "You are not logged in.");
            return;
        }
        AccountService accounts = c.hub().accounts();
        String account = c.account();
        switch (sub) {
            case "NEW" -> {
                if (c.hub().config().tokenLifetime().isZero()) {
                    notice(c, "Session tokens are turned off on this server.");
                    return;
                }
                s.offload(() -> accounts.issueToken(account), token -> {
                    notice(c, "Session token for " + account + " (log in with SASL IRCV3BEARER, type "
                            + AccountService.TOKEN_TYPE + "; keep it secret): " + token);
                    notice(c, "It expires in " + c.hub().config().tokenLifetime().toDays()
                            + " days. TOKENS REVOKE " + token.substring(0, token.indexOf('.')) + " ends it.");
                });
            }
            case "LIST" -> s.offload(() -> accounts.tokens(account), list -> {
                if (list.isEmpty()) {
                    notice(c, "No session tokens on " + account + ".");
                    return;
                }
                notice(c, "Session tokens on " + account + ":");
                for (var t : list) {
                    notice(c, t.id() + " issued " + Instant.ofEpochMilli(t.createdAtMillis())
                            + ", expires " + Instant.ofEpochMilli(t.expiresAtMillis()));
                }
                notice(c, "End of list (" + list.size() + ").");
            });
            case "REVOKE" -> {
                if (w.length < 3) {
                    notice(c, "Syntax: TOKENS REVOKE <id>|ALL");
                } else if (w[2].equalsIgnoreCase("ALL")) {
                    s.offload(() -> accounts.revokeTokens(account), n -> notice(c, "Revoked " + n + " session tokens."));
                } else {
                    String id = w[2].contains(".") ? w[2].substring(0, w[2].indexOf('.')) : w[2];
                    s.offload(() -> accounts.revokeToken(account, id), done -> notice(c,
                            done ? "Session token " + id + " revoked." : "No session token " + id + " on your account."));
                }
            }
            default -> notice(c, "Syntax: TOKENS NEW | TOKENS LIST | TOKENS REVOKE <id>|ALL");
        }
    }

    // CERT ADD [<fingerprint>] | CERT DEL <fingerprint> | CERT LIST
    private static void cert(Session s, String[] w) {
        Client c = s.client();
        String sub = w.length > 1 ? w[1].toUpperCase(Locale.ROOT) : "";
        String syntax = "Syntax: CERT ADD [fingerprint] | CERT DEL <fingerprint> | CERT LIST";
        if (c.account() == null) {
            notice(c, "You are not logged in.");
            return;
        }
        AccountService accounts = c.hub().accounts();
        String account = c.account();
        switch (sub) {
            case "ADD" -> {
                String fp;
                if (w.length > 2) {
                    fp = AccountService.normalizeFingerprint(w[2]);
                    if (fp == null) {
                        notice(c, "Not a certificate fingerprint: expected 64 hex digits (SHA-256), colons allowed.");
                        return;
                    }
                } else {
                    fp = c.certFingerprint();
                    if (fp == null) {
                        notice(c, "Your connection has no client certificate. Syntax: CERT ADD <fingerprint>");
                        return;
                    }
                }
                if (c.hub().config().certsPerAccount() == 0) {
                    notice(c, "Binding client certificates is turned off on this server.");
                    return;
                }
                s.offload(() -> accounts.addCert(account, fp), r -> {
                    switch (r) {
                        case ADDED -> notice(c, "Certificate " + fp + " added to " + account
                                + ". Connect with it and use SASL EXTERNAL to log in.");
                        case ALREADY_YOURS -> notice(c, "Certificate " + fp + " is already on your account.");
                        case TAKEN -> notice(c, "Certificate " + fp + " is bound to another account.");
                        case LIMIT -> notice(c, "Your account has " + c.hub().config().certsPerAccount()
                                + " certificates already, the most allowed. Remove one with CERT DEL.");
                        default -> notice(c, "Cannot add certificate " + fp + ".");
                    }
                });
            }
            case "DEL" -> {
                if (w.length < 3) {
                    notice(c, syntax);
                    return;
                }
                String fp = AccountService.normalizeFingerprint(w[2]);
                if (fp == null) {
                    notice(c, "Not a certificate fingerprint: expected 64 hex digits (SHA-256), colons allowed.");
                    return;
                }
                s.offload(() -> accounts.deleteCert(account, fp), r -> notice(c,
                        r == AccountService.CertOutcome.REMOVED ? "Certificate " + fp + " removed from " + account + "."
                                : "Certificate " + fp + " is not on your account."));
            }
            case "LIST" -> s.offload(() -> accounts.certs(account), list -> {
                if (list.isEmpty()) {
                    notice(c, "No certificates on " + account + ".");
                    return;
                }
                notice(c, "Certificates on " + account + ":");
                for (String fp : list) {
                    notice(c, fp);
                }
                notice(c, "End of list (" + list.size() + ").");
            });
            default -> notice(c, syntax);
        }
    }
}
