package dev.parley.server.store;

/**
 * A session token as stored: its public {@code id}, the (case-folded) account it logs in to,
 * the SHA-256 of its secret part (hex; never the secret), and when it was issued and expires.
 */
public record SessionToken(String id, String account, String secretHash, long createdAtMillis, long expiresAtMillis) {
}
