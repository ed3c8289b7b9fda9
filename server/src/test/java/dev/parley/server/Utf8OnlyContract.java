package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 UTF8ONLY ({@code --utf8-only}): invalid UTF-8 is refused with FAIL … INVALID_UTF8 and not relayed. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class Utf8OnlyContract extends EngineTestBase {
    Utf8OnlyContract(EngineKind engine) {
        super(engine);
    }

    /** {@code head}, the bytes 0xFF 0xC3 (invalid UTF-8), {@code tail} and CRLF. */
    private static byte[] withInvalidUtf8(String head, String tail) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.write(0xFF);
        out.write(0xC3);
        out.writeBytes((tail + "\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static List<String> isupport(TestClient c) {
        List<String> tokens = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.expect(x -> x.command().equals("005") || x.command().equals("251"))).command().equals("251")) {
            tokens.addAll(m.params().subList(1, m.paramCount() - 1));
        }
        return tokens;
    }

    @Test
    void isupportSaysUtf8OnlyOnlyWhenOn() throws IOException {
        ParleyServer on = start(config().utf8Only(true));
        TestClient a = fx.connect(on);
        a.send("NICK a");
        a.send("USER a 0 * :A");
        assertThat(isupport(a)).contains("UTF8ONLY");
        ParleyServer off = start();
        TestClient b = fx.connect(off);
        b.send("NICK b");
        b.send("USER b 0 * :B");
        assertThat(isupport(b)).doesNotContain("UTF8ONLY");
    }

    @Test
    void anInvalidLineIsRefusedAndNotRelayed() throws IOException {
        ParleyServer s = start(config().utf8Only(true));
        TestClient alice = joined(s, "alice", "#u");
        TestClient bob = joined(s, "bob", "#u");
        alice.sendRaw(withInvalidUtf8("PRIVMSG #u :bad ", " bytes"));
        IrcMessage fail = alice.expect("FAIL");
        assertThat(fail.params()).startsWith("PRIVMSG", "INVALID_UTF8");
        alice.sendRaw(withInvalidUtf8("TOPIC #u :bad ", " topic"));
        assertThat(alice.expect("FAIL").params()).startsWith("TOPIC", "INVALID_UTF8");
        alice.send("PRIVMSG #u :good é");
        List<IrcMessage> seen = new ArrayList<>();
        seen.add(bob.expect(m -> m.command().equals("PRIVMSG") || m.command().equals("TOPIC")));
        seen.addAll(bob.sync());
        assertThat(seen).filteredOn(m -> m.command().equals("PRIVMSG") || m.command().equals("TOPIC"))
                .extracting(IrcMessage::last).containsExactly("good é");
    }

    @Test
    void aRealnameWithInvalidUtf8IsRefusedBeforeRegistration() throws IOException {
        ParleyServer s = start(config().utf8Only(true));
        TestClient c = fx.connect(s);
        c.send("NICK carl");
        c.sendRaw(withInvalidUtf8("USER carl 0 * :Carl ", ""));
        assertThat(c.expect("FAIL").params()).startsWith("USER", "INVALID_UTF8");
        c.send("USER carl 0 * :Carl");
        c.expect("001");
    }

    @Test
    void offInvalidUtf8IsStillReadWithReplacementCharacters() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#u");
        TestClient bob = joined(s, "bob", "#u");
        alice.sendRaw(withInvalidUtf8("PRIVMSG #u :a", "b"));
        assertThat(bob.expect("PRIVMSG").last()).isEqualTo("a\ufffd\ufffdb");
    }
}
