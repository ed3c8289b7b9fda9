package dev.parley.scan;

import java.io.ByteArrayOutputStream;

/** Turns what a service says first into one short printable line. */
final class Banner {
    /** Bytes read at most. */
    static final int MAX_BYTES = 512;
    /** Characters shown at most. */
    static final int MAX_CHARS = 100;

    private Banner() {
    }

    /** Whether enough has arrived: a full line after some text, or {@link #MAX_BYTES}. */
    static boolean complete(ByteArrayOutputStream received) {
        if (received.size() >= MAX_BYTES) {
            return true;
        }
        byte[] b = received.toByteArray();
        boolean text = false;
        for (byte x : b) {
            if (x == '\n' || x == '\r') {
                if (text) {
                    return true;
                }
            } else if (x != ' ' && x != '\t') {
                text = true;
            }
        }
        return false;
    }

    /**
     * The first non-blank line, with tabs as spaces, other unprintable bytes as {@code .},
     * cut to {@link #MAX_CHARS} (ending in {@code ...}); {@code null} when nothing printable came.
     */
    static String clean(byte[] raw) {
        int i = 0;
        while (i < raw.length && isSpace(raw[i])) {
            i++;
        }
        StringBuilder sb = new StringBuilder();
        for (; i < raw.length && raw[i] != '\n' && raw[i] != '\r'; i++) {
            int c = raw[i] & 0xff;
            sb.append(c == '\t' ? ' ' : (c >= 0x20 && c < 0x7f ? (char) c : '.'));
        }
        String s = sb.toString().strip();
        if (s.isEmpty()) {
            return null;
        }
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS - 3) + "..." : s;
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }
}
