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
import dev.parley.server.service.ScramServer;
import dev.parley.server.session.Registration;
import dev.parley.server.session.Session;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * {@code AUTHENTICATE}: SASL with PLAIN (account and password), EXTERNAL (the client certificate
 * bound to an account with NickServ CERT ADD) and SCRAM-SHA-256 (RFC 5802/7677: the password
 * never crosses the wire). Each message of an exchange arrives as base64 in 400-byte chunks;
 * the state between messages lives in the connection's {@link Registration}. Password and key
 * work runs off the reader (see {@link Session#offload}); payloads are never logged.
 */
final class Sasl {
    /** The mechanisms offered, in CAP LS (sasl=) and RPL_SASLMECHS. */
    static final String MECHANISMS = "PLAIN,EXTERNAL,SCRAM-SHA-256,IRCV3BEARER";
    /** SASL payloads arrive in 400-byte base64 chunks; more than this for one message is refused. */
    static final int MAX_SASL_BYTES = 4096;
    private static final int CHUNK = 400;

    /** SCRAM's last step: the server-final message is out, the client's empty answer is awaited. */
    private record ScramVerified(String account) {
    }

    private Sasl() {
    }

    // AUTHENTICATE <mechanism>  |  AUTHENTICATE <base64 chunk>  |  AUTHENTICATE +  |  AUTHENTICATE *
    static void authenticate(Session s, IrcMessage m) {
        Client c = s.client();
        Registration reg = s.registration();
        String arg = m.param(0);
        if (arg.equals("*")) {
            reg.resetSasl();
            c.numeric(ERR_SASLABORTED, "SASL authentication aborted");
            return;
        }
        if (c.account() != null) {
            reg.resetSasl();
            c.numeric(ERR_SASLALREADY, "You have already authenticated using SASL");
            return;
        }
        StringBuilder sasl = reg.sasl();
        if (sasl == null) {
            String mech = arg.toUpperCase(java.util.Locale.ROOT);
            if (!mech.equals("PLAIN") && !mech.equals("EXTERNAL") && !mech.equals("SCRAM-SHA-256")
                    && !mech.equals("IRCV3BEARER")) {
                c.numeric(RPL_SASLMECHS, MECHANISMS, "are available SASL mechanisms");
                c.numeric(ERR_SASLFAIL, "SASL authentication failed: unknown mechanism " + arg);
                return;
            }
            reg.startSasl(mech);
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
        if (arg.length() == CHUNK) {
            return; // more chunks follow
        }
        byte[] payload;
        try {
            payload = Base64.getDecoder().decode(sasl.toString());
        } catch (IllegalArgumentException e) {
            fail(s, "not base64");
            return;
        }
        reg.nextSaslMessage();
        switch (reg.saslMechanism()) {
            case "PLAIN" -> plain(s, payload);
            case "EXTERNAL" -> external(s, payload);
            case "IRCV3BEARER" -> bearer(s, payload);
            default -> scram(s, payload);
        }
    }

    private static void fail(Session s, String why) {
        s.registration().resetSasl();
        s.client().numeric(ERR_SASLFAIL, why == null ? "SASL authentication failed" : "SASL authentication failed: " + why);
    }

    private static void succeed(Session s, String account) {
        s.registration().resetSasl();
        Logins.loggedIn(s.client(), account);
        s.client().numeric(RPL_SASLSUCCESS, "SASL authentication successful");
    }

    private static String failure(AccountService.Outcome o, long waitSeconds) {
        return switch (o) {
            case THROTTLED -> "too many failed attempts, try again in " + waitSeconds + " seconds";
            case BUSY -> "the server is busy, try again later";
            default -> null;
        };
    }

    // PLAIN: authzid \0 authcid \0 password
    private static void plain(Session s, byte[] payload) {
        Client c = s.client();
        s.registration().resetSasl();
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 3 || (!parts[0].isEmpty() && !parts[0].equals(parts[1]))) {
            fail(s, "expected authzid\\0authcid\\0password");
            return;
        }
        String account = parts[1];
        String password = parts[2];
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.login(account, password, Logins.address(c)), r -> {
            if (r.outcome() == AccountService.Outcome.OK) {
                succeed(s, r.account());
            } else {
                fail(s, failure(r.outcome(), r.waitSeconds()));
            }
        });
    }

    // IRCV3BEARER: authzid \0 type \0 token; the type Parley issues is "session" (NickServ TOKENS NEW)
    private static void bearer(Session s, byte[] payload) {
        Client c = s.client();
        s.registration().resetSasl();
        String[] parts = new String(payload, StandardCharsets.UTF_8).split("\0", -1);
        if (parts.length != 3 || !parts[1].equals(AccountService.TOKEN_TYPE)) {
            fail(s, "expected authzid\\0session\\0token");
            return;
        }
        String authzid = parts[0];
        String token = parts[2];
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.loginByToken(token, Logins.address(c)), r -> {
            if (r.outcome() == AccountService.Outcome.OK
                    && (authzid.isEmpty() || c.hub().caseMapping().equals(authzid, r.account()))) {
                succeed(s, r.account());
            } else {
                fail(s, r.outcome() == AccountService.Outcome.OK ? "the token is not for " + authzid
                        : failure(r.outcome(), r.waitSeconds()) == null ? "invalid, expired or revoked token"
                        : failure(r.outcome(), r.waitSeconds()));
            }
        });
    }

    // EXTERNAL: [authzid]; the account is the one the connection's certificate is bound to
    private static void external(Session s, byte[] payload) {
        Client c = s.client();
        s.registration().resetSasl();
        String fingerprint = c.certFingerprint();
        if (fingerprint == null) {
            fail(s, "EXTERNAL needs a client certificate, and this connection presented none");
            return;
        }
        String given = new String(payload, StandardCharsets.UTF_8);
        String authzid = given.equals("+") ? "" : given;
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.loginByCert(fingerprint, authzid), r -> {
            switch (r.outcome()) {
                case OK -> succeed(s, r.account());
                case NO_SUCH_ACCOUNT -> fail(s, "no account has this client certificate "
                        + "(log in another way and bind it with /msg NickServ CERT ADD)");
                default -> fail(s, "this client certificate is not bound to the account " + authzid);
            }
        });
    }

    // SCRAM-SHA-256: client-first -> server-first, client-final -> server-final, empty -> 903
    private static void scram(Session s, byte[] payload) {
        Client c = s.client();
        Registration reg = s.registration();
        AccountService accounts = c.hub().accounts();
        String msg = new String(payload, StandardCharsets.UTF_8);
        switch (reg.saslStep()) {
            case null -> {
                ScramServer.ClientFirst first;
                try {
                    first = ScramServer.parseClientFirst(msg);
                } catch (ScramServer.ScramException e) {
                    fail(s, e.getMessage());
                    return;
                }
                s.offload(() -> accounts.scramStart(first, Logins.address(c)), r -> {
                    if (r.outcome() != AccountService.Outcome.OK) {
                        fail(s, failure(r.outcome(), r.waitSeconds()));
                        return;
                    }
                    reg.setSaslStep(r.login());
                    send(c, r.login().exchange().serverFirst());
                });
            }
            case AccountService.ScramLogin login -> s.offload(() -> accounts.scramFinish(login, msg, Logins.address(c)), r -> {
                switch (r.outcome()) {
                    case OK -> {
                        reg.setSaslStep(new ScramVerified(r.account()));
                        send(c, r.serverFinal());
                    }
                    case BUSY -> fail(s, failure(r.outcome(), 0));
                    default -> fail(s, r.error());
                }
            });
            case ScramVerified done -> {
                if (!msg.isEmpty()) {
                    fail(s, "expected an empty answer to the server-final message");
                    return;
                }
                succeed(s, done.account());
            }
            default -> fail(s, null);
        }
    }

    /** Sends {@code text} base64-encoded as AUTHENTICATE lines of at most 400 bytes (and "+" after a full one). */
    private static void send(Client c, String text) {
        String b64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        int i = 0;
        do {
            String chunk = b64.substring(i, Math.min(b64.length(), i + CHUNK));
            c.send(IrcMessage.of("AUTHENTICATE", chunk.isEmpty() ? "+" : chunk));
            i += CHUNK;
        } while (i < b64.length());
        if (!b64.isEmpty() && b64.length() % CHUNK == 0) {
            c.send(IrcMessage.of("AUTHENTICATE", "+"));
        }
    }
}
