package dev.parley.server.core;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.Masks;

/**
 * Extended bans (ISUPPORT {@code EXTBAN=$,a}): a {@code +b} or {@code +I} entry that starts with
 * {@code $} matches by something other than {@code nick!user@host}. One type exists, the
 * account ({@code $a:<account>}, IRCv3 account-extban, ISUPPORT {@code ACCOUNTEXTBAN=a}): it
 * matches a logged-in user whose account name matches, compared with the server's casemapping
 * ({@code *} and {@code ?} allowed), and never a user who is not logged in. The {@code $}
 * prefix and the letter are those of charybdis and Solanum.
 */
public final class ExtBan {
    /** What starts an extended ban. */
    public static final char PREFIX = '$';
    /** The account type's letter. */
    public static final char ACCOUNT = 'a';
    /** ISUPPORT {@code EXTBAN}: the prefix, then every type. */
    public static final String ISUPPORT = PREFIX + "," + ACCOUNT;

    private ExtBan() {
    }

    /** True when {@code mask} is meant as an extended ban (it starts with {@code $}). */
    public static boolean isExtBan(String mask) {
        return !mask.isEmpty() && mask.charAt(0) == PREFIX;
    }

    /** True for an extended ban this server knows: {@code $a:<account mask>}, the mask not empty. */
    public static boolean isValid(String mask) {
        return mask.length() > 3 && mask.charAt(0) == PREFIX && mask.charAt(1) == ACCOUNT && mask.charAt(2) == ':';
    }

    /** True when the extended ban {@code mask} matches {@code c}; an unknown one matches no one. */
    static boolean matches(String mask, Client c, CaseMapping cm) {
        if (!isValid(mask)) {
            return false;
        }
        String account = c.account();
        return account != null && Masks.matches(mask.substring(3), account, cm);
    }
}
