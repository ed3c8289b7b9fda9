package dev.parley.server.store;

/** A registered account. {@code name} is case-folded; the password only ever as an Argon2id hash. */
public record Account(String name, String displayName, String passwordHash, String email, long createdAtMillis) {
}
