package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

/**
 * One bench client's WebSocket state (IRCv3 WebSocket transport, subprotocol
 * {@code text.ircv3.net}): the answer its upgrade request must get, the lines it was given
 * before the upgrade was answered (RFC 6455 §4.1: a client sends nothing more until then), and
 * its frame {@link WsFrames.Reader}. Once upgraded it holds the reader only. Loop only.
 */
final class BenchWs {
    static final String SUBPROTOCOL = "text.ircv3.net";
    /** Longest message taken from the server. */
    static final int MAX_MESSAGE = 1 << 20;
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    final WsFrames.Reader in = new WsFrames.Reader(false, MAX_MESSAGE);
    /** The {@code Sec-WebSocket-Accept} expected; null once upgraded. */
    private String expectedAccept;
    /** Lines given before the upgrade was answered, CRLF-ended; sent (and dropped) once it is. */
    byte[] queued;
    int queuedLen;

    BenchWs(String key) {
        this.expectedAccept = acceptFor(key);
    }

    boolean upgrading() {
        return expectedAccept != null;
    }

    void queue(byte[] data, int off, int len) {
        if (queued == null) {
            queued = new byte[Math.max(256, len)];
        } else if (queuedLen + len > queued.length) {
            queued = Arrays.copyOf(queued, Math.max(queued.length * 2, queuedLen + len));
        }
        System.arraycopy(data, off, queued, queuedLen, len);
        queuedLen += len;
    }

    /** The upgrade request for {@code path} on {@code host}, with the client's key. */
    static byte[] request(String host, String path, String key) {
        return ("GET " + path + " HTTP/1.1\r\n"
                + "Host: " + host + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + SUBPROTOCOL + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A key: 16 random bytes in base64 (RFC 6455 §4.1). */
    static String key(long r1, long r2) {
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (r1 >>> (8 * i));
            b[8 + i] = (byte) (r2 >>> (8 * i));
        }
        return Base64.getEncoder().encodeToString(b);
    }

    static String acceptFor(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-1", e);
        }
    }

    /**
     * Checks the server's answer, {@code a[from, to)} (status line and headers, without the
     * blank line): null when the connection is upgraded, else why not.
     */
    String upgraded(byte[] a, int from, int to) {
        String[] lines = new String(a, from, to - from, StandardCharsets.ISO_8859_1).split("\r\n");
        String status = lines[0];
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            return "WebSocket upgrade: not an HTTP answer: " + clip(status);
        }
        if (!parts[1].equals("101")) {
            return "WebSocket upgrade refused: HTTP " + parts[1] + (parts.length > 2 ? " " + parts[2] : "");
        }
        String upgrade = null;
        String connection = null;
        String accept = null;
        String protocol = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String value = lines[i].substring(colon + 1).strip();
            switch (lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT)) {
                case "upgrade" -> upgrade = value;
                case "connection" -> connection = value;
                case "sec-websocket-accept" -> accept = value;
                case "sec-websocket-protocol" -> protocol = value;
                default -> {
                    // other headers do not matter here
                }
            }
        }
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket")) {
            return "WebSocket upgrade: no 'Upgrade: websocket' in the answer";
        }
        if (connection == null || !Arrays.stream(connection.split(",")).anyMatch(t -> t.strip().equalsIgnoreCase("upgrade"))) {
            return "WebSocket upgrade: no 'Connection: Upgrade' in the answer";
        }
        if (!expectedAccept.equals(accept)) {
            return "WebSocket upgrade: wrong Sec-WebSocket-Accept";
        }
        if (protocol == null || !protocol.equalsIgnoreCase(SUBPROTOCOL)) {
            return "WebSocket upgrade: the server did not choose " + SUBPROTOCOL;
        }
        expectedAccept = null;
        return null;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) : s;
    }
}
