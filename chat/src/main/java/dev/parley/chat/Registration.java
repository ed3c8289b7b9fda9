package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Connection registration: IRCv3 capability negotiation ({@code CAP LS 302}, requesting only
 * what the server offers of what this client uses), SASL PLAIN when an account is given or SASL
 * EXTERNAL with the client certificate, and nick collisions before the welcome. Without SASL PLAIN the password is not sent: a {@code PRIVMSG}
 * to NickServ reaches whoever holds that nick, which nothing proves to be the network's
 * services; only {@code --nickserv-fallback} sends {@code IDENTIFY} to it anyway. Runs on the
 * chat loop thread.
 */
final class Registration {
    /** Capabilities this client understands, in the order it asks for them. */
    static final List<String> WANTED = List.of("server-time", "echo-message", "batch", "message-tags",
            "away-notify", "cap-notify", "sasl");

    /** Where SASL stands on this connection. */
    enum SaslState { NOT_TRIED, IN_PROGRESS, SUCCEEDED, FAILED, UNAVAILABLE }

    private static final int NICK_TRIES = 5;

    private final ChatClient c;
    private final Map<String, String> offered = new LinkedHashMap<>();
    private final Set<String> enabled = new LinkedHashSet<>();
    private boolean capEnded;
    private SaslState sasl = SaslState.NOT_TRIED;
    private int nickTries;
    private String wantedNick;
    /** The session token kept for this server, while it has not been refused; null for none. */
    private SessionTokens.Stored token;
    /** Logged in with the kept token on this connection. */
    private boolean byToken;
    /** TOKENS NEW was sent to NickServ and its answer is awaited. */
    private boolean tokenAsked;

    Registration(ChatClient c) {
        this.c = c;
    }

    /** A fresh connection: start negotiating and register. */
    void begin() {
        offered.clear();
        enabled.clear();
        capEnded = false;
        sasl = SaslState.NOT_TRIED;
        nickTries = 0;
        byToken = false;
        tokenAsked = false;
        ChatSettings.Credentials cred = c.settings().credentials();
        token = c.settings().saslExternal() ? null
                : SessionTokens.read(c.settings().tokenFile(), cred == null ? null : cred.account());
        wantedNick = c.state().nick();
        ChatSettings s = c.settings();
        c.send(IrcMessage.of("CAP", "LS", "302"));
        c.send(IrcMessage.of("NICK", wantedNick));
        c.send(IrcMessage.of("USER", s.user(), "0", "*", s.realname()));
    }

    boolean enabled(String cap) {
        return enabled.contains(cap);
    }

    SaslState sasl() {
        return sasl;
    }

    // CAP <nick> <subcommand> [*] :<capabilities>
    void cap(IrcMessage m) {
        String sub = m.param(1) == null ? "" : m.param(1).toUpperCase(Locale.ROOT);
        boolean more = m.paramCount() >= 4 && "*".equals(m.param(2));
        List<String> caps = List.of(m.last() == null || m.paramCount() < 3 ? new String[0] : m.last().strip().split(" +"));
        switch (sub) {
            case "LS", "NEW" -> {
                for (String cap : caps) {
                    int eq = cap.indexOf('=');
                    offered.put(eq < 0 ? cap : cap.substring(0, eq), eq < 0 ? "" : cap.substring(eq + 1));
                }
                if (!more) {
                    request(sub.equals("NEW"));
                }
            }
            case "ACK" -> {
                for (String cap : caps) {
                    if (cap.startsWith("-")) {
                        enabled.remove(cap.substring(1));
                    } else if (!cap.isEmpty()) {
                        enabled.add(cap);
                    }
                }
                if (!capEnded && enabled.contains("sasl") && sasl == SaslState.NOT_TRIED) {
                    sasl = SaslState.IN_PROGRESS;
                    c.send(IrcMessage.of("AUTHENTICATE", mechanism()));
                } else {
                    endCaps();
                }
            }
            case "NAK" -> endCaps();
            case "LIST" -> c.show(Shown.info(c.now(), "capabilities enabled: " + (caps.isEmpty() ? "none" : String.join(" ", caps))));
            case "DEL" -> caps.forEach(cap -> {
                enabled.remove(cap);
                offered.remove(cap);
            });
            default -> {
            }
        }
    }

