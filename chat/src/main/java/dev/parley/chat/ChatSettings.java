package dev.parley.chat;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything a chat session needs, resolved from options and answers. Immutable; any thread.
 *
 * @param endpoint       where to connect
 * @param nick           the nick to ask for
 * @param user           the user name (ident)
 * @param realname       the real name shown in WHOIS
 * @param joins          channels to join once registered
 * @param credentials    account login, or null
 * @param nickservFallback without SASL PLAIN, send the credentials to NickServ anyway
 * @param saslExternal   log in with SASL EXTERNAL (the client certificate) instead of PLAIN
 * @param tls            how to speak TLS, or null for plain TCP
 * @param connectTimeout limit for one connection attempt
 * @param quitTimeout    how long to wait for the server to close after QUIT
 * @param reconnectDelay the first reconnect delay (it doubles per attempt)
 * @param reconnectMax   the longest reconnect delay
 * @param reconnects     reconnect attempts per outage; 0 never reconnects
 * @param pingInterval   silence after which the client pings; twice this, it reconnects
 * @param tokenFile      where this server's session token is kept, or null to keep none
 */
record ChatSettings(Endpoint endpoint, String nick, String user, String realname, List<String> joins,
        Credentials credentials, boolean nickservFallback, boolean saslExternal, TlsSettings tls, Duration connectTimeout,
        Duration quitTimeout, Duration reconnectDelay, Duration reconnectMax, int reconnects, Duration pingInterval,
        java.nio.file.Path tokenFile) {

    /** An account and its password, for SASL PLAIN (or NickServ, with {@code --nickserv-fallback}). */
    record Credentials(String account, String password) {
        public Credentials {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credentials[" + account + ", password hidden]";
        }
    }

    ChatSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(nick, "nick");
        joins = List.copyOf(joins);
        if (saslExternal && (tls == null || tls.identity() == null)) {
            throw new IllegalArgumentException("SASL EXTERNAL needs a client certificate");
        }
    }
}
