package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every limit crossed: connections per address, flood control (delay, Excess Flood, isolation,
 * exemptions), targets per command, and the lengths of nicks, channels, topics, kicks and away
 * messages. Loopback is trusted by default, so these tests trust nobody unless they say so.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class LimitsContract extends EngineTestBase {
    LimitsContract(EngineKind engine) {
        super(engine);
    }

    private static String operHash;

    @BeforeAll
    static void hashOnce() {
        operHash = PasswordHasher.hash("s3cret");
    }

    /** The defaults, with loopback no longer trusted. */
    private ServerConfig.Builder untrusted() {
        return config().trustedAddresses(List.of());
    }

    // ---- connections per address ----

    @Test
    void connectionsPerAddressAreLimitedAndFreedWhenOneLeaves() throws IOException {
        ParleyServer s = start(untrusted().maxConnectionsPerAddress(2));
        TestClient a = fx.register(s, "a1");
        fx.register(s, "a2");
        java.net.InetAddress loopback = a.socket().getLocalAddress();
        assertThat(s.sessions().gate().connectionsFrom(loopback)).as("from " + loopback).isEqualTo(2);
        TestClient third = fx.connect(s);
        IrcMessage error = third.expect("ERROR");
        assertThat(error.last()).contains("too many connections from your address");
        third.expectClosed();
        a.send("QUIT");
        a.expectClosed();
        await().untilAsserted(() -> assertThat(s.sessions().gate().connectionsFrom(loopback)).isEqualTo(1));
        fx.register(s, "a3"); // a place is free again
    }

    @Test
    void connectionsInAllAreLimited() throws IOException {
        ParleyServer s = start(config().maxConnections(2));
        fx.register(s, "c1");
        fx.register(s, "c2");
        TestClient third = fx.connect(s);
        assertThat(third.expect("ERROR").last()).contains("too many connections, try again later");
        third.expectClosed();
    }

    @Test
    void trustedAddressesAreExcusedFromThePerAddressLimit() throws IOException {
        ParleyServer s = start(config().maxConnectionsPerAddress(1)); // loopback trusted: the default
        fx.register(s, "t1");
        fx.register(s, "t2");
        fx.register(s, "t3");
        assertThat(s.hub().registeredCount()).isEqualTo(3);
    }

    // ---- flood control ----

    @Test
    void aBurstPastTheLimitIsDelayedNotDroppedAndStaysInOrder() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(5).floodRate(20).recvQBytes(64 * 1024));
        TestClient alice = joined(s, "alice", "#f");
        TestClient bob = joined(s, "bob", "#f");
        long delayedBefore = s.hub().stats().floodDelays();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            burst.append("PRIVMSG #f :line ").append(i).append("\r\n");
        }
        alice.sendRaw(burst.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            got.add(bob.expect(m -> m.command().equals("PRIVMSG")).last());
        }
        List<String> want = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            want.add("line " + i);
        }
        assertThat(got).containsExactlyElementsOf(want);
        assertThat(s.hub().stats().floodDelays()).isGreaterThan(delayedBefore);
        assertThat(alice.isClosed()).isFalse();
        alice.sync();
    }

    @Test
    void aHeldCommandRunsAfterEveryReplyOfTheLabeledCommandBeforeIt() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(8).floodRate(2000).recvQBytes(64 * 1024));
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        c.send("CAP REQ :labeled-response batch draft/chathistory");
        c.send("NICK paced");
        c.send("USER p 0 * :P");
        c.send("CAP END");
        c.send("JOIN #h");
        c.expect(m -> is(m, "366", null, "#h"));
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            burst.append("PING before").append(i).append("\r\n");
        }
        burst.append("@label=history CHATHISTORY LATEST #h * 10\r\nPING after\r\n");
        c.sendRaw(burst.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        boolean labeledSeen = false;
        while (true) {
            IrcMessage m = c.next();
            if ("history".equals(m.tags().get("label"))) {
                labeledSeen = true;
            }
            if (m.command().equals("PONG") && m.last().equals("after")) {
                break;
            }
        }
        assertThat(labeledSeen).as("the labeled reply came before the next command's").isTrue();
    }

    @Test
    void commandsStillHeldWhenTheClientHangsUpRunBeforeItsQuit() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(2).floodRate(20).recvQBytes(64 * 1024));
        TestClient bob = joined(s, "bob", "#f");
        TestClient script = fx.connect(s);
        StringBuilder lines = new StringBuilder("NICK script\r\nUSER s 0 * :S\r\nJOIN #f\r\n");
        for (int i = 0; i < 10; i++) {
            lines.append("PRIVMSG #f :piped ").append(i).append("\r\n");
        }
        lines.append("QUIT :script done\r\n");
        script.sendRaw(lines.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        script.socket().shutdownOutput(); // like printf ... | nc -N: the end of input right after
        for (int i = 0; i < 10; i++) {
            String want = "piped " + i;
            bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals(want));
        }
        IrcMessage quit = bob.expect(m -> m.command().equals("QUIT"));
        assertThat(quit.last()).isEqualTo("Quit: script done");
    }

    @Test
    void aClientHoldingMoreThanItsRecvQIsDroppedForExcessFloodAndOthersCarryOn() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(2).floodRate(1).recvQBytes(1024));
        TestClient flooder = joined(s, "flooder", "#f");
        TestClient bob = joined(s, "bob", "#f");
        TestClient carol = joined(s, "carol", "#f");
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            flood.append("PRIVMSG #f :").append("x".repeat(60)).append(' ').append(i).append("\r\n");
        }
        flooder.sendRaw(flood.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        IrcMessage error = flooder.expect("ERROR");
        assertThat(error.last()).contains("Excess Flood");
        flooder.expectClosed();
        IrcMessage quit = bob.expect(m -> m.command().equals("QUIT"));
        assertThat(quit.source()).startsWith("flooder!");
        assertThat(quit.last()).isEqualTo("Excess Flood");
        long relayed = bob.skipped().stream().filter(m -> m.command().equals("PRIVMSG")).count();
        assertThat(relayed).isLessThan(100);
        carol.send("PRIVMSG #f :still here");
        bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("still here"));
        assertThat(s.hub().stats().excessFloods()).isEqualTo(1);
    }

    @Test
    void aFlooderNeverDelaysAnyoneElse() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(3).floodRate(10).recvQBytes(64 * 1024));
        TestClient flooder = joined(s, "flooder", "#f");
        TestClient bob = joined(s, "bob", "#f");
        TestClient carol = joined(s, "carol", "#f");
        StringBuilder flood = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            flood.append("PRIVMSG #f :flood ").append(i).append("\r\n");
        }
        flooder.sendRaw(flood.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("flood 4")); // the flooder is being paced now
        carol.send("PRIVMSG #f :carol is not held up");
        bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("carol is not held up"));
        // carol's line overtook the flooder's paced ones: the last of them has not arrived yet
        assertThat(bob.skipped()).noneMatch(m -> m.command().equals("PRIVMSG") && m.last().equals("flood 29"));
        bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("flood 29"));
    }

    @Test
    void operatorsAreNotFloodLimited() throws IOException {
        ParleyServer s = start(untrusted().floodBurst(2).floodRate(1).recvQBytes(1024)
                .operators(List.of(new ServerConfig.Operator("root", operHash, List.of("*@127.0.0.1"), null))));
        TestClient oper = fx.register(s, "oper");
        oper.send("OPER root s3cret");
        oper.expect("381");
        oper.send("JOIN #f");
        oper.expect("366");
        TestClient bob = joined(s, "bob", "#f");
        long delayedBefore = s.hub().stats().floodDelays();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            many.append("PRIVMSG #f :").append("y".repeat(60)).append(' ').append(i).append("\r\n");
        }
        oper.sendRaw(many.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) {
            String want = "y".repeat(60) + " " + i;
            bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals(want));
        }
        assertThat(oper.isClosed()).isFalse();
        assertThat(s.hub().stats().floodDelays()).isEqualTo(delayedBefore);
    }

    @Test
    void trustedAddressesAreNotFloodLimited() throws IOException {
        ParleyServer s = start(config().floodBurst(1).floodRate(1).recvQBytes(1024)); // loopback trusted
        TestClient alice = joined(s, "alice", "#f");
        TestClient bob = joined(s, "bob", "#f");
        long delayedBefore = s.hub().stats().floodDelays();
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            many.append("PRIVMSG #f :").append("t".repeat(60)).append(' ').append(i).append("\r\n");
        }
        alice.sendRaw(many.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        for (int i = 0; i < 50; i++) {
            String want = "t".repeat(60) + " " + i;
            bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals(want));
        }
        assertThat(s.hub().stats().floodDelays()).isEqualTo(delayedBefore);
        assertThat(alice.isClosed()).isFalse();
    }

    // ---- targets and lengths ----

    @Test
    void tooManyTargetsAreRefused() throws IOException {
        ParleyServer s = start(config().maxTargets(2));
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        fx.register(s, "carol");
        alice.send("PRIVMSG bob,carol,alice :hi");
        assertThat(alice.expect("407").last()).contains("at most 2");
        alice.send("PRIVMSG bob,carol :hi");
        bob.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("hi"));
    }

    @Test
    void namesAndTextsPastTheirLengthsAreRefusedOrCut() throws IOException {
        ParleyServer s = start(config().nickLength(9).channelLength(10).topicLength(12).kickLength(8).awayLength(6));
        TestClient c = fx.connect(s);
        c.send("NICK abcdefghij");
        assertThat(c.expect("432").param(1)).isEqualTo("abcdefghij");
        c.send("NICK abcdefghi");
        c.send("USER u 0 * :U");
        c.expect("001");
        c.send("JOIN #abcdefghij");
        c.expect(m -> m.command().equals("476") || m.command().equals("479"));
        c.send("JOIN #abcdefghi");
        c.expect("366");
        c.send("TOPIC #abcdefghi :a topic longer than twelve");
        assertThat(c.expect("TOPIC").last()).isEqualTo("a topic long");
        TestClient bob = joined(s, "bob", "#abcdefghi");
        c.send("KICK #abcdefghi bob :a reason longer than eight");
        assertThat(bob.expect("KICK").last()).isEqualTo("a reason");
        c.send("AWAY :gone fishing");
        c.expect("306");
        c.send("WHOIS abcdefghi");
        assertThat(c.expect("301").last()).isEqualTo("gone f");
    }
}
