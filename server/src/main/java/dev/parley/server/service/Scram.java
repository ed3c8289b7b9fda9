package dev.parley.server.service;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The arithmetic of SCRAM-SHA-256 (RFC 5802, RFC 7677) and its stored verifier: salt, iteration
 * count, StoredKey and ServerKey, kept in the RFC 5803 form
 * {@code SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>}. The password itself is never
 * kept. {@link #derive} is CPU work (PBKDF2): run it on the {@link HashingPool}.
 */
public final class Scram {
    /** RFC 7677: at least 4096 iterations. */
    public static final int MIN_ITERATIONS = 4096;
    private static final String PREFIX = "SCRAM-SHA-256$";
    private static final int SALT_BYTES = 16;
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    private Scram() {
    }

    /** What the server keeps of a password for SCRAM. */
    public record Verifier(byte[] salt, int iterations, byte[] storedKey, byte[] serverKey) {
        /** The RFC 5803 text form. */
        public String encode() {
            return PREFIX + iterations + ":" + B64.encodeToString(salt) + "$" + B64.encodeToString(storedKey)
                    + ":" + B64.encodeToString(serverKey);
        }

        /** Parses {@link #encode}'s form; null when {@code text} is null or malformed. */
        public static Verifier decode(String text) {
            if (text == null || !text.startsWith(PREFIX)) {
                return null;
            }
            String[] halves = text.substring(PREFIX.length()).split("\\$", -1);
            if (halves.length != 2) {
                return null;
            }
            String[] a = halves[0].split(":", -1);
            String[] b = halves[1].split(":", -1);
            if (a.length != 2 || b.length != 2) {
                return null;
            }
            try {
                int it = Integer.parseInt(a[0]);
                byte[] stored = B64D.decode(b[0]);
                byte[] server = B64D.decode(b[1]);
                if (it < MIN_ITERATIONS || stored.length != 32 || server.length != 32) {
                    return null;
                }
                return new Verifier(B64D.decode(a[1]), it, stored, server);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }

    /** A verifier of {@code password} with a new random salt. */
    public static Verifier create(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        Random.INSTANCE.nextBytes(salt);
        return derive(password, salt, iterations);
    }

    /** The verifier of {@code password} with {@code salt} and {@code iterations} (RFC 5802 section 3). */
    public static Verifier derive(String password, byte[] salt, int iterations) {
        byte[] salted = saltedPassword(password, salt, iterations);
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] serverKey = hmac(salted, "Server Key");
        return new Verifier(salt.clone(), iterations, sha256(clientKey), serverKey);
    }

    /** SaltedPassword := Hi(Normalize(password), salt, i), with PBKDF2-HMAC-SHA-256. */
    static byte[] saltedPassword(String password, byte[] salt, int iterations) {
        String normalized = normalizePassword(password);
        PBEKeySpec spec = new PBEKeySpec(normalized.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is missing", e);
        } finally {
            spec.clearPassword();
        }
    }

    /**
     * The password as SASLprep makes it when it can; as given when it holds what SASLprep
     * prohibits (RFC 5802 lets a server fall back so, and the client does the same).
     */
    static String normalizePassword(String password) {
        String p = saslPrep(password);
        return p == null ? password : p;
    }

    /**
     * SASLprep (RFC 4013) as far as the JDK allows: non-ASCII spaces become spaces, the
     * commonly-mapped-to-nothing characters go, NFKC; null when the result is empty or holds a
     * prohibited character (controls, private use, surrogates, non-characters, bidi and tagging
     * characters). Unassigned code points are allowed (a "query" string).
     */
    public static String saslPrep(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder mapped = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D)
                    || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F)
                    || cp == 0xFEFF) {
                continue; // mapped to nothing
            }
            if (cp != ' ' && Character.getType(cp) == Character.SPACE_SEPARATOR) {
                mapped.append(' ');
            } else {
                mapped.appendCodePoint(cp);
            }
        }
        String n = Normalizer.normalize(mapped, Normalizer.Form.NFKC);
        if (n.isEmpty()) {
            return null;
        }
        for (int i = 0; i < n.length(); ) {
            int cp = n.codePointAt(i);
            i += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type == Character.CONTROL || type == Character.PRIVATE_USE || type == Character.SURROGATE
                    || (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE
                    || (cp >= 0x2FF0 && cp <= 0x2FFB) || (cp >= 0x200E && cp <= 0x200F)
                    || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x206A && cp <= 0x206F)
                    || cp == 0x0340 || cp == 0x0341 || cp == 0xE0001 || (cp >= 0xE0020 && cp <= 0xE007F)
                    || (cp >= 0xFFF9 && cp <= 0xFFFD)) {
                return null;
            }
        }
        return n;
    }

    static byte[] hmac(byte[] key, String data) {
        return hmac(key, data.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing", e);
        }
    }

    static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** One strong random source for salts and nonces. */
    static final class Random {
        static final java.security.SecureRandom INSTANCE = new java.security.SecureRandom();

        private Random() {
        }
    }
}
