package dev.parley.bench;

/**
 * RFC 6455 framing for the bench's WebSocket clients: writing a client's frames (always
 * masked) and reading a server's, which arrive in whatever pieces the socket hands over.
 *
 * <p>A {@link Reader} belongs to one client and holds only what a split forces it to keep: a
 * header cut between two reads (at most 14 bytes), the part of a message read so far when the
 * message is fragmented or cut by a read, and a control frame's payload cut by a read. A whole
 * unfragmented message inside one read is handed on where it lies, in the read buffer. Control
 * frames may come between the fragments of a message (RFC 6455 §5.4) and do not disturb it.
 * Everything here runs on the owning event loop's thread.
 */
final class WsFrames {
    static final int CONTINUATION = 0x0;
    static final int TEXT = 0x1;
    static final int BINARY = 0x2;
    static final int CLOSE = 0x8;
    static final int PING = 0x9;
    static final int PONG = 0xA;
    /** The longest frame header: 2 bytes, an 8-byte length, a 4-byte mask key. */
    static final int MAX_HEADER = 14;
    /** Longest control frame payload (RFC 6455 §5.5). */
    static final int MAX_CONTROL = 125;

    private WsFrames() {
    }

    /**
     * Writes one final (FIN) frame carrying {@code src[from, to)} at {@code dst[at]}, masked
     * with {@code maskKey} when {@code masked} (a client's frames always are), and returns the
     * index after it. {@code dst} needs {@code to - from + MAX_HEADER} bytes from {@code at}.
     */
    static int write(byte[] dst, int at, int opcode, byte[] src, int from, int to, boolean masked, int maskKey) {
        return write(dst, at, true, opcode, src, from, to, masked, maskKey);
    }

    /** As {@link #write(byte[], int, int, byte[], int, int, boolean, int)}, with FIN given. */
    static int write(byte[] dst, int at, boolean fin, int opcode, byte[] src, int from, int to, boolean masked,
                     int maskKey) {
        int len = to - from;
        int maskBit = masked ? 0x80 : 0;
        dst[at++] = (byte) ((fin ? 0x80 : 0) | opcode);
        if (len < 126) {
            dst[at++] = (byte) (maskBit | len);
        } else if (len < 65_536) {
            dst[at++] = (byte) (maskBit | 126);
            dst[at++] = (byte) (len >>> 8);
            dst[at++] = (byte) len;
        } else {
            dst[at++] = (byte) (maskBit | 127);
            long l = len;
            for (int shift = 56; shift >= 0; shift -= 8) {
                dst[at++] = (byte) (l >>> shift);
            }
        }
        if (!masked) {
            System.arraycopy(src, from, dst, at, len);
            return at + len;
        }
        dst[at++] = (byte) (maskKey >>> 24);
        dst[at++] = (byte) (maskKey >>> 16);
        dst[at++] = (byte) (maskKey >>> 8);
        dst[at++] = (byte) maskKey;
        System.arraycopy(src, from, dst, at, len);
        mask(dst, at, at + len, maskKey, 0);
        return at + len;
    }

    /**
     * XORs {@code a[from, to)} with the mask key in place (masking and unmasking are the same),
     * {@code phase} being the payload offset of {@code a[from]} in its frame.
     */
    static void mask(byte[] a, int from, int to, int maskKey, long phase) {
        int shift = (int) (phase & 3);
        int key = shift == 0 ? maskKey : Integer.rotateLeft(maskKey, 8 * shift);
        int i = from;
        for (; i + 4 <= to; i += 4) {
            a[i] ^= (byte) (key >>> 24);
            a[i + 1] ^= (byte) (key >>> 16);
            a[i + 2] ^= (byte) (key >>> 8);
            a[i + 3] ^= (byte) key;
        }
        for (int k = 24; i < to; i++, k -= 8) {
            a[i] ^= (byte) (key >>> k);
        }
    }

    /** A frame that breaks RFC 6455, or a message longer than the reader takes. */
    static final class ProtocolException extends Exception {
        private static final long serialVersionUID = 1L;

