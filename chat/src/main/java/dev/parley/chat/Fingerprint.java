package dev.parley.chat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/**
 * SHA-256 fingerprints of certificates (of the DER encoding, as {@code openssl x509 -fingerprint
 * -sha256} prints them). Pure functions; any thread.
 */
final class Fingerprint {
    private static final int BYTES = 32;

    private Fingerprint() {
    }

    /** The SHA-256 of {@code cert}'s DER encoding. */
    static byte[] sha256(X509Certificate cert) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot compute a certificate fingerprint", e);
        }
    }

    /** {@code AB:CD:…}, the form {@code openssl} prints and {@code --tls-fingerprint} takes. */
    static String format(byte[] digest) {
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
    }

    static String of(X509Certificate cert) {
        return format(sha256(cert));
    }

    /**
     * Parses a user's fingerprint: 64 hex digits, colons (or spaces) between them optional, any
     * case, an optional {@code sha256:} or {@code SHA256=} prefix as tools print it.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    static byte[] parse(String text) {
        String s = text.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        for (String prefix : new String[] {"sha256:", "sha256=", "sha-256:", "sha-256="}) {
            if (lower.startsWith(prefix)) {
                s = s.substring(prefix.length());
                break;
            }
        }
        String hex = s.replace(":", "").replace(" ", "");
        if (hex.length() != BYTES * 2 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new IllegalArgumentException("--tls-fingerprint must be a SHA-256 fingerprint: 64 hex digits,"
                    + " colons optional (like openssl x509 -noout -fingerprint -sha256 prints it), not '" + text + "'");
        }
        return HexFormat.of().parseHex(hex.toLowerCase(Locale.ROOT));
    }
}
