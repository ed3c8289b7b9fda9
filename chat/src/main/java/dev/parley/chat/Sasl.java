package dev.parley.chat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * SASL PLAIN (RFC 4616) and EXTERNAL (RFC 4422, the TLS client certificate) as IRC carries them
 * in {@code AUTHENTICATE} lines. Pure functions; any thread.
 */
final class Sasl {
    /** IRCv3 sasl-3.1: the payload travels in chunks of at most 400 bytes. */
    static final int CHUNK = 400;

    private Sasl() {
    }

    /** The base64 PLAIN response: empty authorization id, then account and password. */
    static String plain(String account, String password) {
        byte[] raw = ("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(raw);
    }

    /** The base64 IRCV3BEARER response for a Parley session token: no authorization id, type "session". */
    static String bearer(String token) {
        byte[] raw = ("\0session\0" + token).getBytes(StandardCharsets.UTF_8);
        return Base64.getEncoder().encodeToString(raw);
    }

    /**
     * The {@code AUTHENTICATE} arguments for {@code payload}: 400-byte pieces, and a lone
     * {@code +} when the last piece was exactly 400 bytes (or the payload was empty).
     */
    static List<String> chunks(String payload) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < payload.length(); i += CHUNK) {
            out.add(payload.substring(i, Math.min(payload.length(), i + CHUNK)));
        }
        if (payload.length() % CHUNK == 0) {
            out.add("+");
        }
        return out;
    }

    /** True when a {@code sasl} capability value (a mechanism list, maybe empty) allows PLAIN. */
    static boolean offersPlain(String capValue) {
        return offers(capValue, "PLAIN");
    }

    /** True when a {@code sasl} capability value or a 908 list (maybe empty) allows {@code mechanism}. */
    static boolean offers(String capValue, String mechanism) {
        if (capValue == null || capValue.isEmpty()) {
            return true; // sasl without a list: mechanisms are not advertised, the mechanism is worth a try
        }
        for (String mech : capValue.split(",")) {
            if (mech.equalsIgnoreCase(mechanism)) {
                return true;
            }
        }
        return false;
    }
}
