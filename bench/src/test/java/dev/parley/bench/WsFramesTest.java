package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** RFC 6455 framing with no socket: frames written, then read back in every kind of piece. */
class WsFramesTest {
    /** What a reader handed on, in order: "msg:<text>", "ping:<text>", "close:<code>:<reason>". */
    private static final class Events implements WsFrames.Sink {
        final List<String> seen = new ArrayList<>();
        final List<byte[]> messages = new ArrayList<>();

        @Override
        public boolean message(byte[] a, int from, int to) {
            messages.add(Arrays.copyOfRange(a, from, to));
            seen.add("msg:" + (to - from <= 200 ? new String(a, from, to - from, StandardCharsets.UTF_8) : "#" + (to - from)));
            return true;
        }

        @Override
        public boolean ping(byte[] a, int from, int to) {
            seen.add("ping:" + new String(a, from, to - from, StandardCharsets.UTF_8));
            return true;
        }

        @Override
        public boolean close(int code, String reason) {
            seen.add("close:" + code + ":" + reason);
            return false;
        }
    }

    private static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked, int key) {
        byte[] out = new byte[payload.length + WsFrames.MAX_HEADER];
        int n = WsFrames.write(out, 0, fin, opcode, payload, 0, payload.length, masked, key);
        return Arrays.copyOf(out, n);
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] payload(int len) {
        byte[] p = new byte[len];
        new Random(len).nextBytes(p);
        return p;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 5, 125, 126, 127, 65_535, 65_536, 100_000})
    void aMaskedFrameReadsBackAsItsPayload(int len) throws Exception {
        byte[] p = payload(len);
        byte[] f = frame(true, WsFrames.TEXT, p, true, 0x9A3C_51E7);
        assertThat(f[0] & 0xff).isEqualTo(0x81);
        assertThat(f[1] & 0x80).as("mask bit").isEqualTo(0x80);
        int len7 = f[1] & 0x7f;
        int header;
        if (len <= 125) {
            assertThat(len7).isEqualTo(len);
            header = 2 + 4;
        } else if (len <= 65_535) {
            assertThat(len7).isEqualTo(126);
            assertThat((f[2] & 0xff) << 8 | (f[3] & 0xff)).isEqualTo(len);
            header = 4 + 4;
        } else {
            assertThat(len7).isEqualTo(127);
            long l = 0;
            for (int i = 0; i < 8; i++) {
                l = l << 8 | (f[2 + i] & 0xff);
            }
            assertThat(l).isEqualTo(len);
            header = 10 + 4;
        }
        assertThat(f).hasSize(header + len);
        if (len >= 8) {
            assertThat(Arrays.copyOfRange(f, header, f.length)).as("masked on the wire").isNotEqualTo(p);
        }

        Events e = new Events();
        new WsFrames.Reader(true, 1 << 20).feed(f, 0, f.length, e);
        assertThat(e.messages).hasSize(1);
        assertThat(e.messages.get(0)).isEqualTo(p);
    }

    @ParameterizedTest
    @ValueSource(ints = {125, 126, 65_535, 65_536})
    void aFrameCutIntoPiecesReadsTheSame(int len) throws Exception {
        byte[] p = payload(len);
        for (boolean masked : new boolean[] {false, true}) {
            for (int piece : new int[] {1, 3, 7, 1000, 4096}) {
                byte[] f = frame(true, WsFrames.BINARY, p, masked, 0x0102_0304);
                Events e = new Events();
                WsFrames.Reader r = new WsFrames.Reader(true, 1 << 20);
                for (int at = 0; at < f.length; at += piece) {
                    r.feed(f, at, Math.min(f.length, at + piece), e);
                }
                assertThat(e.messages).as("masked %s, pieces of %d", masked, piece).hasSize(1);
                assertThat(e.messages.get(0)).isEqualTo(p);
            }
        }
    }

    @Test
    void manyFramesSplitAtEveryPositionReadTheSame() throws Exception {
        byte[] stream = concat(
                frame(true, WsFrames.TEXT, text(":a!u@h PRIVMSG #c :PB 1 2 3"), false, 0),
                frame(true, WsFrames.PING, text("tok"), false, 0),
                frame(false, WsFrames.TEXT, text("PRIVMSG #c :first "), false, 0),
                frame(false, WsFrames.CONTINUATION, text("second "), false, 0),
                frame(true, WsFrames.CONTINUATION, text("third"), false, 0),
                frame(true, WsFrames.TEXT, new byte[0], false, 0),
                frame(true, WsFrames.TEXT, text("x".repeat(300)), false, 0));
        Events whole = new Events();
        new WsFrames.Reader(false, 1 << 20).feed(stream.clone(), 0, stream.length, whole);
        assertThat(whole.seen).containsExactly("msg::a!u@h PRIVMSG #c :PB 1 2 3", "ping:tok",
                "msg:PRIVMSG #c :first second third", "msg:", "msg:#300");
        for (int cut = 0; cut <= stream.length; cut++) {
            for (int cut2 = cut; cut2 <= stream.length; cut2 += 7) {
                byte[] s = stream.clone();
                Events e = new Events();
                WsFrames.Reader r = new WsFrames.Reader(false, 1 << 20);
                r.feed(s, 0, cut, e);
                r.feed(s, cut, cut2, e);
                r.feed(s, cut2, s.length, e);
                assertThat(e.seen).as("cut at %d and %d", cut, cut2).isEqualTo(whole.seen);
            }
        }
    }

    @Test
    void controlFramesBetweenFragmentsLeaveTheMessageWhole() throws Exception {
        byte[] stream = concat(
                frame(false, WsFrames.TEXT, text("PRIVMSG #c"), true, 0x11223344),
                frame(true, WsFrames.PING, text("p1"), true, 0x55667788),
                frame(false, WsFrames.CONTINUATION, text(" :hello"), true, 0x99AABBCC),
                frame(true, WsFrames.PONG, text("unasked"), true, 0x01020304),
                frame(true, WsFrames.PING, text("p2"), true, 0x0A0B0C0D),
                frame(true, WsFrames.CONTINUATION, text(" world"), true, 0x7F7F7F7F),
                frame(true, WsFrames.CLOSE, concat(new byte[] {0x03, (byte) 0xE8}, text("bye")), true, 0x12345678),
                frame(true, WsFrames.TEXT, text("after the close"), true, 0));
        for (int piece : new int[] {1, 2, 5, stream.length}) {
            byte[] s = stream.clone();
            Events e = new Events();
            WsFrames.Reader r = new WsFrames.Reader(true, 1 << 20);
            boolean go = true;
            for (int at = 0; at < s.length && go; at += piece) {
                go = r.feed(s, at, Math.min(s.length, at + piece), e);
            }
            assertThat(e.seen).as("pieces of %d", piece)
                    .containsExactly("ping:p1", "ping:p2", "msg:PRIVMSG #c :hello world", "close:1000:bye");
        }
    }

    @Test
    void aCloseWithoutStatusSays1005() throws Exception {
        byte[] f = frame(true, WsFrames.CLOSE, new byte[0], false, 0);
        Events e = new Events();
        assertThat(new WsFrames.Reader(false, 100).feed(f, 0, f.length, e)).isFalse();
        assertThat(e.seen).containsExactly("close:1005:");
    }

    @Test
    void framesAgainstTheRulesAreRefused() {
        assertRefused(frame(true, WsFrames.TEXT, text("hi"), true, 1), "masked frame from the server");
        assertRefused(frame(true, WsFrames.CONTINUATION, text("hi"), false, 0), "continuation frame outside");
        assertRefused(frame(false, WsFrames.PING, text("hi"), false, 0), "fragmented control frame");
        assertRefused(frame(true, WsFrames.PING, payload(126), false, 0), "control frame longer than 125");
        assertRefused(concat(frame(false, WsFrames.TEXT, text("a"), false, 0), frame(true, WsFrames.TEXT, text("b"), false, 0)),
                "new message before the fragmented one ended");
        byte[] rsv = frame(true, WsFrames.TEXT, text("hi"), false, 0);
        rsv[0] |= 0x40;
        assertRefused(rsv, "reserved bits");
        byte[] op = frame(true, 0x3, text("hi"), false, 0);
        assertRefused(op, "unknown opcode 3");
        assertRefused(frame(true, WsFrames.TEXT, payload(101), false, 0), "message longer than 100 bytes");
        assertRefused(concat(frame(false, WsFrames.TEXT, payload(60), false, 0),
                frame(true, WsFrames.CONTINUATION, payload(60), false, 0)), "message longer than 100 bytes");
    }

    private static void assertRefused(byte[] stream, String why) {
        assertThatThrownBy(() -> new WsFrames.Reader(false, 100).feed(stream, 0, stream.length, new Events()))
                .isInstanceOf(WsFrames.ProtocolException.class).hasMessageContaining(why);
    }

    @Test
    void maskingTwiceFromAnyPhaseGivesTheBytesBack() {
        byte[] p = payload(37);
        byte[] m = p.clone();
        WsFrames.mask(m, 0, 37, 0xDEADBEEF, 0);
        byte[] back = m.clone();
        // unmask in three pieces, each with its own phase
        WsFrames.mask(back, 0, 5, 0xDEADBEEF, 0);
        WsFrames.mask(back, 5, 22, 0xDEADBEEF, 5);
        WsFrames.mask(back, 22, 37, 0xDEADBEEF, 22);
        assertThat(back).isEqualTo(p);
        assertThat(m[0]).isEqualTo((byte) (p[0] ^ 0xDE));
        assertThat(m[1]).isEqualTo((byte) (p[1] ^ 0xAD));
        assertThat(m[6]).isEqualTo((byte) (p[6] ^ 0xBE));
    }

    @Test
    void theUpgradeAnswerIsChecked() {
        // RFC 6455 §1.3's example key and answer
        assertThat(BenchWs.acceptFor("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        String good = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\nSec-WebSocket-Protocol: text.ircv3.net";
        assertThat(check(good)).isNull();
        assertThat(check(good.replace("s3pP", "AAAA"))).contains("wrong Sec-WebSocket-Accept");
        assertThat(check(good.replace("\r\nSec-WebSocket-Protocol: text.ircv3.net", ""))).contains("did not choose text.ircv3.net");
        assertThat(check("HTTP/1.1 404 Not Found\r\nContent-Length: 0")).isEqualTo("WebSocket upgrade refused: HTTP 404 Not Found");
        assertThat(check(":irc.test NOTICE * :hello")).contains("not an HTTP answer");
        BenchWs ws = new BenchWs("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(ws.upgrading()).isTrue();
        byte[] a = good.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ws.upgraded(a, 0, a.length)).isNull();
        assertThat(ws.upgrading()).isFalse();
    }

    private static String check(String answer) {
        byte[] a = answer.getBytes(StandardCharsets.ISO_8859_1);
        return new BenchWs("dGhlIHNhbXBsZSBub25jZQ==").upgraded(a, 0, a.length);
    }
}
