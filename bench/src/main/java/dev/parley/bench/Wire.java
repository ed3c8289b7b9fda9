package dev.parley.bench;

import java.nio.charset.StandardCharsets;

/**
 * The bytes the bench writes and the few it reads without building a String: its own
 * messages ({@code PRIVMSG #chan :PB <sender> <seq> <micros> <filler>}) and {@code PING}.
 * Everything here works on {@code byte[]} ranges {@code [from, to)} holding one line without
 * its line ending.
 */
final class Wire {
    static final byte[] PRIVMSG = ascii("PRIVMSG ");
    static final byte[] PING = ascii("PING ");
    static final byte[] ERROR = ascii("ERROR ");
    static final byte[] MARK = ascii("PB ");

    private Wire() {
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] registration(String nick) {
        return ascii("NICK " + nick + "\r\nUSER " + nick + " 0 * :parley bench\r\n");
    }

    static byte[] join(String channel) {
        return ascii("JOIN " + channel + "\r\n");
    }

    /** {@code PRIVMSG <target> :PB }: the fixed start of every message one sender sends. */
    static byte[] messageHead(String target) {
        return ascii("PRIVMSG " + target + " :PB ");
    }

    /** Longest line {@link #writeMessage} can produce for the given head and filler. */
    static int maxMessageLength(byte[] head, byte[] filler) {
        return head.length + 3 * 20 + 3 + filler.length + 2;
    }

    /** Writes one message line (with CRLF) at {@code dst[at]}; returns the index after it. */
    static int writeMessage(byte[] dst, int at, byte[] head, int sender, long seq, long micros, byte[] filler) {
        System.arraycopy(head, 0, dst, at, head.length);
        at += head.length;
        at = writeLong(dst, at, sender);
        dst[at++] = ' ';
        at = writeLong(dst, at, seq);
        dst[at++] = ' ';
        at = writeLong(dst, at, micros);
        if (filler.length > 0) {
            dst[at++] = ' ';
            System.arraycopy(filler, 0, dst, at, filler.length);
            at += filler.length;
        }
        dst[at++] = '\r';
        dst[at++] = '\n';
        return at;
    }

    static int writeLong(byte[] dst, int at, long v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative");
        }
        if (v == 0) {
            dst[at++] = '0';
            return at;
        }
        int digits = 0;
        for (long t = v; t > 0; t /= 10) {
            digits++;
        }
        for (int i = at + digits - 1; i >= at; i--) {
            dst[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return at + digits;
    }

    /** Index where the command starts: after a {@code :source } prefix, if any; -1 if malformed. */
    static int commandStart(byte[] a, int from, int to) {
        if (from < to && a[from] == ':') {
            int sp = indexOf(a, from, to, (byte) ' ');
            if (sp < 0) {
                return -1;
            }
            while (sp < to && a[sp] == ' ') {
                sp++;
            }
            return sp;
        }
        return from;
    }

    static boolean startsWith(byte[] a, int at, int to, byte[] word) {
        if (to - at < word.length) {
            return false;
        }
        for (int i = 0; i < word.length; i++) {
            if (a[at + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Parses a bench message out of a {@code PRIVMSG} line whose command starts at
     * {@code cmd}. On success fills {@code out} with sender, sequence number and send time
     * (microseconds) and returns true; any other PRIVMSG returns false.
     */
    static boolean parseMessage(byte[] a, int cmd, int to, long[] out) {
        int target = cmd + PRIVMSG.length;
        int sp = indexOf(a, target, to, (byte) ' ');
        if (sp < 0 || sp + 1 >= to || a[sp + 1] != ':') {
            return false;
        }
        int p = sp + 2;
        if (!startsWith(a, p, to, MARK)) {
            return false;
        }
        p += MARK.length;
        for (int field = 0; field < 3; field++) {
            long v = 0;
            int start = p;
            while (p < to && a[p] >= '0' && a[p] <= '9') {
                v = v * 10 + (a[p] - '0');
                p++;
            }
            if (p == start || p - start > 18) {
                return false;
            }
            out[field] = v;
            if (field < 2) {
                if (p >= to || a[p] != ' ') {
                    return false;
                }
                p++;
            }
        }
        return p == to || a[p] == ' ';
    }
}
