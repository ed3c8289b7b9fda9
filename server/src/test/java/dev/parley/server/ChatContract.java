package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Registration, channels, messaging, keep-alive and isolation: the chat every engine must serve. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ChatContract extends EngineTestBase {
    ChatContract(EngineKind engine) {
        super(engine);
    }

    // ---- registration ----

    @Test
    void registrationSendsTheWelcomeBurst() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("NICK alice");
        c.send("USER alice 0 * :Alice Liddell");
        IrcMessage welcome = c.expect("001");
        assertThat(welcome.source()).isEqualTo("irc.test");
        assertThat(welcome.param(0)).isEqualTo("alice");
        assertThat(welcome.last()).matches(".* alice!~alice@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        c.expect("002");
        c.expect("003");
        IrcMessage myinfo = c.expect("004");
        assertThat(myinfo.param(1)).isEqualTo("irc.test");
        List<String> tokens = new ArrayList<>(c.expect("005").params());
        IrcMessage next;
        while ((next = c.next()).command().equals("005")) {
            tokens.addAll(next.params());
        }
        assertThat(tokens).contains("CASEMAPPING=rfc1459", "CHANTYPES=#&", "NICKLEN=30", "PREFIX=(ov)@+",
                "CHANMODES=Ib,k,l,imnst", "CHATHISTORY=100");
        assertThat(next.command()).isEqualTo("251");
        c.expect("422");
    }

    @Test
    void motdFileIsShown(@TempDir Path dir) throws IOException {
        Path motd = dir.resolve("motd.txt");
        Files.writeString(motd, "Be kind.\nHave fun.\n", StandardCharsets.UTF_8);
        ParleyServer s = start(config().motdFile(motd));
        TestClient c = fx.connect(s);
        c.send("NICK alice");
        c.send("USER alice 0 * :A");
        c.expect("375");
        assertThat(c.expect("372").last()).isEqualTo("- Be kind.");
        assertThat(c.expect("372").last()).isEqualTo("- Have fun.");
        c.expect("376");
    }

    @Test
    void capNegotiationHoldsRegistrationUntilCapEnd() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        c.send("NICK alice");
        c.send("USER alice 0 * :A");
        IrcMessage ls = c.expect("CAP");
        assertThat(ls.params()).startsWith("*", "LS");
        List<IrcMessage> before = c.sync();
        assertThat(before).noneMatch(m -> m.command().equals("001"));
        c.send("CAP END");
        c.expect("001");
    }

    @Test
    void commandsBeforeRegistrationAreRefused() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("JOIN #a");
        assertThat(c.expect("451").param(0)).isEqualTo("*");
        c.send("USER x");
        assertThat(c.expect("461").param(1)).isEqualTo("USER");
        c.send("NICK");
        c.expect("431");
        c.send("NICK 9lives");
        assertThat(c.expect("432").param(1)).isEqualTo("9lives");
    }

    @Test
    void registeredClientCannotReregisterAndUnknownCommandsAreNamed() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.register(s, "alice");
        c.send("USER again 0 * :x");
        c.expect("462");
        c.send("FROBNICATE now");
        assertThat(c.expect("421").param(1)).isEqualTo("FROBNICATE");
        c.send("PING hello");
        IrcMessage pong = c.expect("PONG");
        assertThat(pong.params()).containsExactly("irc.test", "hello");
    }

    @Test
    void nickCollisionIsRefusedCaseInsensitively() throws IOException {
        ParleyServer s = start();
        fx.register(s, "alice[1]");
        TestClient b = fx.connect(s);
        b.send("NICK ALICE{1}");
        IrcMessage err = b.expect("433");
        assertThat(err.param(1)).isEqualTo("ALICE{1}");
        b.send("NICK bob");
        b.send("USER bob 0 * :B");
        assertThat(b.expect("001").param(0)).isEqualTo("bob");
    }

    @Test
    void registrationMustFinishInTime() throws IOException {
        ParleyServer s = start(config().registrationTimeout(Duration.ofMillis(300)));
        TestClient c = fx.connect(s);
        c.send("NICK slow");
        IrcMessage error = c.expect("ERROR");
        assertThat(error.last()).contains("Registration timed out");
        c.expectClosed();
    }

    @Test
    void aReturningClientIsGreetedByName() throws IOException {
        ParleyServer s = start();
        TestClient first = fx.register(s, "alice");
        first.send("QUIT");
        first.expectClosed();
        await().atMost(Duration.ofSeconds(10)).until(() -> s.hub().findNick("alice") == null);
        TestClient again = fx.connect(s);
        again.send("NICK alicia");
        again.send("USER alice 0 * :Alice");
        IrcMessage hello = again.expect(m -> m.command().equals("NOTICE") && m.last().startsWith("Welcome back"));
        assertThat(hello.last()).startsWith("Welcome back, alicia! Last seen from 127.0.0.1 as alice on ");
        assertThat(s.hub().clearIdentities()).isEqualTo(1);
    }

    @Test
    void hostsAreNotRememberedWhenTurnedOff() throws IOException {
        ParleyServer s = start(config().rememberHosts(false));
        TestClient first = fx.register(s, "alice");
        first.send("QUIT");
        first.expectClosed();
        TestClient again = fx.register(s, "alice2");
        assertThat(again.sync()).noneMatch(m -> m.command().equals("NOTICE"));
        assertThat(again.skipped()).noneMatch(m -> m.command().equals("NOTICE"));
    }

    // ---- channels ----

    @Test
    void twoClientsChatInAChannel() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #parley");
        IrcMessage join = alice.expect("JOIN");
        assertThat(join.source()).matches("alice!~alice@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        IrcMessage names = alice.expect("353");
        assertThat(names.last()).isEqualTo("@alice");
        alice.expect("366");
        bob.send("JOIN #Parley");
        assertThat(alice.expect("JOIN").source()).startsWith("bob!");
        assertThat(bob.expect("353").last()).isEqualTo("@alice bob");

        bob.send("PRIVMSG #parley :hello, alice");
        IrcMessage got = alice.expect("PRIVMSG");
        assertThat(got.source()).matches("bob!~bob@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        assertThat(got.params()).containsExactly("#parley", "hello, alice");
        alice.send("PRIVMSG #parley :hi bob :)");
        assertThat(bob.expect("PRIVMSG").last()).isEqualTo("hi bob :)");
        // the sender never gets its own channel message back
        assertThat(bob.sync()).noneMatch(m -> m.command().equals("PRIVMSG") && m.source().startsWith("bob!"));
    }

    @Test
    void privateMessagesAndNoticesReachOnlyTheTarget() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        TestClient carol = fx.register(s, "carol");
        alice.send("PRIVMSG Bob :psst");
        IrcMessage m = bob.expect("PRIVMSG");
        assertThat(m.params()).containsExactly("bob", "psst");
        alice.send("NOTICE bob :note");
        assertThat(bob.expect("NOTICE").last()).isEqualTo("note");
        assertThat(carol.sync()).noneMatch(x -> x.command().equals("PRIVMSG") || x.command().equals("NOTICE"));
        alice.send("PRIVMSG nobody :hello?");
        assertThat(alice.expect("401").param(1)).isEqualTo("nobody");
        alice.send("NOTICE nobody :hello?");
        assertThat(alice.sync()).noneMatch(x -> x.command().equals("401"));
        alice.send("PRIVMSG");
        alice.expect("411");
        alice.send("PRIVMSG bob");
        alice.expect("412");
        alice.send("PRIVMSG a,b,c,d,e :too many");
        alice.expect("407");
    }

    @Test
    void channelErrors() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #here");
        alice.expect("366");
        bob.send("PRIVMSG #here :let me in");
        assertThat(bob.expect("404").param(1)).isEqualTo("#here");
        bob.send("PRIVMSG #nowhere :x");
        bob.expect("401");
        bob.send("PART #here");
        assertThat(bob.expect("442").param(1)).isEqualTo("#here");
        bob.send("PART #nowhere");
        bob.expect("403");
        bob.send("JOIN bad,#ok,#bad\u0007name");
        assertThat(bob.expect("403").param(1)).isEqualTo("bad");
        bob.expect("JOIN");
        assertThat(bob.expect("476").param(1)).isEqualTo("#bad\u0007name");
        bob.send("JOIN #x");
        bob.send("JOIN");
        assertThat(bob.expect("461").param(1)).isEqualTo("JOIN");
    }

    @Test
    void tooManyChannelsIsRefused() throws IOException {
        ParleyServer s = start(config().maxChannelsPerUser(2));
        TestClient a = fx.register(s, "alice");
        a.send("JOIN #a,#b,#c");
        assertThat(a.expect("405").param(1)).isEqualTo("#c");
    }

    @Test
    void partAndJoinZeroAreSeenByMembers() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #a,#b");
        alice.expect(m -> is(m, "366", null, "#b"));
        bob.send("JOIN #a,#b");
        bob.expect(m -> is(m, "366", null, "#b"));
        bob.send("PART #a :see you");
        IrcMessage part = alice.expect("PART");
        assertThat(part.params()).containsExactly("#a", "see you");
        bob.expect("PART");
        bob.send("JOIN 0");
        assertThat(alice.expect("PART").param(0)).isEqualTo("#b");
        bob.send("PRIVMSG #b :still here?");
        bob.expect("404");
    }

    @Test
    void topicIsQueriedSetAndBroadcast() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #t");
        alice.expect("366");
        alice.send("TOPIC #t");
        alice.expect("331");
        bob.send("TOPIC #t :from outside");
        bob.expect("442");
        bob.send("JOIN #t");
        bob.expect("366");
        alice.send("TOPIC #t :Parley: chat that works");
        IrcMessage t = bob.expect("TOPIC");
        assertThat(t.params()).containsExactly("#t", "Parley: chat that works");
        assertThat(t.source()).startsWith("alice!");
        TestClient carol = fx.register(s, "carol");
        carol.send("JOIN #t");
        assertThat(carol.expect("332").last()).isEqualTo("Parley: chat that works");
        IrcMessage who = carol.expect("333");
        assertThat(who.param(2)).startsWith("alice!");
        carol.send("NAMES #t");
        assertThat(carol.expect("353").last()).isEqualTo("@alice bob carol");
        carol.expect("366");
    }

    @Test
    void nickChangeIsSeenOnceByEveryPeer() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #a,#b");
        alice.expect(m -> is(m, "366", null, "#b"));
        bob.send("JOIN #a,#b");
        bob.expect(m -> is(m, "366", null, "#b"));
        alice.sync();
        bob.send("NICK robert");
        IrcMessage own = bob.expect("NICK");
        assertThat(own.source()).matches("bob!~bob@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        IrcMessage seen = alice.expect("NICK");
        assertThat(seen.params()).containsExactly("robert");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("NICK"));
        // the old nick is free again, the new one is taken
        TestClient other = fx.register(s, "bob");
        other.send("NICK Robert");
        other.expect("433");
    }

    @Test
    void quitIsSeenByChannelPeers() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #q");
        alice.expect("366");
        bob.send("JOIN #q");
        bob.expect("366");
        bob.send("QUIT :off to lunch");
        IrcMessage error = bob.expect("ERROR");
        assertThat(error.last()).contains("Quit: off to lunch");
        bob.expectClosed();
        IrcMessage quit = alice.expect("QUIT");
        assertThat(quit.source()).startsWith("bob!");
        assertThat(quit.last()).isEqualTo("Quit: off to lunch");
        await().atMost(Duration.ofSeconds(10)).until(() -> s.hub().findNick("bob") == null);
    }

    @Test
    void droppedConnectionIsSeenAsQuit() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("JOIN #q");
        alice.expect("366");
        bob.send("JOIN #q");
        bob.expect("366");
        bob.close();
        assertThat(alice.expect("QUIT").source()).startsWith("bob!");
    }

    // ---- keep-alive ----

    @Test
    void idleClientIsPingedAndDroppedWhenItDoesNotAnswer() throws IOException {
        ParleyServer s = start(config().pingInterval(Duration.ofMillis(200)).pingTimeout(Duration.ofMillis(300)));
        TestClient alive = fx.register(s, "alive");
        TestClient dead = fx.register(s, "dead");
        dead.autoPong(false);
        alive.send("JOIN #k");
        alive.expect("366");
        dead.send("JOIN #k");
        dead.expect("366");
        assertThat(dead.expect("PING").param(0)).isEqualTo("irc.test");
        IrcMessage quit = alive.expect("QUIT");
        assertThat(quit.source()).startsWith("dead!");
        assertThat(quit.last()).startsWith("Ping timeout");
        dead.expectClosed();
        assertThat(alive.isClosed()).isFalse();
    }

    // ---- input limits ----

    @Test
    void overlongLineIsRefusedAndTheConnectionContinues() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        alice.send("PRIVMSG alice :" + "x".repeat(600));
        alice.expect("417");
        alice.send("PRIVMSG alice :" + "y".repeat(20_000));
        alice.expect("417");
        alice.send("PRIVMSG alice :fine");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("fine");
    }

    // ---- framing on the wire ----

    @Test
    void aLineTrickledOneByteAtATimeArrives() throws Exception {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#wire");
        TestClient bob = joined(s, "bob", "#wire");
        bob.socket().setTcpNoDelay(true);
        for (byte b : "PRIVMSG #wire :slow but sure\r\n".getBytes(StandardCharsets.UTF_8)) {
            bob.sendRaw(new byte[] {b});
        }
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("slow but sure");
    }

    @Test
    void manyLinesInOneWriteAreAllHandledInOrder() throws Exception {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#wire");
        TestClient bob = joined(s, "bob", "#wire");
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            burst.append("PRIVMSG #wire :line ").append(i).append(i % 2 == 0 ? "\r\n" : "\n");
        }
        bob.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 100; i++) {
            assertThat(alice.expect("PRIVMSG").last()).isEqualTo("line " + i);
        }
    }

    @Test
    void anAbruptResetMidLineIsAQuitAndNothingElse() throws Exception {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#wire");
        TestClient bob = joined(s, "bob", "#wire");
        bob.sendRaw("PRIVMSG #wire :half a li".getBytes(StandardCharsets.UTF_8));
        bob.socket().setSoLinger(true, 0); // close with RST
        bob.close();
        IrcMessage quit = alice.expect("QUIT");
        assertThat(quit.source()).startsWith("bob!");
        assertThat(alice.skipped()).noneMatch(m -> m.command().equals("PRIVMSG"));
        TestClient carol = joined(s, "carol", "#wire");
        carol.send("PRIVMSG #wire :after the reset");
        assertThat(alice.expect("PRIVMSG").last()).isEqualTo("after the reset");
    }

    // ---- scale and isolation ----

    @Test
    void everyMemberOfABigChannelGetsEveryMessageOnceAndInOrder() throws Exception {
        ParleyServer s = start();
        int clients = 200;
        int senders = 10;
        int perSender = 20;
        List<TestClient> all = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            TestClient c = fx.register(s, "u" + i);
            c.send("JOIN #big");
            all.add(c);
        }
        for (TestClient c : all) {
            c.expect(m -> is(m, "366", null, "#big"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> s.hub().findChannel("#big").size() == clients);
        for (int i = 0; i < senders; i++) {
            TestClient sender = all.get(i);
            for (int k = 0; k < perSender; k++) {
                sender.send("PRIVMSG #big :" + i + " " + k);
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Map<String, List<Integer>>>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                TestClient c = all.get(i);
                int expected = (i < senders ? senders - 1 : senders) * perSender;
                results.add(pool.submit(() -> {
                    Map<String, List<Integer>> bySender = new HashMap<>();
                    for (int got = 0; got < expected; got++) {
                        IrcMessage m = c.expect("PRIVMSG");
                        String[] parts = m.last().split(" ");
                        assertThat(m.source()).startsWith("u" + parts[0] + "!");
                        bySender.computeIfAbsent(parts[0], x -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                    }
                    // nothing extra: no duplicates, and nothing of its own
                    assertThat(c.sync()).noneMatch(m -> m.command().equals("PRIVMSG"));
                    return bySender;
                }));
            }
            List<Integer> inOrder = java.util.stream.IntStream.range(0, perSender).boxed().toList();
            for (int i = 0; i < clients; i++) {
                Map<String, List<Integer>> bySender = results.get(i).get();
                assertThat(bySender).hasSize(i < senders ? senders - 1 : senders);
                assertThat(bySender).doesNotContainKey(Integer.toString(i));
                bySender.values().forEach(seq -> assertThat(seq).isEqualTo(inOrder));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aClientThatStopsReadingIsDroppedWithoutSlowingOthers() throws Exception {
        ParleyServer s = start(config().sendQBytes(16 * 1024));
        TestClient talker = fx.register(s, "talker");
        TestClient listener = fx.register(s, "listener");
        talker.send("JOIN #flood");
        talker.expect("366");
        listener.send("JOIN #flood");
        listener.expect("366");
        TestClient stuck = fx.connectNonReading(s);
        stuck.send("NICK stuck");
        stuck.send("USER stuck 0 * :never reads");
        stuck.send("JOIN #flood");
        listener.expect(m -> m.command().equals("JOIN") && m.source().startsWith("stuck!"));

        String payload = "z".repeat(400);
        int sent = 0;
        boolean dropped = false;
        // bounded: enough to fill the kernel buffers and the SendQ many times over
        int batch = 16; // well under the listener's SendQ, so only the stuck client can overflow
        while (!dropped && sent < 40_000) {
            for (int i = 0; i < batch; i++, sent++) {
                talker.send("PRIVMSG #flood :" + sent + " " + payload);
            }
            for (int i = sent - batch; i < sent; i++) {
                IrcMessage m = listener.expect(x -> x.command().equals("PRIVMSG") || x.command().equals("QUIT"));
                if (m.command().equals("QUIT")) {
                    assertThat(m.source()).startsWith("stuck!");
                    assertThat(m.last()).isEqualTo("SendQ exceeded");
                    dropped = true;
                    m = listener.expect("PRIVMSG");
                }
                assertThat(m.last()).startsWith(i + " ");
            }
        }
        assertThat(dropped).as("the stuck client was dropped after %d messages", sent).isTrue();
        assertThat(s.hub().findNick("stuck")).isNull();
        talker.send("PRIVMSG #flood :still flowing");
        assertThat(listener.expect("PRIVMSG").last()).isEqualTo("still flowing");
    }

    @Test
    void shutdownTellsEveryClient() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        s.shutdown("Maintenance");
        assertThat(alice.expect("ERROR").last()).contains("Maintenance");
        alice.expectClosed();
    }
}
