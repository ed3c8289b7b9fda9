package dev.parley.server.core;

import java.util.Locale;

/** The IRCv3 capabilities Parley offers (CAP LS 302), one bit each in a client's cap set. */
public enum Cap {
    CAP_NOTIFY("cap-notify"),
    MULTI_PREFIX("multi-prefix"),
    MESSAGE_TAGS("message-tags"),
    SERVER_TIME("server-time"),
    ECHO_MESSAGE("echo-message"),
    BATCH("batch"),
    LABELED_RESPONSE("labeled-response"),
    AWAY_NOTIFY("away-notify"),
    ACCOUNT_NOTIFY("account-notify"),
    ACCOUNT_TAG("account-tag"),
    EXTENDED_JOIN("extended-join"),
    USERHOST_IN_NAMES("userhost-in-names"),
    INVITE_NOTIFY("invite-notify"),
    SETNAME("setname"),
    CHGHOST("chghost"),
    EXTENDED_MONITOR("extended-monitor"),
    SASL("sasl"),
    ACCOUNT_REGISTRATION("draft/account-registration"),
    CHATHISTORY("draft/chathistory"),
    /** No NAMES reply after the client's own JOIN; the ratified name and the draft one do the same. */
    NO_IMPLICIT_NAMES("no-implicit-names"),
    NO_IMPLICIT_NAMES_DRAFT("draft/no-implicit-names"),
    READ_MARKER("draft/read-marker"),
    MESSAGE_REDACTION("draft/message-redaction"),
    /** Client batches of PRIVMSG/NOTICE lines delivered as one message; needs {@link #BATCH} too. */
    MULTILINE("draft/multiline");

    private final String token;
    private final int bit;

    Cap(String token) {
        this.token = token;
        this.bit = 1 << ordinal();
    }

    public String token() {
        return token;
    }

    public int bit() {
        return bit;
    }

    /** The capability named {@code token} (case-insensitive), or null. */
    public static Cap byToken(String token) {
        String t = token.toLowerCase(Locale.ROOT);
        for (Cap c : values()) {
            if (c.token.equals(t)) {
                return c;
            }
        }
        return null;
    }
}
