package dev.parley.server;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The client's side of SCRAM-SHA-256, written straight from RFC 5802 section 3 and RFC 7677 and
 * sharing no code with the server's: what a test logs in with. ASCII passwords only (no SASLprep).
 */
public final class ScramTestClient {
    private final String user;
    private final String password;
    private final String clientNonce;
    private final String gs2Header;
    private String bare;
    private String expectedServerFinal;

    public ScramTestClient(String user, String password, String clientNonce) {
        this(user, password, clientNonce, "n,,");
    }

    /** With another gs2 header ({@code y,,}, {@code p=tls-unique,,}, {@code n,a=user,}). */
    public ScramTestClient(String user, String password, String clientNonce, String gs2Header) {
        this.user = user;
        this.password = password;
        this.clientNonce = clientNonce;
        this.gs2Header = gs2Header;
    }

    public String clientFirst() {
        bare = "n=" + user.replace("=", "=3D").replace(",", "=2C") + ",r=" + clientNonce;
        return gs2Header + bare;
    }

    /** The client-final message answering {@code serverFirst} ({@code r=...,s=...,i=...}). */
    public String clientFinal(String serverFirst) throws Exception {
        String nonce = null;
        byte[] salt = null;
        int iterations = 0;
        for (String attr : serverFirst.split(",")) {
            switch (attr.substring(0, 2)) {
                case "r=" -> nonce = attr.substring(2);
                case "s=" -> salt = Base64.getDecoder().decode(attr.substring(2));
                case "i=" -> iterations = Integer.parseInt(attr.substring(2));
                default -> { }
            }
        }
        if (nonce == null || !nonce.startsWith(clientNonce) || salt == null || iterations < 4096) {
            throw new IllegalStateException("bad server-first: " + serverFirst);
        }
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key".getBytes(StandardCharsets.UTF_8));
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(gs2Header.getBytes(StandardCharsets.UTF_8))
                + ",r=" + nonce;
        byte[] authMessage = (bare + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] signature = hmac(storedKey, authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        byte[] serverKey = hmac(salted, "Server Key".getBytes(StandardCharsets.UTF_8));
        expectedServerFinal = "v=" + Base64.getEncoder().encodeToString(hmac(serverKey, authMessage));
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    /** True when the server-final message proves the server knew the verifier. */
    public boolean serverFinalValid(String serverFinal) {
        return expectedServerFinal != null && expectedServerFinal.equals(serverFinal);
    }

    private static byte[] hmac(byte[] key, byte[] data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data);
    }

    public static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    public static String unb64(String s) {
        return new String(Base64.getDecoder().decode(s), StandardCharsets.UTF_8);
    }
}