    private void request(boolean afterRegistration) {
        StringBuilder req = new StringBuilder();
        for (String cap : WANTED) {
            if (!offered.containsKey(cap) || enabled.contains(cap) || (cap.equals("sasl") && !wantSasl(afterRegistration))) {
                continue;
            }
            req.append(req.isEmpty() ? "" : " ").append(cap);
        }
        if (!offered.containsKey("sasl") || !Sasl.offers(offered.get("sasl"), mechanism())) {
            sasl = sasl == SaslState.NOT_TRIED ? SaslState.UNAVAILABLE : sasl;
        }
        if (req.isEmpty()) {
            endCaps();
        } else {
            c.send(IrcMessage.of("CAP", "REQ", req.toString()));
        }
    }

    private boolean wantSasl(boolean afterRegistration) {
        ChatSettings s = c.settings();
        return !afterRegistration && (s.saslExternal() || s.credentials() != null || (token != null && bearerOffered()))
                && Sasl.offers(offered.get("sasl"), mechanism());
    }

    /**
     * The mechanism this client logs in with: EXTERNAL with a client certificate and no account;
     * IRCV3BEARER with a kept session token the server may take; else PLAIN.
     */
    private String mechanism() {
        if (c.settings().saslExternal()) {
            return "EXTERNAL";
        }
        return token != null && bearerOffered() ? "IRCV3BEARER" : "PLAIN";
    }

    /** True when the server lists IRCV3BEARER among its SASL mechanisms (a server issuing session tokens). */
    private boolean bearerOffered() {
        String mechs = offered.get("sasl");
        return mechs != null && !mechs.isEmpty() && Sasl.offers(mechs, "IRCV3BEARER");
    }

    private void endCaps() {
        if (!capEnded && !c.isRegistered()) {
            capEnded = true;
            c.send(IrcMessage.of("CAP", "END"));
        }
    }

    /** 421 for CAP: the server predates capabilities, so there is nothing to end. */
    void capUnsupported() {
        capEnded = true;
        sasl = sasl == SaslState.NOT_TRIED ? SaslState.UNAVAILABLE : sasl;
    }

    // AUTHENTICATE +
    void authenticate(IrcMessage m) {
        if (sasl != SaslState.IN_PROGRESS || !"+".equals(m.param(0))) {
            return;
        }
        if (c.settings().saslExternal()) {
            c.send(IrcMessage.of("AUTHENTICATE", "+")); // empty: the account the certificate is registered to
            return;
        }
        if (mechanism().equals("IRCV3BEARER")) {
            for (String chunk : Sasl.chunks(Sasl.bearer(token.token()))) {
                c.send(IrcMessage.of("AUTHENTICATE", chunk));
            }
            return;
        }
        ChatSettings.Credentials cred = c.settings().credentials();
        if (cred == null) {
            return;
        }
        for (String chunk : Sasl.chunks(Sasl.plain(cred.account(), cred.password()))) {
            c.send(IrcMessage.of("AUTHENTICATE", chunk));
        }
    }

    /** 903 (success) or 902/904/905/906/907 (failure); 908 lists the mechanisms. */
    void saslOutcome(IrcMessage m, boolean success) {
        if (sasl != SaslState.IN_PROGRESS) {
            return;
        }
        if (success) {
            sasl = SaslState.SUCCEEDED;
            byToken = mechanism().equals("IRCV3BEARER");
        } else if (mechanism().equals("IRCV3BEARER")) {
            // the kept token is expired or revoked: forget it, and log in with the password if there is one
            SessionTokens.delete(c.settings().tokenFile());
            token = null;
            if (c.settings().credentials() != null && Sasl.offers(offered.get("sasl"), "PLAIN")) {
                c.show(Shown.status(c.now(), "the kept session token was refused; logging in with the password"));
                c.send(IrcMessage.of("AUTHENTICATE", "PLAIN"));
                return;
            }
            sasl = SaslState.FAILED;
            c.show(Shown.error(c.now(), "the kept session token was refused (" + m.last()
                    + "); start again with the password to log in"));
        } else {
            sasl = SaslState.FAILED;
            c.show(Shown.error(c.now(), "SASL " + mechanism() + " login failed: " + m.last()));
        }
        endCaps();
    }

    /** 908: the mechanisms the server takes; without ours, SASL is given up. */
    void saslMechanisms(IrcMessage m) {
        if (sasl == SaslState.IN_PROGRESS && !Sasl.offers(m.param(1), mechanism())) {
            sasl = SaslState.UNAVAILABLE;
            c.send(IrcMessage.of("AUTHENTICATE", "*"));
            endCaps();
        }
    }

