package dev.parley.server.store;

/**
 * A registered account. {@code name} is case-folded; the password only ever as an Argon2id hash,
 * and as a SCRAM-SHA-256 verifier ({@code scram}, RFC 5803 form; null until one is made).
 */
public record Account(String name, String displayName, String passwordHash, String email, long createdAtMillis,
                      String scram) {
    public Account(String name, String displayName, String passwordHash, String email, long createdAtMillis) {
        this(name, displayName, passwordHash, email, createdAtMillis, null);
    }
}
