package dev.parley.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.protocol.LineDecoder.Frame;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzzes the inbound protocol path: {@link LineDecoder} (bytes split at arbitrary positions),
 * {@link IrcParser} and {@link IrcFormatter}.
 *
 * <p>Invariants: nothing but {@link IrcParseException} is thrown; the decoder's frames match a
 * simple reference splitter (so no line is longer than the limit); a parsed message formatted
 * and parsed again is the same message; a formatted line is exactly one line (no CR, LF or NUL
 * before its final CRLF), also for messages built directly from arbitrary strings.
 *
 * <p>Run: {@code JAZZER_FUZZ=1 mvn -pl server -am -Pfuzz test -Dtest=ProtocolFuzzTest#decodeParseFormat}
 */
class ProtocolFuzzTest {
    /** Re-parses formatted lines without length limits: the round trip checks structure, not size. */
    private static final IrcParser UNLIMITED = new IrcParser(1 << 24, 1 << 24);

    @FuzzTest
    // libFuzzer dictionary syntax: \\xNN is a byte, \\\\ a backslash
    @DictionaryEntries({"\\x0D\\x0A", "\\x0A", "\\x0D", "\\x00", "@", "+", ";", "=", "\\\\", "\\\\:", "\\\\s", "\\\\r",
            "\\\\n", " :",
            "PRIVMSG", "NOTICE", "KICK", "TOPIC", "QUIT", "001", "@time=", "+draft/reply=", ":nick!user@host "})
    void decodeParseFormat(FuzzedDataProvider data) {
        int maxLine = data.consumeInt(1, 1100);
        int maxTag = data.consumeInt(1, 600);
        int maxBody = data.consumeInt(1, 600);
        int chunks = data.consumeInt(0, 12);
        int[] cuts = new int[chunks];
        for (int i = 0; i < chunks; i++) {
            cuts[i] = data.consumeInt(0, 4096);
        }
        boolean direct = data.consumeBoolean();
        byte[] input = data.consumeRemainingAsBytes();

        // 1. the decoder, fed in arbitrary pieces (array and direct-buffer entry points), against a reference
        LineDecoder decoder = new LineDecoder(maxLine);
        List<Frame> frames = new ArrayList<>();
        int pos = 0;
        for (int i = 0; i <= chunks && pos <= input.length; i++) {
            int end = i == chunks ? input.length : Math.min(input.length, pos + cuts[i]);
            if (direct && (i & 1) == 1) {
                ByteBuffer bb = ByteBuffer.allocateDirect(end - pos);
                bb.put(input, pos, end - pos).flip();
                decoder.feed(bb, frames::add);
                check(!bb.hasRemaining(), "feed(ByteBuffer) must consume everything");
            } else {
                decoder.feed(input, pos, end - pos, frames::add);
            }
            pos = end;
        }
        Reference expected = reference(input, maxLine);
        check(frames.equals(expected.frames), "decoder frames differ from the reference: " + frames
                + " != " + expected.frames);
        check(decoder.buffered() == expected.buffered, "buffered " + decoder.buffered() + " != " + expected.buffered);

        // 2. parse every line; 3. format, check the wire form, re-parse
        IrcParser parser = new IrcParser(maxTag, maxBody);
        for (Frame f : frames) {
            if (f instanceof Frame.Line line) {
                parseAndRoundTrip(IrcParser.standard(), line.text());
                parseAndRoundTrip(parser, line.text());
            }
        }
    }

    /** Messages built directly from arbitrary strings: a message that exists is always one wire line. */
    @FuzzTest
    void formatIsOneLine(FuzzedDataProvider data) {
        Map<String, String> tags = new LinkedHashMap<>();
        int nTags = data.consumeInt(0, 4);
        for (int i = 0; i < nTags; i++) {
            tags.put(data.consumeString(12), data.consumeString(40));
        }
        String source = data.consumeBoolean() ? data.consumeString(30) : null;
        String command = data.consumeString(10);
        List<String> params = new ArrayList<>();
        int nParams = data.consumeInt(0, 16);
        for (int i = 0; i < nParams; i++) {
            params.add(data.consumeString(40));
        }
        IrcMessage m;
        try {
            m = new IrcMessage(tags, source, command, params);
        } catch (IllegalArgumentException | NullPointerException refused) {
            return; // the constructor refuses what cannot be written as one line
        }
        byte[] wire = IrcFormatter.toBytes(m);
        checkOneLine(wire);
        IrcMessage again;
        try {
            again = UNLIMITED.parse(IrcFormatter.format(m));
        } catch (IrcParseException e) {
            throw new AssertionError("formatted message does not parse: " + show(wire) + " (" + e.getMessage() + ")");
        }
        // the parser upper-cases commands and unescapes tags; compare what survives a round trip
        check(again.command().equals(m.command().toUpperCase(java.util.Locale.ROOT)), "command changed");
        check(java.util.Objects.equals(again.source(), m.source()), "source changed: " + show(wire));
        check(again.params().equals(m.params()), "params changed: " + m.params() + " -> " + again.params());
        Map<String, String> expectedTags = new LinkedHashMap<>();
        m.tags().forEach((k, v) -> expectedTags.put(k, v == null ? "" : v));
        check(again.tags().equals(expectedTags), "tags changed: " + expectedTags + " -> " + again.tags());
    }

    private static void parseAndRoundTrip(IrcParser parser, String line) {
        IrcMessage m;
        try {
            m = parser.parse(line);
        } catch (IrcParseException e) {
            check(e.reason() != null, "a parse exception carries its reason");
            return; // the one documented failure
        }
        byte[] wire = IrcFormatter.toBytes(m);
        checkOneLine(wire);
        String formatted = IrcFormatter.format(m);
        // the formatter may add one ':' before a text parameter the sender wrote without it
        check(IrcParser.utf8Length(formatted) <= IrcParser.utf8Length(line) + 1,
                "formatting made the line longer: " + line + " -> " + formatted);
        IrcMessage again;
        try {
            again = UNLIMITED.parse(formatted);
        } catch (IrcParseException e) {
            throw new AssertionError("formatted line does not parse: " + formatted + " (" + e.getMessage() + ")");
        }
        check(again.equals(m), "round trip changed the message: " + line + " -> " + formatted + " -> " + again);
        check(IrcFormatter.format(again).equals(formatted), "formatting is not stable: " + formatted);
    }

    /** Ends with CRLF and holds no other CR, LF or NUL. */
    static void checkOneLine(byte[] wire) {
        int n = wire.length;
        check(n >= 2 && wire[n - 2] == '\r' && wire[n - 1] == '\n', "line does not end with CRLF: " + show(wire));
        for (int i = 0; i < n - 2; i++) {
            check(wire[i] != '\r' && wire[i] != '\n' && wire[i] != 0, "CR, LF or NUL inside a line: " + show(wire));
        }
    }

    private record Reference(List<Frame> frames, int buffered) {
    }

    /** The decoder's contract, written as simply as possible. */
    private static Reference reference(byte[] input, int maxLine) {
        List<Frame> out = new ArrayList<>();
        ByteArrayOutputStream seg = new ByteArrayOutputStream();
        for (byte b : input) {
            if (b != '\n') {
                seg.write(b);
                continue;
            }
            byte[] s = seg.toByteArray();
            seg.reset();
            int n = s.length > 0 && s[s.length - 1] == '\r' ? s.length - 1 : s.length;
            if (n > maxLine) {
                out.add(new Frame.Overlong(s.length + 1L));
            } else if (n > 0) {
                out.add(new Frame.Line(new String(s, 0, n, StandardCharsets.UTF_8)));
            }
        }
        int rest = seg.size();
        return new Reference(out, rest > maxLine + 1 ? 0 : rest);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static String show(byte[] wire) {
        return new String(wire, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }
}
