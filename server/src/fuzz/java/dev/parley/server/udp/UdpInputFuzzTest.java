package dev.parley.server.udp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;

/**
 * Fuzzes what the UDP door reads from a datagram: any bytes give a command or an error, never
 * an exception, and nothing that reaches the hub as text can carry a control character (so no
 * datagram can become a second IRC line).
 *
 * <p>Run: {@code JAZZER_FUZZ=1 mvn -pl server -am -Pfuzz test -Dsurefire.failIfNoSpecifiedTests=false -Dtest=UdpInputFuzzTest}
 */
class UdpInputFuzzTest {
    @FuzzTest
    void anyDatagramIsACommandOrAnError(FuzzedDataProvider data) {
        int max = data.consumeInt(64, 600);
        byte[] bytes = data.consumeRemainingAsBytes();
        int len = Math.min(bytes.length, max);
        UdpInput.Command cmd = UdpInput.read(ByteBuffer.wrap(bytes, 0, len), bytes.length, max);
        switch (cmd) {
            case UdpInput.Say say -> clean(say.text());
            case UdpInput.Me me -> clean(me.text());
            case UdpInput.Msg msg -> {
                clean(msg.target());
                clean(msg.text());
                check(!msg.target().contains(" "), "a /msg target is one word");
            }
            case UdpInput.Hello hello -> {
                clean(hello.nick());
                check(!hello.nick().isEmpty() && !hello.nick().contains(" "), "a hello nick is one word");
            }
            case UdpInput.Nick nick -> clean(nick.nick());
            case UdpInput.Quit quit -> clean(quit.reason());
            case UdpInput.Invalid invalid -> check(!invalid.error().isEmpty(), "an error says something");
            case UdpInput.Ping ping -> { }
            case UdpInput.Names names -> { }
            case UdpInput.Topic topic -> { }
            case UdpInput.Help help -> { }
            case UdpInput.Empty empty -> { }
        }
        if (bytes.length > max) {
            check(cmd instanceof UdpInput.Invalid, "an oversized datagram is refused");
        }
    }

    private static void clean(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            check(c >= 0x20 && c != 0x7f, "control character U+" + Integer.toHexString(c) + " got through");
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