        ProtocolException(String message) {
            super(message);
        }
    }

    /** Where a {@link Reader} hands what it read; each method returns false to stop reading. */
    interface Sink {
        /** One whole text or binary message, its payload at {@code a[from, to)}. */
        boolean message(byte[] a, int from, int to);

        /** A ping, to be answered with a pong carrying the same payload. */
        boolean ping(byte[] a, int from, int to);

        /** The peer's close frame: its status code (1005 when it gave none) and reason. */
        boolean close(int code, String reason);
    }

    /** One connection's reading state. Unmasks in place in the bytes it is given. */
    static final class Reader {
        private final boolean acceptMasked;
        private final int maxMessage;

        /** A header cut between reads; allocated the first time that happens. */
        private byte[] head;
        private int headLen;
        /** True between a frame's header and the end of its payload. */
        private boolean inFrame;
        private boolean fin;
        private int opcode;
        private boolean masked;
        private int maskKey;
        /** Payload bytes of the current frame still to come, and those already read. */
        private long left;
        private long framePos;
        /** True while a fragmented message is being put together. */
        private boolean inMessage;
        /** The message read so far when it is fragmented or cut by a read. */
        private byte[] msg;
        private int msgLen;
        /** A control frame's payload cut by a read. */
        private byte[] ctl;
        private int ctlLen;

        /**
         * @param acceptMasked whether masked frames are read (a server's must not be: RFC 6455 §5.1)
         * @param maxMessage   longest message taken, in bytes; a longer one is a protocol error
         */
        Reader(boolean acceptMasked, int maxMessage) {
            this.acceptMasked = acceptMasked;
            this.maxMessage = maxMessage;
        }

        /**
         * Reads the frames in {@code a[p, end)}, handing each whole message, ping and close to
         * {@code sink}, and keeps what is unfinished for the next call. Returns false when the
         * sink asked to stop.
         */
        boolean feed(byte[] a, int p, int end, Sink sink) throws ProtocolException {
            while (true) {
                if (!inFrame) {
                    if (p >= end) {
                        return true;
                    }
                    p = readHeader(a, p, end);
                    if (p < 0) {
                        return true; // the rest of the header comes with the next read
                    }
                }
                int take = (int) Math.min(left, end - p);
                boolean control = opcode >= CLOSE;
                boolean direct = false;
                if (control) {
                    if (take == left && framePos == 0) {
                        direct = true;
                    } else {
                        if (ctl == null) {
                            ctl = new byte[MAX_CONTROL];
                        }
                        System.arraycopy(a, p, ctl, ctlLen, take);
                        ctlLen += take;
                    }
                } else if (fin && !inMessage && framePos == 0 && take == left) {
                    direct = true; // a whole message where it lies
                } else {
                    append(a, p, take);
                }
                if (masked) {
                    if (direct) {
                        mask(a, p, p + take, maskKey, 0);
                    } else if (control) {
                        mask(ctl, ctlLen - take, ctlLen, maskKey, framePos);
                    } else {
                        mask(msg, msgLen - take, msgLen, maskKey, framePos);
                    }
                }
                int from = p;
                p += take;
                left -= take;
                framePos += take;
                if (left > 0) {
                    return true; // the payload continues in the next read
                }
                inFrame = false;
                boolean go;
                if (control) {
                    go = direct ? control(a, from, p, sink) : control(ctl, 0, ctlLen, sink);
                    ctlLen = 0;
                } else if (!fin) {
                    inMessage = true;
                    go = true;
                } else if (direct) {
                    go = sink.message(a, from, p);
                } else {
                    inMessage = false;
                    int len = msgLen;
                    msgLen = 0;
                    go = sink.message(msg, 0, len);
                }
                if (!go) {
                    return false;
                }
            }
        }

