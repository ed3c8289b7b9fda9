package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.LineDecoder.Frame;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LineDecoderTest {

    private static List<Frame> decode(LineDecoder d, byte[]... chunks) {
        List<Frame> out = new ArrayList<>();
        for (byte[] c : chunks) {
            d.feed(c, 0, c.length, out::add);
        }
        return out;
    }

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void crlfAndBareLfBothEndLinesAndEmptyLinesAreSkipped() {
        List<Frame> out = decode(new LineDecoder(512), b("NICK a\r\nUSER x\n\r\n\nPING y\r\n"));
        assertThat(out).containsExactly(new Frame.Line("NICK a"), new Frame.Line("USER x"), new Frame.Line("PING y"));
    }

    @Test
    void inputSplitAtEveryPositionGivesTheSameLines() {
        byte[] all = b("@t=1 :s PRIVMSG #a :héllo wörld\r\nNICK b\nPING :x y\r\n");
        List<Frame> expected = decode(new LineDecoder(512), all);
        assertThat(expected).hasSize(3);
        for (int i = 0; i <= all.length; i++) {
            for (int j = i; j <= all.length; j++) {
                byte[] a = java.util.Arrays.copyOfRange(all, 0, i);
                byte[] m = java.util.Arrays.copyOfRange(all, i, j);
                byte[] z = java.util.Arrays.copyOfRange(all, j, all.length);
                assertThat(decode(new LineDecoder(512), a, m, z)).as("split at %d,%d", i, j).isEqualTo(expected);
            }
        }
    }

    @Test
    void overlongLineIsDiscardedAndReportedThenDecodingContinues() {
        LineDecoder d = new LineDecoder(10);
        List<Frame> out = decode(d, b("0123456789\r\n"), b("0123456789AB"), b("CDEF\r\nok\r\n"));
        assertThat(out).containsExactly(new Frame.Line("0123456789"), new Frame.Overlong(18), new Frame.Line("ok"));
        assertThat(d.buffered()).isZero();
    }

    @Test
    void overlongLineNeverBuffersMoreThanTheLimit() {
        LineDecoder d = new LineDecoder(100);
        List<Frame> out = new ArrayList<>();
        byte[] junk = new byte[1000];
        java.util.Arrays.fill(junk, (byte) 'x');
        for (int i = 0; i < 1000; i++) {
            d.feed(junk, 0, junk.length, out::add);
            assertThat(d.buffered()).isLessThanOrEqualTo(101);
        }
        d.feed(b("\nPING a\n"), 0, 8, out::add);
        assertThat(out).containsExactly(new Frame.Overlong(1_000_001), new Frame.Line("PING a"));
    }

    @Test
    void exactlyTheLimitPlusCrlfIsAccepted() {
        List<Frame> out = decode(new LineDecoder(5), b("abcde\r"), b("\nabcdef\n"));
        assertThat(out).containsExactly(new Frame.Line("abcde"), new Frame.Overlong(7));
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        byte[] bad = {'P', 'R', 'I', 'V', 'M', 'S', 'G', ' ', '#', 'a', ' ', ':', (byte) 0xC3, (byte) 0x28, (byte) 0xFF, 'x', '\n'};
        List<Frame> out = decode(new LineDecoder(512), bad);
        assertThat(out).containsExactly(new Frame.Line("PRIVMSG #a :\uFFFD(\uFFFDx", true));
    }

    @Test
    void aReplacementCharacterSentAsSuchIsNotMalformed() {
        List<Frame> out = decode(new LineDecoder(512), "PRIVMSG #a :\uFFFD é\n".getBytes(StandardCharsets.UTF_8));
        assertThat(out).containsExactly(new Frame.Line("PRIVMSG #a :\uFFFD é", false));
    }

    @Test
    void holdsNoBufferWhileIdle() {
        LineDecoder d = new LineDecoder(512);
        List<Frame> out = new ArrayList<>();
        d.feed(ByteBuffer.wrap(b("PING a\r\nPI")), out::add);
        assertThat(d.buffered()).isEqualTo(2);
        d.feed(ByteBuffer.wrap(b("NG b\r\n")), out::add);
        assertThat(d.buffered()).isZero();
        assertThat(out).containsExactly(new Frame.Line("PING a"), new Frame.Line("PING b"));
    }
}
