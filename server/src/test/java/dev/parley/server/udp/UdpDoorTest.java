package dev.parley.server.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The UDP door: datagram users and IRC users in one channel. */
class UdpDoorTest {
    private final ServerFixture fx = new ServerFixture();
    private final List<UdpTestClient> udp = new ArrayList<>();

    @AfterEach
    void tearDown() {
        udp.forEach(UdpTestClient::close);
        fx.close();
    }

    private ParleyServer start(EngineKind engine, ServerConfig.Udp door) throws IOException {
        return fx.start(ServerFixture.config(engine).udp(door).build());
    }

    private ParleyServer start() throws IOException {
        return start(EngineKind.VIRTUAL, ServerConfig.Udp.OFF.withPort(0));
    }

    private UdpTestClient udpClient(ParleyServer s, String bind) throws IOException {
        UdpTestClient c = new UdpTestClient(bind, s.udpDoor().port());
        udp.add(c);
        return c;
    }

    private UdpTestClient udpClient(ParleyServer s) throws IOException {
        return udpClient(s, "127.0.0.1");
    }

    private TestClient ircInRoom(ParleyServer s, String nick) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("JOIN #udp");
        c.expect(m -> m.command().equals("366"));
        return c;
    }

    private static boolean privmsg(IrcMessage m, String from, String text) {
        return m.command().equals("PRIVMSG") && m.source().startsWith(from + "!") && m.last().equals(text);
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void twoUdpUsersAndAnIrcUserEachGetEveryOtherMessageOnce(EngineKind engine) throws IOException {
        ParleyServer s = start(engine, ServerConfig.Udp.OFF.withPort(0));
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        assertThat(alice.hello("alice")).isEqualTo("-- joined #udp as alice; here: @bob alice");
        IrcMessage join = bob.expect(m -> m.command().equals("JOIN"));
        assertThat(join.source()).matches("alice!~udp@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        UdpTestClient carol = udpClient(s);
        carol.hello("carol");
        alice.expectExact("-- carol joined");

        alice.send("hello from alice");
        carol.send("hello from carol");
        bob.send("PRIVMSG #udp :hello from bob");
        alice.send("/me waves");
        // each waits for the others' last word, then everything before it is counted
        alice.awaitSeen("<carol> hello from carol");
        alice.awaitSeen("<bob> hello from bob");
        carol.awaitSeen("<alice> hello from alice");
        carol.awaitSeen("<bob> hello from bob");
        carol.awaitSeen("* alice waves");
        List<IrcMessage> bobGot = new ArrayList<>();
        await().until(() -> {
            bobGot.addAll(bob.sync());
            return bobGot.stream().filter(m -> m.command().equals("PRIVMSG")).count() >= 3;
        });
        alice.sync();
        carol.sync();
        bobGot.addAll(bob.sync());

        assertThat(alice.count("<carol> hello from carol")).isEqualTo(1);
        assertThat(alice.count("<bob> hello from bob")).isEqualTo(1);
        assertThat(alice.seen).noneMatch(l -> l.contains("hello from alice") || l.contains("alice waves"));
        assertThat(carol.count("<alice> hello from alice")).isEqualTo(1);
        assertThat(carol.count("<bob> hello from bob")).isEqualTo(1);
        assertThat(carol.count("* alice waves")).isEqualTo(1);
        assertThat(carol.seen).noneMatch(l -> l.contains("hello from carol"));
        assertThat(bobGot.stream().filter(m -> m.command().equals("PRIVMSG")).map(m -> m.source().split("!")[0] + ": " + m.last()))
                .containsExactlyInAnyOrder("alice: hello from alice", "carol: hello from carol", "alice: \u0001ACTION waves\u0001");
        assertThat(s.udpDoor().participantCount()).isEqualTo(2);
    }

    @Test
    void aTakenNickGetsAVisibleSuffix() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "alice");
        UdpTestClient u = udpClient(s);
        u.join("alice");
        u.expectExact("-- alice is taken; you are alice_1");
        assertThat(u.expectStart("-- joined ")).isEqualTo("-- joined #udp as alice_1; here: @alice alice_1");
        assertThat(bob.expect(m -> m.command().equals("JOIN")).source()).startsWith("alice_1!");
        UdpTestClient v = udpClient(s);
        v.join("alice");
        v.expectExact("-- alice is taken; you are alice_2");
    }

    @Test
    void quitLeavesTheRoomAndForgetsTheSender() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        alice.send("quit smoking, they say");
        bob.expect(m -> privmsg(m, "alice", "quit smoking, they say"));
        alice.send("/quit see you");
        alice.expectExact("-- bye (Quit: see you)");
        IrcMessage quit = bob.expect(m -> m.command().equals("QUIT"));
        assertThat(quit.source()).startsWith("alice!");
        assertThat(quit.last()).isEqualTo("Quit: see you");
        await().until(() -> s.udpDoor().participantCount() == 0);
        alice.send("still here?");
        alice.expectExact("! send \"hello <nick>\" first");
        assertThat(s.hub().findNick("alice")).isNull();
        alice.hello("alice"); // the same address may come back
    }

    @Test
    void aSilentParticipantIsRemovedWhilePingKeepsAnotherOne() throws IOException {
        ParleyServer s = start(EngineKind.VIRTUAL, ServerConfig.Udp.OFF.withPort(0).withIdleTimeout(Duration.ofMillis(600)));
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        UdpTestClient carol = udpClient(s);
        alice.hello("alice");
        carol.hello("carol");
        // carol pings until alice is gone; alice says nothing
        List<IrcMessage> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(150)).until(() -> {
            carol.send("ping");
            seen.addAll(bob.sync());
            return seen.stream().anyMatch(m -> m.command().equals("QUIT"));
        });
        IrcMessage q = seen.stream().filter(m -> m.command().equals("QUIT")).findFirst().orElseThrow();
        assertThat(q.source()).startsWith("alice!");
        assertThat(q.last()).startsWith("Idle timeout");
        alice.expectStart("-- bye (Idle timeout");
        carol.send("still talking");
        bob.expect(m -> privmsg(m, "carol", "still talking"));
        assertThat(s.udpDoor().participantCount()).isEqualTo(1);
    }

    @Test
    void oversizedMalformedAndUnknownDatagramsAreAnsweredWithAnErrorAndGoNowhere() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        bob.expect(m -> m.command().equals("JOIN"));

        byte[] big = new byte[600];
        Arrays.fill(big, (byte) 'a');
        alice.sendRaw(big);
        alice.expectExact("! datagram too long (at most 512 bytes)");
        alice.sendRaw(new byte[] {'h', 'i', (byte) 0xc3, (byte) 0x28});
        alice.expectExact("! not valid UTF-8");
        alice.send("two\nlines");
        alice.expectExact("! control characters are not allowed");
        alice.send("bell\u0007");
        alice.expectExact("! control characters are not allowed");
        alice.sendRaw("nul\0PRIVMSG #udp :injected".getBytes(StandardCharsets.UTF_8));
        alice.expectExact("! control characters are not allowed");
        alice.send("/frobnicate");
        alice.expectExact("! unknown command /frobnicate; try /help");
        alice.send("hello alice");
        bob.expect(m -> privmsg(m, "alice", "hello alice")); // from someone in the room, just words

        alice.send("a fine line");
        bob.expect(m -> privmsg(m, "alice", "a fine line"));
        List<IrcMessage> after = new ArrayList<>(bob.skipped());
        after.addAll(bob.sync());
        assertThat(after).noneMatch(m -> m.command().equals("PRIVMSG"));
        assertThat(s.udpDoor().participantCount()).isEqualTo(1);
    }

    @Test
    void aFloodFromOneAddressIsLimitedWhileOthersKeepTalking() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        UdpTestClient flooder = udpClient(s, "127.0.0.2");
        flooder.hello("flood");
        // about 10,000 datagrams a second for two seconds: a thousand times the allowed rate,
        // paced so that the kernel's socket buffer, not the door, is never what drops them
        Thread flood = new Thread(() -> {
            for (int i = 0; i < 20_000; i++) {
                flooder.send("spam " + i);
                if (i % 50 == 49) {
                    java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
                }
            }
        }, "udp-flooder");
        flood.start();
        for (int i = 0; i < 20; i++) {
            alice.send("alice " + i);
            bob.send("PRIVMSG #udp :bob " + i);
            java.util.concurrent.locks.LockSupport.parkNanos(50_000_000);
        }
        for (int i = 0; i < 20; i++) {
            int n = i;
            bob.expect(m -> privmsg(m, "alice", "alice " + n));
            alice.expectExact("<bob> bob " + n);
        }
        try {
            flood.join(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        flooder.expectStart("! slow down: too many datagrams");
        assertThat(s.udpDoor().datagramsDropped()).isGreaterThan(0);
        long spamSeen = bob.skipped().stream().filter(m -> m.command().equals("PRIVMSG") && m.last().startsWith("spam ")).count();
        assertThat(spamSeen).isLessThan(20_000);
    }

    @Test
    void privateMessagesActionsNamesAndTopicBetweenDoors() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "bob");
        bob.send("TOPIC #udp :Datagrams welcome");
        bob.expect(m -> m.command().equals("TOPIC"));
        UdpTestClient alice = udpClient(s);
        alice.join("alice");
        alice.expectExact("-- joined #udp as alice; here: @bob alice");
        alice.expectExact("-- topic: Datagrams welcome");

        bob.send("PRIVMSG alice :psst");
        alice.expectExact("[PM] <bob> psst");
        alice.send("/msg bob hi back");
        bob.expect(m -> m.command().equals("PRIVMSG") && m.param(0).equals("bob") && m.last().equals("hi back"));
        alice.send("/msg nobody hello?");
        alice.expectExact("! nobody: No such nick/channel");
        alice.send("/names");
        alice.expectExact("-- in #udp: @bob alice");
        alice.send("/nick alicia");
        alice.expectExact("-- you are now known as alicia");
        assertThat(bob.expect(m -> m.command().equals("NICK")).last()).isEqualTo("alicia");
        bob.send("NICK robert");
        alice.expectExact("-- bob is now known as robert");
        alice.send("//slash text");
        bob.expect(m -> privmsg(m, "alicia", "/slash text"));
    }

    @Test
    void aKickedParticipantIsToldAndRemoved() throws IOException {
        ParleyServer s = start();
        TestClient bob = ircInRoom(s, "bob");
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        bob.send("KICK #udp alice :be nice");
        alice.expectExact("-- bye (kicked by bob: be nice)");
        await().until(() -> s.udpDoor().participantCount() == 0 && s.hub().findNick("alice") == null);
        alice.send("anyone still here?");
        alice.expectExact("! send \"hello <nick>\" first");
        assertThat(alice.seen).filteredOn(l -> l.startsWith("-- bye")).hasSize(1); // told once
    }

    @Test
    void badNicksAndAFullRoomAreRefused() throws IOException {
        ParleyServer s = start(EngineKind.VIRTUAL, ServerConfig.Udp.OFF.withPort(0).withMaxParticipants(1));
        UdpTestClient a = udpClient(s);
        a.send("hello #notanick");
        a.expectStart("! nick is not valid: #notanick");
        a.hello("alice");
        UdpTestClient b = udpClient(s);
        b.join("bob");
        b.expectExact("! the room is full (1 UDP participants)");
        b.send("hi");
        b.expectExact("! send \"hello <nick>\" first");
    }

    @Test
    void oneAddressMayHoldOnlyItsShareOfPlaces() throws IOException {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(List.of())
                .maxConnectionsPerAddress(1).udp(ServerConfig.Udp.OFF.withPort(0)).build());
        UdpTestClient a = udpClient(s);
        a.hello("first");
        UdpTestClient b = udpClient(s); // same address, another port
        b.join("second");
        b.expectExact("! too many connections from your address");
        a.send("/quit");
        a.expectStart("-- bye");
        await().until(() -> s.udpDoor().participantCount() == 0);
        b.hello("second"); // the place is free again
    }

    @Test
    void linesShapedLikeTheDoorsOwnAreNeverAnswered() throws IOException {
        ParleyServer s = start();
        UdpTestClient echo = udpClient(s);
        // what another door (or an echo service) would send back: answering it would start a loop
        echo.send("! send \"hello <nick>\" first");
        echo.send("-- bye (Quit)");
        echo.send("pong");
        assertThat(echo.hello("echo")).startsWith("-- joined #udp as echo");
        assertThat(echo.seen).hasSize(2); // the token, then the join
    }

    @Test
    void shutdownSaysByeToUdpParticipants() throws IOException {
        ParleyServer s = start();
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        s.shutdown("Maintenance");
        alice.expectExact("-- bye (Maintenance)");
    }
}
