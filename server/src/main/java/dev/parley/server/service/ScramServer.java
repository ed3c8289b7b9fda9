package dev.parley.server.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * The server's side of one SCRAM-SHA-256 exchange (RFC 5802 section 5, RFC 7677): it reads the
 * client-first message, answers with server-first, checks the proof in client-final and makes
 * server-final. No I/O and no threads; one instance per exchange, used by one reader.
 * {@link #clientFinal} is the HMAC work: call it on the {@link HashingPool}.
 *
 * <p>Channel binding is not offered: a client that requires it ({@code p=}) is refused; one
 * that could use it but thinks the server cannot ({@code y}) or does not ({@code n}) is served.
 */
public final class ScramServer {
    /** A client message that breaks the syntax or rules of SCRAM; the text says what, for the client. */
    public static final class ScramException extends Exception {
        private static final long serialVersionUID = 1L;

        public ScramException(String message) {
            super(message, null, false, false);
        }
    }

    /** What the client-first message says. {@code username} is SASLprep'd. */
    public record ClientFirst(String gs2Header, String username, String clientNonce, String bare) {
    }

    private static final int NONCE_BYTES = 18;

    private final ClientFirst first;
    private final Scram.Verifier verifier;
    private final String nonce;
    private final String serverFirst;

    /** After {@link #parseClientFirst}: the exchange against {@code verifier}, with a fresh server nonce. */
    public ScramServer(ClientFirst first, Scram.Verifier verifier) {
        this(first, verifier, newNonce());
    }

    ScramServer(ClientFirst first, Scram.Verifier verifier, String serverNonce) {
        this.first = first;
        this.verifier = verifier;
        this.nonce = first.clientNonce() + serverNonce;
        this.serverFirst = "r=" + nonce + ",s=" + Base64.getEncoder().encodeToString(verifier.salt())
                + ",i=" + verifier.iterations();
    }

    private static String newNonce() {
        byte[] b = new byte[NONCE_BYTES];
        Scram.Random.INSTANCE.nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }

    public ClientFirst first() {
        return first;
    }

    /** The server-first message. */
    public String serverFirst() {
        return serverFirst;
    }

    /** Reads a client-first message ({@code gs2-header client-first-message-bare}). */
    public static ClientFirst parseClientFirst(String msg) throws ScramException {
        String[] f = msg.split(",", -1);
        if (f.length < 4) {
            throw new ScramException("malformed client-first message");
        }
        String cbind = f[0];
        if (cbind.startsWith("p=")) {
            throw new ScramException("channel binding is not supported; use SCRAM-SHA-256 without -PLUS");
        }
        if (!cbind.equals("n") && !cbind.equals("y")) {
            throw new ScramException("malformed gs2 header");
        }
        String authzid = null;
        if (!f[1].isEmpty()) {
            if (!f[1].startsWith("a=")) {
                throw new ScramException("malformed gs2 header");
            }
            authzid = decodeName(f[1].substring(2));
        }
        if (f[2].startsWith("m=")) {
            throw new ScramException("extensions are not supported");
        }
        if (!f[2].startsWith("n=")) {
            throw new ScramException("expected n=<username>");
        }
        String username = decodeName(f[2].substring(2));
        if (authzid != null && !authzid.equals(username)) {
            throw new ScramException("authorization identity must be the user name or empty");
        }
        if (!f[3].startsWith("r=") || f[3].length() < 3 || !printable(f[3].substring(2))) {
            throw new ScramException("expected r=<nonce>");
        }
        String header = f[0] + "," + f[1] + ",";
        return new ClientFirst(header, username, f[3].substring(2), msg.substring(header.length()));
    }

    /** A saslname: {@code =2C} and {@code =3D} decoded, SASLprep'd; other {@code =} escapes are an error. */
    static String decodeName(String s) throws ScramException {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '=') {
                if (s.startsWith("=2C", i)) {
                    out.append(',');
                } else if (s.startsWith("=3D", i)) {
                    out.append('=');
                } else {
                    throw new ScramException("malformed user name escape");
                }
                i += 2;
            } else {
                out.append(ch);
            }
        }
        String prepped = Scram.saslPrep(out.toString());
        if (prepped == null) {
            throw new ScramException("the user name is empty or holds characters SASLprep prohibits");
        }
        return prepped;
    }

    private static boolean printable(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < 0x21 || ch > 0x7E || ch == ',') {
                return false;
            }
        }
        return true;
    }

    /**
     * Checks the client-final message; returns the server-final message ({@code v=...}) when the
     * proof is right, null when it is wrong. Comparisons are constant-time.
     *
     * @throws ScramException when the message is malformed, its channel binding or nonce differ
     */
    public String clientFinal(String msg) throws ScramException {
        int p = msg.lastIndexOf(",p=");
        if (p < 0) {
            throw new ScramException("expected p=<proof>");
        }
        String withoutProof = msg.substring(0, p);
        String[] f = withoutProof.split(",", -1);
        if (f.length < 2 || !f[0].startsWith("c=") || !f[1].startsWith("r=")) {
            throw new ScramException("malformed client-final message");
        }
        byte[] cbind;
        byte[] proof;
        try {
            cbind = Base64.getDecoder().decode(f[0].substring(2));
            proof = Base64.getDecoder().decode(msg.substring(p + 3));
        } catch (IllegalArgumentException e) {
            throw new ScramException("malformed base64 in client-final message");
        }
        if (!MessageDigest.isEqual(cbind, first.gs2Header().getBytes(StandardCharsets.UTF_8))) {
            throw new ScramException("channel binding data differ from the gs2 header");
        }
        if (!MessageDigest.isEqual(f[1].substring(2).getBytes(StandardCharsets.UTF_8),
                nonce.getBytes(StandardCharsets.UTF_8))) {
            throw new ScramException("nonce mismatch");
        }
        byte[] authMessage = (first.bare() + "," + serverFirst + "," + withoutProof).getBytes(StandardCharsets.UTF_8);
        byte[] clientSignature = Scram.hmac(verifier.storedKey(), authMessage);
        if (proof.length != clientSignature.length) {
            return null;
        }
        byte[] clientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            clientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(Scram.sha256(clientKey), verifier.storedKey())) {
            return null;
        }
        return "v=" + Base64.getEncoder().encodeToString(Scram.hmac(verifier.serverKey(), authMessage));
    }
}
