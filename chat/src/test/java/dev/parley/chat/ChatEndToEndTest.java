package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain mode against a real Parley server running in the test: what two people would see. */
class ChatEndToEndTest {
    private final ServerFixture fixture = new ServerFixture();
    private final List<PlainSession> sessions = new ArrayList<>();
    private ParleyServer server;

    /** On a failure, every session's screen and errors, so a rare failure can be read afterwards. */
    @org.junit.jupiter.api.extension.RegisterExtension
    final org.junit.jupiter.api.extension.TestWatcher transcripts = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            for (int i = 0; i < sessions.size(); i++) {
                System.err.println("---- session " + i + " output:\n" + String.join("\n", sessions.get(i).output())
                        + "\n---- session " + i + " errors:\n" + sessions.get(i).errors());
            }
        }
    };

    @AfterEach
    void tearDown() {
        sessions.forEach(PlainSession::close);
        fixture.close();
    }

    private ParleyServer server() throws IOException {
        if (server == null) {
            server = fixture.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        }
        return server;
    }

    private PlainSession chat(String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("127.0.0.1:" + server().port()));
        all.addAll(List.of(args));
        PlainSession s = PlainSession.start(all.toArray(String[]::new));
        sessions.add(s);
        return s;
    }

    @Test
    void twoPeopleTalkInAChannelAndPrivately() throws Exception {
        PlainSession alice = chat("--nick", "alice", "--join", "#parley");
        alice.expect("* alice joined #parley");
        PlainSession bob = chat("--nick", "bob", "--join", "#parley");
        bob.expect("* bob joined #parley");
        bob.expect(l -> l.startsWith("* #parley: ") && l.contains("alice") && l.contains("bob"));
        alice.expect("* bob joined #parley");

        bob.type("hello everyone");
        alice.expect("[#parley] <bob> hello everyone");
        bob.expect("[#parley] <bob> hello everyone");

        alice.type("/msg bob psst, just you");
        bob.expect("[PM] <alice> psst, just you");
        alice.expect("[PM -> bob] <alice> psst, just you");

        bob.type("/query alice");
        bob.type("got it");
        alice.expect("[PM] <bob> got it");

        alice.type("/msg nobody hi");
        alice.expect(l -> l.startsWith("! nobody") && l.contains("No such nick"));
    }

    @Test
    void actionNickChangeAndQuitReachTheOtherSide() throws Exception {
        PlainSession alice = chat("--nick", "alice", "--join", "#lab");
        alice.expect("* alice joined #lab");
        PlainSession bob = chat("--nick", "bob", "--join", "#lab");
        alice.expect("* bob joined #lab");

        bob.type("/me waves");
        alice.expect("[#lab] * bob waves");
        bob.type("/nick robert");
        alice.expect("* bob is now known as robert");
        bob.expect("* you are now known as robert");
        bob.type("still me");
        alice.expect("[#lab] <robert> still me");

        bob.type("/quit see you");
        alice.expect("* robert quit (Quit: see you) from #lab");
        assertThat(bob.awaitExit()).isZero();
    }

    @Test
    void endOfInputSendsWhatWasTypedThenQuits() throws Exception {
        TestClient watcher = fixture.register(server(), "watcher");
        watcher.send("JOIN #script");
        watcher.expect("366");
        PlainSession script = chat("--nick", "scripter");
        script.type("/join #script");
        script.type("first line");
        script.type("second line");
        script.endInput();
        IrcMessage one = watcher.expect("PRIVMSG");
        IrcMessage two = watcher.expect("PRIVMSG");
        assertThat(List.of(one.last(), two.last())).containsExactly("first line", "second line");
        watcher.expect("QUIT");
        assertThat(script.awaitExit()).isZero();
    }

    @Test
    void reconnectsAfterTheServerRestartsAndRejoins() throws Exception {
        int port = server().port();
        PlainSession alice = chat("--nick", "alice", "--join", "#back", "--reconnect-delay", "0.05",
                "--reconnect-max-delay", "0.2");
        alice.expect("* alice joined #back");
        server.close();
        alice.expect(l -> l.startsWith("-- disconnected"));
        alice.expect(l -> l.startsWith("-- reconnecting in "));
        server = fixture.start(ServerFixture.config(EngineKind.VIRTUAL).port(port).portAttempts(1).build());
        alice.expect("* alice joined #back");
        TestClient bob = fixture.register(server, "bob");
        bob.send("JOIN #back");
        alice.expect("* bob joined #back");
        alice.type("we are back");
        assertThat(bob.expect("PRIVMSG").last()).isEqualTo("we are back");
    }

    @Test
    void unreachableServerIsExplainedWithExitCodeOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PlainSession s = PlainSession.start("127.0.0.1:" + port, "--nick", "alice");
        sessions.add(s);
        s.expect(l -> l.startsWith("! cannot connect to 127.0.0.1:" + port));
        assertThat(s.awaitExit()).isEqualTo(1);
    }
}
