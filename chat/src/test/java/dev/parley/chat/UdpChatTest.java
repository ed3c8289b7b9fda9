package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code parley chat --udp} in plain mode against a scripted UDP door on loopback. */
class UdpChatTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeUdpServer server() throws Exception {
        FakeUdpServer s = new FakeUdpServer();
        open.add(s);
        return s;
    }

    private PlainSession chat(String address, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("--udp", address));
        all.addAll(List.of(args));
        PlainSession s = PlainSession.start(all.toArray(String[]::new));
        open.add(s);
        return s;
    }

    @Test
    void saysHelloAndPrintsEveryLineCleaned() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        server.join("alice");
        alice.expect("-- joined #udp as alice; here: @bob alice");
        server.send("<bob> hi \u000304red\u0003 and \u001b[2Jclear\u0007", "[PM] * bob waves", "-bob- notice",
                "! unknown command /x; try /help", "-- bob set the topic: news\r\n");
        alice.expect("<bob> hi red and [2Jclear");
        alice.expect("[PM] * bob waves");
        alice.expect("-bob- notice");
        alice.expect("! unknown command /x; try /help");
        alice.expect("-- bob set the topic: news");
    }

    @Test
    void typedLinesBecomeTheRightDatagrams() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        server.join("alice");
        alice.expect("-- joined #udp as alice; here: @bob alice");
        alice.type("hello room");
        alice.type("//slash first");
        alice.type("/me waves");
        alice.type("/msg bob psst");
        alice.type("/nick robert");
        alice.type("/names");
        alice.type("/frobnicate x");
        alice.type("   ");
        alice.type("/QUIT see you");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            got.add(server.next());
        }
        assertThat(got).containsExactly("hello room", "//slash first", "/me waves", "/msg bob psst", "/nick robert",
                "/names", "/frobnicate x", "/quit see you");
        alice.expect("<alice> hello room"); // the door sends nobody their own words: shown here
        alice.expect("<alice> /slash first");
        alice.expect("* alice waves");
        server.send("-- bye (quit: see you)");
        alice.expect("-- bye (quit: see you)");
        assertThat(alice.awaitExit()).isZero();
    }

    @Test
    void linesTypedBeforeTheFirstReplyWaitForIt() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        alice.type("early words");
        assertThat(server.next()).isEqualTo("hello alice");
        server.send("-- joined #udp as alice_1; here: alice_1", "-- alice is taken; you are alice_1");
        assertThat(server.next()).isEqualTo("early words");
        alice.expect("-- alice is taken; you are alice_1");
    }

    @Test
    void pingsWhenNothingWasSentForThePingInterval() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice", "--ping-interval", "0.2");
        server.join("alice");
        assertThat(server.next()).isEqualTo("ping");
        server.send("pong", "-- marker");
        alice.expect("-- marker");
        assertThat(server.next()).isEqualTo("ping");
        assertThat(alice.output()).doesNotContain("pong");
    }

    @Test
    void byeThatWasNotAskedForEndsWithExitCodeOne() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        server.join("alice");
        server.send("-- bye (idle for 300 s)");
        alice.expect("-- bye (idle for 300 s)");
        assertThat(alice.awaitExit()).isEqualTo(1);
    }

    @Test
    void endOfInputSendsWhatWasTypedThenQuitAndWaitsForBye() throws Exception {
        FakeUdpServer server = server();
        PlainSession script = PlainSession.startWithScript("first line\nsecond line\n",
                "--udp", server.address(), "--nick", "bot");
        open.add(script);
        server.join("bot");
        assertThat(List.of(server.next(), server.next(), server.next()))
                .containsExactly("first line", "second line", "quit");
        server.send("-- bye (quit)");
        assertThat(script.awaitExit()).isZero();
    }

    @Test
    void endOfInputWithoutAByeEndsAfterTheQuitTimeout() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice", "--quit-timeout", "0.2");
        server.join("alice");
        alice.expect("-- joined #udp as alice; here: @bob alice");
        alice.endInput();
        assertThat(server.next()).isEqualTo("quit");
        assertThat(alice.awaitExit()).isZero();
    }

    @Test
    void overLongLineIsRefusedLocally() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice", "--udp-max-datagram", "128");
        server.join("alice");
        alice.expect("-- joined #udp as alice; here: @bob alice");
        alice.type("é".repeat(65));
        alice.expect("! not sent: the line is 130 bytes in UTF-8, more than the 128 of --udp-max-datagram");
        alice.type("x".repeat(128));
        assertThat(server.next()).isEqualTo("x".repeat(128));
    }

    @Test
    void theShortTokenFormIsEchoedTooAndNotShown() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        assertThat(server.next()).isEqualTo("hello alice");
        server.send("! token AbC-_9");
        assertThat(server.next()).isEqualTo("hello alice AbC-_9");
        server.send("-- joined #udp as alice; here: alice");
        alice.expect("-- joined #udp as alice; here: alice");
        alice.type("hi");
        assertThat(server.next()).isEqualTo("hi");
        assertThat(alice.output()).noneMatch(l -> l.contains("token") || l.contains("AbC"));
    }

    @Test
    void joinsARealDoorThroughItsTokenHandshake() throws Exception {
        dev.parley.server.ServerFixture fx = new dev.parley.server.ServerFixture();
        open.add(fx::close);
        dev.parley.server.ParleyServer s = fx.start(dev.parley.server.ServerFixture.config(
                dev.parley.server.config.EngineKind.VIRTUAL)
                .udp(dev.parley.server.config.ServerConfig.Udp.OFF.withPort(0)).build());
        PlainSession alice = chat("127.0.0.1:" + s.udpDoor().port(), "--nick", "alice");
        alice.expect("-- joined #udp as alice; here: @alice");
        alice.type("/quit done");
        assertThat(alice.awaitExit()).isZero();
    }

    @Test
    void noAnswerIsExplainedWithExitCodeOne() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice", "--connect-timeout", "0.3");
        assertThat(server.next()).isEqualTo("hello alice");
        alice.expect("! no answer from " + server.address() + " over UDP within 0.3 s");
        assertThat(alice.awaitExit()).isEqualTo(1);
    }

    @Test
    void errorInsteadOfAJoinEndsWithExitCodeOne() throws Exception {
        FakeUdpServer server = server();
        PlainSession alice = chat(server.address(), "--nick", "alice");
        assertThat(server.next()).isEqualTo("hello alice");
        server.send("! nick is not valid: alice");
        alice.expect("! nick is not valid: alice");
        alice.expect("! the server did not let alice in");
        assertThat(alice.awaitExit()).isEqualTo(1);
    }

    @Test
    void nothingListeningIsExplainedWithExitCodeOne() throws Exception {
        int port;
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            port = s.getLocalPort();
        }
        PlainSession alice = chat("127.0.0.1:" + port, "--nick", "alice");
        alice.expect("! nothing listens on UDP 127.0.0.1:" + port);
        assertThat(alice.awaitExit()).isEqualTo(1);
    }
}
