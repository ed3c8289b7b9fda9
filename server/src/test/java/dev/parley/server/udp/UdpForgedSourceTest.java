package dev.parley.server.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A UDP source address can be forged: until a sender proves it receives (by echoing the
 * door's token) the door sends it at most three times what it sent, never lets it join, and
 * never counts it against the IRC port's limits. And no account operation goes through the door.
 */
class UdpForgedSourceTest {
    private final ServerFixture fx = new ServerFixture();
    private final List<UdpTestClient> udp = new ArrayList<>();

    @AfterEach
    void tearDown() {
        udp.forEach(UdpTestClient::close);
        fx.close();
    }

    private ParleyServer start(ServerConfig.Builder b) throws IOException {
        return fx.start(b.udp(ServerConfig.Udp.OFF.withPort(0)).build());
    }

    private UdpTestClient udpClient(ParleyServer s) throws IOException {
        UdpTestClient c = new UdpTestClient("127.0.0.1", s.udpDoor().port());
        udp.add(c);
        return c;
    }

    @Test
    void anUnprovenSourceGetsAtMostThreeTimesWhatItSentAndNeverJoins() throws IOException {
        ParleyServer s = start(ServerFixture.config(EngineKind.VIRTUAL));
        TestClient bob = fx.register(s, "bob");
        bob.send("JOIN #udp");
        bob.expect("366");
        bob.send("TOPIC #udp :" + "A long topic for a short question. ".repeat(8));
        bob.expect("TOPIC");
        for (int i = 0; i < 20; i++) {
            bob.send("PRIVMSG #udp :history line " + i + " that a join would replay to the newcomer, at length");
        }
        bob.send("PING :sync");
        bob.expect("PONG");

        UdpTestClient forged = udpClient(s); // stands for a victim's address the attacker writes as source
        forged.send("hello alice");
        assertThat(forged.expect(l -> l.startsWith("! "))).startsWith("! say: hello alice ");
        forged.send("/help");
        forged.send("ping");
        forged.send("/names");
        forged.send("/topic");
        forged.send("/nick carol");
        forged.send("/frobnicate");
        forged.send("\u0007");
        forged.send("hello alice NotTheToken1");
        forged.sendRaw(new byte[600]);
        forged.send("x");
        // the door answers in order: once the last one's token arrives, everything before it was answered or withheld
        forged.send("hello zed" + " ".repeat(60));
        forged.expect(l -> l.startsWith("! say: hello zed "));

        assertThat(forged.receivedBytes.get()).isLessThanOrEqualTo(3 * forged.sentBytes.get());
        assertThat(forged.seen).noneMatch(l -> l.startsWith("-- joined") || l.startsWith("-- topic") || l.startsWith("-- in "));
        assertThat(s.udpDoor().participantCount()).isZero();
        assertThat(s.hub().findNick("alice")).isNull();
        bob.send("NAMES #udp");
        assertThat(bob.expect("353").last()).isEqualTo("@bob");
    }

    @Test
    void onlyTheSendersOwnTokenLetsItIn() throws IOException {
        ParleyServer s = start(ServerFixture.config(EngineKind.VIRTUAL));
        UdpTestClient alice = udpClient(s);
        UdpTestClient mallory = udpClient(s); // same address, another port
        alice.send("hello alice");
        String token = alice.token();
        mallory.send("hello mallory " + token);
        assertThat(mallory.token()).isNotEqualTo(token); // challenged again, not let in
        mallory.send("hello mallory " + token.substring(1) + "A");
        mallory.token();
        assertThat(s.udpDoor().participantCount()).isZero();
        alice.send("hello alice " + token);
        assertThat(alice.expectStart("-- joined ")).isEqualTo("-- joined #udp as alice; here: @alice");
        assertThat(s.udpDoor().participantCount()).isEqualTo(1);
        mallory.send("/nick mallory");
        mallory.token(); // /nick from a newcomer is a hello too
    }

    @Test
    void forgedHellosDoNotLockTheAddressOutOfTheIrcPort() throws IOException {
        ParleyServer s = start(ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(List.of())
                .maxConnectionsPerAddress(2));
        for (int i = 0; i < 10; i++) {
            UdpTestClient forged = udpClient(s);
            forged.send("hello victim" + i);
            forged.token();
        }
        assertThat(s.udpDoor().participantCount()).isZero();
        TestClient first = fx.register(s, "first");
        TestClient second = fx.register(s, "second");
        first.send("PING :a");
        first.expect("PONG");
        second.send("PING :b");
        second.expect("PONG");
    }

    @Test
    void udpParticipantsAreCountedApartFromIrcConnections() throws IOException {
        ParleyServer s = start(ServerFixture.config(EngineKind.VIRTUAL).trustedAddresses(List.of())
                .maxConnectionsPerAddress(1));
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        TestClient bob = fx.register(s, "bob"); // the same address: the door's participant takes no IRC place
        bob.send("PING :x");
        bob.expect("PONG");
        UdpTestClient carol = udpClient(s);
        carol.join("carol");
        carol.expectExact("! too many connections from your address"); // the door's own per-address count
    }

    @Test
    void nickServIsRefusedThroughTheDoor() throws IOException {
        ParleyServer s = start(ServerFixture.config(EngineKind.VIRTUAL));
        UdpTestClient alice = udpClient(s);
        alice.hello("alice");
        alice.send("/msg NickServ REGISTER hunter2-long a@b.c");
        alice.expectExact("! NickServ is not available over UDP (UDP senders can be forged); use an IRC client for accounts");
        alice.send("/msg ns IDENTIFY hunter2-long");
        alice.expectExact("! ns is not available over UDP (UDP senders can be forged); use an IRC client for accounts");
        alice.send("/msg NickServ@irc.test IDENTIFY hunter2-long");
        alice.expectStart("! NickServ@irc.test is not available over UDP");
        assertThat(s.hub().accounts().find("alice")).isEmpty();
        assertThat(alice.seen).noneMatch(l -> l.contains("NickServ-") || l.startsWith("-NickServ-"));
    }
}