    /** 433 or 432 before the welcome: try another nick (433) or say why not (432). */
    void nickRejected(IrcMessage m, boolean inUse) {
        String tried = m.param(1);
        if (!inUse || nickTries >= NICK_TRIES) {
            c.show(Shown.error(c.now(), "cannot use nick " + tried + ": " + m.last() + " (choose one with /nick)"));
            return;
        }
        nickTries++;
        String next = wantedNick + "_".repeat(Math.min(nickTries, 2)) + (nickTries > 2 ? Integer.toString(nickTries - 2) : "");
        c.show(Shown.status(c.now(), "nick " + tried + " is taken; trying " + next));
        c.send(IrcMessage.of("NICK", next));
    }

    /** The server has no SASL PLAIN: say so, and identify to NickServ only when asked to. */
    private void noSasl(ChatSettings.Credentials cred) {
        if (c.settings().nickservFallback()) {
            c.show(Shown.status(c.now(), "server has no SASL PLAIN; identifying to NickServ as " + cred.account()
                    + " (--nickserv-fallback: whoever holds the nick NickServ gets the password)"));
            c.send(IrcMessage.of("PRIVMSG", "NickServ", "IDENTIFY " + cred.account() + " " + cred.password()));
            return;
        }
        c.show(Shown.error(c.now(), "not logged in as " + cred.account() + ": the server offers no SASL PLAIN, and the"
                + " password is not sent to NickServ, since without SASL anyone could hold that nick;"
                + " --nickserv-fallback sends it anyway"));
    }

    /**
     * A NOTICE: when it is NickServ's answer to TOKENS NEW, the token is kept (not shown) and
     * true returned. Only asked of a server whose SASL takes IRCV3BEARER, after a SASL login.
     */
    boolean tokenNotice(IrcMessage m) {
        if (!tokenAsked || m.source() == null || !m.source().regionMatches(true, 0, "NickServ!", 0, 9)) {
            return false;
        }
        String text = m.last() == null ? "" : m.last();
        if (text.startsWith("It expires in ")) {
            return true;
        }
        if (!text.startsWith("Session token for ")) {
            return false;
        }
        tokenAsked = false;
        ChatSettings.Credentials cred = c.settings().credentials();
        String value = text.substring(text.lastIndexOf(' ') + 1);
        try {
            SessionTokens.write(c.settings().tokenFile(), cred.account(), value);
            token = new SessionTokens.Stored(cred.account(), value);
            c.show(Shown.status(c.now(), "session token kept in " + c.settings().tokenFile()
                    + ": the next start logs in without the password"));
        } catch (java.io.IOException e) {
            c.show(Shown.error(c.now(), "cannot keep the session token: " + e.getMessage()));
        }
        return true;
    }

    // 001 <nick> :Welcome…
    void welcome(IrcMessage m) {
        c.state().nick(m.param(0));
        capEnded = true;
        if (!enabled.isEmpty()) {
            c.show(Shown.status(c.now(), "capabilities: " + String.join(" ", enabled)));
        }
        ChatSettings.Credentials cred = c.settings().credentials();
        if (c.settings().saslExternal()) {
            if (sasl == SaslState.SUCCEEDED) {
                c.show(Shown.status(c.now(), "logged in with the client certificate (SASL EXTERNAL)"));
            } else if (sasl != SaslState.FAILED) {
                c.show(Shown.error(c.now(), "not logged in: the server offers no SASL EXTERNAL"
                        + " (the client certificate was presented all the same)"));
            }
        } else if (byToken) {
            c.show(Shown.status(c.now(), "logged in as " + token.account() + " (SASL, kept session token)"));
        } else if (cred != null && sasl == SaslState.SUCCEEDED) {
            c.show(Shown.status(c.now(), "logged in as " + cred.account() + " (SASL)"));
            if (c.settings().tokenFile() != null && bearerOffered()) {
                tokenAsked = true; // keep a session token, so the next start needs no password
                c.send(IrcMessage.of("PRIVMSG", "NickServ", "TOKENS NEW"));
            }
        } else if (cred != null && sasl != SaslState.FAILED) {
            noSasl(cred);
        }
        c.registered();
    }
}
