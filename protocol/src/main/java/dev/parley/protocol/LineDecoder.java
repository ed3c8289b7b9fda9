package dev.parley.protocol;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Splits a byte stream into lines. Both CRLF and a bare LF end a line (a CR directly before
 * the LF is removed); empty lines are skipped.
 *
 * <p>A line longer than {@code maxLineBytes} is never buffered whole: the decoder switches to
 * discard mode, drops bytes up to the next LF and then emits one {@link Frame.Overlong}.
 *
 * <p>Invalid UTF-8 is <em>replaced</em>, not rejected: each malformed sequence becomes U+FFFD,
 * so a client with a legacy encoding can still be read and nothing it sends crashes the reader.
 * Such a line is marked {@link Frame.Line#malformed() malformed}, so a server that accepts only
 * UTF-8 can refuse it instead.
 *
 * <p>Not thread-safe: one decoder belongs to one connection's reader. Between lines it holds
 * no buffer at all, so an idle connection costs no decode memory.
 */
public final class LineDecoder {
    /** What the decoder produces. */
    public sealed interface Frame permits Frame.Line, Frame.Overlong {
        /**
         * One complete line, without its terminator; {@code malformed} when its bytes were not
         * valid UTF-8 (each bad sequence is U+FFFD in {@code text}).
         */
        record Line(String text, boolean malformed) implements Frame {
            /** A line that was valid UTF-8. */
            public Line(String text) {
                this(text, false);
            }
        }

        /** A line that exceeded the limit and was dropped; {@code bytes} counts what was dropped, terminator included. */
        record Overlong(long bytes) implements Frame {
        }
    }

    private static final byte[] EMPTY = new byte[0];

    private final int maxLineBytes;
    private byte[] buf = EMPTY;
    private int len;
    private boolean discarding;
    private long discarded;

    public LineDecoder(int maxLineBytes) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive");
        }
        this.maxLineBytes = maxLineBytes;
    }

    public int maxLineBytes() {
        return maxLineBytes;
    }

    /** Bytes of an unfinished line held right now. */
    public int buffered() {
        return len;
    }

    public void feed(ByteBuffer in, Consumer<? super Frame> out) {
        if (in.hasArray()) {
            int n = in.remaining();
            feed(in.array(), in.arrayOffset() + in.position(), n, out);
            in.position(in.position() + n);
        } else {
            byte[] copy = new byte[in.remaining()];
            in.get(copy);
            feed(copy, 0, copy.length, out);
        }
    }

    public void feed(byte[] data, int off, int length, Consumer<? super Frame> out) {
        int end = off + length;
        int pos = off;
        while (pos < end) {
            int lf = indexOf(data, pos, end);
            int segEnd = lf < 0 ? end : lf;
            int segLen = segEnd - pos;
            if (discarding) {
                discarded += segLen + (lf < 0 ? 0 : 1);
            } else if (len + segLen > maxLineBytes + 1) { // +1: room for the CR of a CRLF
                discarding = true;
                discarded = len + segLen + (lf < 0 ? 0 : 1);
                len = 0;
                buf = EMPTY;
            } else if (lf >= 0 && len == 0) {
                emit(data, pos, segLen, out); // fast path: the whole line is in the input
            } else {
                append(data, pos, segLen);
                if (lf >= 0) {
                    emit(buf, 0, len, out);
                    len = 0;
                    buf = EMPTY;
                }
            }
            if (lf < 0) {
                return;
            }
            if (discarding) {
                discarding = false;
                out.accept(new Frame.Overlong(discarded));
                discarded = 0;
            }
            pos = lf + 1;
        }
    }

    private void emit(byte[] data, int off, int n, Consumer<? super Frame> out) {
        int raw = n + 1; // with the LF
        if (n > 0 && data[off + n - 1] == '\r') {
            n--;
        }
        if (n > maxLineBytes) {
            out.accept(new Frame.Overlong(raw));
            return;
        }
        if (n == 0) {
            return;
        }
        String text = new String(data, off, n, StandardCharsets.UTF_8);
        // U+FFFD is either a replacement or sent as such: only then check the bytes strictly
        boolean malformed = text.indexOf('\uFFFD') >= 0 && !isValidUtf8(data, off, n);
        out.accept(new Frame.Line(text, malformed));
    }

    private static boolean isValidUtf8(byte[] data, int off, int n) {
        try {
            StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, off, n));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private void append(byte[] data, int off, int n) {
        if (n == 0) {
            return;
        }
        if (len + n > buf.length) {
            int cap = Math.max(64, Math.max(buf.length * 2, len + n));
            buf = Arrays.copyOf(buf, Math.min(cap, maxLineBytes + 1));
        }
        System.arraycopy(data, off, buf, len, n);
        len += n;
    }

    private static int indexOf(byte[] data, int from, int end) {
        for (int i = from; i < end; i++) {
            if (data[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