        private void append(byte[] a, int p, int take) {
            if (msg == null || msgLen + take > msg.length) {
                int size = Math.max(msg == null ? 256 : msg.length * 2, msgLen + take);
                byte[] bigger = new byte[Math.min(size, maxMessage)];
                if (msgLen > 0) {
                    System.arraycopy(msg, 0, bigger, 0, msgLen);
                }
                msg = bigger;
            }
            System.arraycopy(a, p, msg, msgLen, take);
            msgLen += take;
        }

        private boolean control(byte[] a, int from, int to, Sink sink) {
            return switch (opcode) {
                case PING -> sink.ping(a, from, to);
                case CLOSE -> {
                    int code = to - from >= 2 ? (a[from] & 0xff) << 8 | (a[from + 1] & 0xff) : 1005;
                    String reason = to - from > 2
                            ? new String(a, from + 2, to - from - 2, java.nio.charset.StandardCharsets.UTF_8) : "";
                    yield sink.close(code, reason);
                }
                default -> true; // a pong: nothing asked for one
            };
        }

        /** Reads a header at {@code a[p]}; returns the index after it, or -1 when it is cut off (kept). */
        private int readHeader(byte[] a, int p, int end) throws ProtocolException {
            byte[] src;
            int s;
            if (headLen == 0 && end - p >= 2 && end - p >= headerSize(a[p + 1])) {
                src = a;
                s = p;
                p += headerSize(a[p + 1]);
            } else {
                if (head == null) {
                    head = new byte[MAX_HEADER];
                }
                while (p < end && (headLen < 2 || headLen < headerSize(head[1]))) {
                    head[headLen++] = a[p++];
                }
                if (headLen < 2 || headLen < headerSize(head[1])) {
                    return -1;
                }
                src = head;
                s = 0;
                headLen = 0;
            }
            parseHeader(src, s);
            return p;
        }

        static int headerSize(byte second) {
            int len7 = second & 0x7f;
            return 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + ((second & 0x80) != 0 ? 4 : 0);
        }

        private void parseHeader(byte[] h, int s) throws ProtocolException {
            int b0 = h[s] & 0xff;
            int b1 = h[s + 1] & 0xff;
            if ((b0 & 0x70) != 0) {
                throw new ProtocolException("reserved bits set in a frame (no extension was agreed)");
            }
            fin = (b0 & 0x80) != 0;
            opcode = b0 & 0x0f;
            masked = (b1 & 0x80) != 0;
            int len7 = b1 & 0x7f;
            int at = s + 2;
            long len;
            if (len7 == 126) {
                len = (h[at] & 0xff) << 8 | (h[at + 1] & 0xff);
                at += 2;
            } else if (len7 == 127) {
                len = 0;
                for (int i = 0; i < 8; i++) {
                    len = len << 8 | (h[at + i] & 0xff);
                }
                at += 8;
                if (len < 0) {
                    throw new ProtocolException("frame length out of range");
                }
            } else {
                len = len7;
            }
            if (masked) {
                if (!acceptMasked) {
                    throw new ProtocolException("masked frame from the server");
                }
                maskKey = (h[at] & 0xff) << 24 | (h[at + 1] & 0xff) << 16 | (h[at + 2] & 0xff) << 8 | (h[at + 3] & 0xff);
            }
            switch (opcode) {
                case CLOSE, PING, PONG -> {
                    if (!fin) {
                        throw new ProtocolException("fragmented control frame");
                    }
                    if (len > MAX_CONTROL) {
                        throw new ProtocolException("control frame longer than " + MAX_CONTROL + " bytes");
                    }
                }
                case TEXT, BINARY -> {
                    if (inMessage) {
                        throw new ProtocolException("new message before the fragmented one ended");
                    }
                }
                case CONTINUATION -> {
                    if (!inMessage) {
                        throw new ProtocolException("continuation frame outside a fragmented message");
                    }
                }
                default -> throw new ProtocolException("unknown opcode " + opcode);
            }
            if (opcode < CLOSE && (inMessage ? msgLen : 0) + len > maxMessage) {
                throw new ProtocolException("message longer than " + maxMessage + " bytes");
            }
            left = len;
            framePos = 0;
            inFrame = true;
        }
    }
}
