package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What hostile or broken input gets: every case has one defined outcome (an error numeric, a
 * FAIL, or a disconnect with ERROR), nothing reaches another client's stream as an extra line,
 * and the sender's neighbours keep chatting.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class HostileInputContract extends EngineTestBase {
    HostileInputContract(EngineKind engine) {
        super(engine);
    }

    private static boolean privmsg(IrcMessage m, String text) {
        return m.command().equals("PRIVMSG") && m.last().equals(text);
    }

    /** The PRIVMSGs {@code c} received up to a sync point, none skipped. */
    private static List<IrcMessage> privmsgsUntilSync(TestClient c) {
        List<IrcMessage> all = new java.util.ArrayList<>(c.skipped());
        all.addAll(c.sync());
        return all.stream().filter(m -> m.command().equals("PRIVMSG")).toList();
    }

    @Test
    void aNulInALineIsRefusedWithFailAndNothingIsRelayed() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#h");
        TestClient bob = joined(s, "bob", "#h");
        alice.sendRaw("PRIVMSG #h :before\0PRIVMSG #h :after\r\n".getBytes(StandardCharsets.UTF_8));
        IrcMessage fail = alice.expect("FAIL");
        assertThat(fail.params()).startsWith("*", "INVALID_CHARACTERS");
        alice.send("PRIVMSG #h :clean");
        bob.expect(m -> privmsg(m, "clean"));
        assertThat(privmsgsUntilSync(bob)).isEmpty();
    }

    @Test
    void aBareCrCannotInjectASecondLine() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#h");
        TestClient bob = joined(s, "bob", "#h");
        alice.sendRaw("PRIVMSG #h :innocent\rKICK #h bob :injected\r\n".getBytes(StandardCharsets.UTF_8));
        assertThat(alice.expect("FAIL").params()).startsWith("*", "INVALID_CHARACTERS");
        alice.send("PRIVMSG #h :still fine");
        bob.expect(m -> privmsg(m, "still fine"));
        List<IrcMessage> rest = new java.util.ArrayList<>(bob.skipped());
        rest.addAll(bob.sync());
        assertThat(rest).noneMatch(m -> m.command().equals("KICK") || m.command().equals("PRIVMSG"));
    }

    @Test
    void controlCharactersInNicksChannelsTopicsAndAwayAreRefused() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("NICK al\u0007ice");
        c.expect("432");
        c.send("NICK alice");
        c.send("USER a 0 * :A");
        c.expect("001");
        c.send("JOIN #bell\u0007chan");
        c.expect(m -> m.command().equals("476") || m.command().equals("479"));
        c.send("JOIN #h");
        c.expect("366");
        c.send("TOPIC #h :ring \u0007 ring");
        assertThat(c.expect("FAIL").params()).startsWith("TOPIC", "INVALID_TEXT");
        c.send("TOPIC #h :\u0002bold\u0002 is fine");
        assertThat(c.expect("TOPIC").last()).isEqualTo("\u0002bold\u0002 is fine");
        c.send("AWAY :\u001b[2Jwiped");
        assertThat(c.expect("FAIL").params()).startsWith("AWAY", "INVALID_TEXT");
        assertThat(s.hub().channelCount()).isEqualTo(1);
    }

    @Test
    void invalidUtf8IsReplacedAndRelayedAsOneLine() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#h");
        TestClient bob = joined(s, "bob", "#h");
        byte[] bad = {'P', 'R', 'I', 'V', 'M', 'S', 'G', ' ', '#', 'h', ' ', ':', 'a', (byte) 0xff, (byte) 0xc3, 'b', '\r', '\n'};
        alice.sendRaw(bad);
        IrcMessage got = bob.expect("PRIVMSG");
        assertThat(got.last()).isEqualTo("a\ufffd\ufffdb");
        assertThat(privmsgsUntilSync(bob)).isEmpty();
    }

    @Test
    void thousandsOfParametersAndHugeTagsAreRefusedOrFolded() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#h");
        TestClient bob = joined(s, "bob", "#h");
        // within the line limit: past the fifteenth parameter the rest is one; PRIVMSG uses two
        alice.send("PRIVMSG #h " + "p ".repeat(200) + ":end");
        IrcMessage folded = bob.expect("PRIVMSG");
        assertThat(folded.params()).containsExactly("#h", "p");
        // thousands of parameters cannot fit in a line: the line is refused, the connection carries on
        alice.send("PRIVMSG #h " + "p ".repeat(3000));
        alice.expect("417");
        alice.send("@" + "k=v;".repeat(3000) + " PRIVMSG #h :tags");
        alice.expect("417");
        alice.send("PRIVMSG #h :after all that");
        bob.expect(m -> privmsg(m, "after all that"));
        assertThat(privmsgsUntilSync(bob)).isEmpty();
    }

    @Test
    void aSlowlorisThatNeverFinishesRegisteringIsDropped() throws IOException {
        ParleyServer s = start(config().registrationTimeout(Duration.ofMillis(800)));
        TestClient bystander = joined(s, "bystander", "#h");
        try (Socket slow = TestClient.rawSocket(s.port())) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            byte[] line = "NICK slowpoke".getBytes(StandardCharsets.US_ASCII);
            boolean cut = false;
            StringBuilder answer = new StringBuilder();
            // one byte every 100 ms, for longer than the registration timeout, never a line end
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write(line[i % line.length]);
                    out.flush();
                } catch (IOException e) {
                    cut = true;
                }
                LockSupport.parkNanos(100_000_000L);
            }
            byte[] buf = new byte[512];
            int n;
            try {
                while ((n = slow.getInputStream().read(buf)) > 0) {
                    answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // reset after ERROR is fine
            }
            assertThat(answer.toString()).contains("ERROR :Closing Link").contains("Registration timed out");
        }
        bystander.send("PRIVMSG bystander :still served");
        bystander.expect(m -> privmsg(m, "still served"));
    }

    @Test
    void anOverlongLineFromOneClientDoesNotReachOthers() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#h");
        TestClient bob = joined(s, "bob", "#h");
        alice.send("PRIVMSG #h :" + "z".repeat(5000));
        alice.expect("417");
        alice.send("PRIVMSG #h :short");
        bob.expect(m -> privmsg(m, "short"));
        assertThat(privmsgsUntilSync(bob)).isEmpty();
    }
}
