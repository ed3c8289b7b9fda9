package dev.parley.server.udp;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The door's return-routability check, stateless as QUIC's retry token and DTLS's cookie: a
 * sender that is not in the room gets a short token, an HMAC of its address, port and the
 * current minute under a key drawn at random when the door opens, and joins only by echoing
 * it ({@code hello <nick> <token>}). A forged source never sees the token, so it can neither
 * join nor make the door send the join's replies to someone who never asked.
 *
 * <p>A token is good in the minute it was made and the next. No state is kept per sender.
 * Thread-safe.
 */
final class UdpCookie {
    /** How long one time bucket lasts; a token is accepted in its own bucket and the next. */
    static final long BUCKET_MILLIS = 60_000;
    /** Bytes of the MAC kept: 72 bits, 12 characters of base64url. */
    private static final int TOKEN_BYTES = 9;
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private final SecretKeySpec key;

    UdpCookie() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        key = new SecretKeySpec(k, "HmacSHA256");
    }

    /** The token for {@code sender} at {@code nowMillis}. */
    String token(InetSocketAddress sender, long nowMillis) {
        return forBucket(sender, Math.floorDiv(nowMillis, BUCKET_MILLIS));
    }

    /** True when {@code token} was made for {@code sender} in this time bucket or the one before. */
    boolean isValid(InetSocketAddress sender, String token, long nowMillis) {
        if (token == null || token.isEmpty()) {
            return false;
        }
        long bucket = Math.floorDiv(nowMillis, BUCKET_MILLIS);
        return same(token, forBucket(sender, bucket)) || same(token, forBucket(sender, bucket - 1));
    }

    private static boolean same(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                b.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    private String forBucket(InetSocketAddress sender, long bucket) {
        byte[] address = sender.getAddress().getAddress();
        ByteBuffer input = ByteBuffer.allocate(address.length + 4 + 8);
        input.put(address).putInt(sender.getPort()).putLong(bucket);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] full = mac.doFinal(input.array());
            byte[] cut = new byte[TOKEN_BYTES];
            System.arraycopy(full, 0, cut, 0, TOKEN_BYTES);
            return ENCODER.encodeToString(cut);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
