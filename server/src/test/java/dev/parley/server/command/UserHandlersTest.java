package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.Embedded;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Registration, nick, away and real-name handlers driven directly, with no socket. */
class UserHandlersTest {
    private final Embedded server = new Embedded();

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void capNegotiationHoldsRegistrationUntilEnd() {
        Embedded.Conn c = server.connect();
        c.send("CAP LS 302", "NICK held", "USER held 0 * :Held");
        assertThat(Embedded.commands(c.take())).containsOnly("CAP"); // the list, over as many lines as it takes
        assertThat(c.client().isRegistered()).isFalse();

        c.send("CAP REQ :away-notify", "CAP END");
        assertThat(Embedded.commands(c.take())).startsWith("CAP", "001", "002", "003", "004", "005");
        assertThat(c.client().isRegistered()).isTrue();
    }

    @Test
    void aTakenNickIsRefusedAndAFreedOneCanBeTaken() {
        Embedded.Conn a = server.register("alice");
        Embedded.Conn b = server.register("bob");
        b.send("NICK ALICE");
        assertThat(b.expect("433").param(1)).isEqualTo("ALICE");

        a.send("NICK alice2");
        b.send("NICK alice");
        assertThat(b.expect("NICK").params()).containsExactly("alice");
        assertThat(server.hub().findNick("Alice")).isSameAs(b.client());
        assertThat(server.hub().findNick("alice2")).isSameAs(a.client());
    }

    @Test
    void awayAndSetnameReachPeersThatAskedForThem() {
        Embedded.Conn watcher = server.connect();
        watcher.send("CAP LS 302", "CAP REQ :away-notify setname", "NICK watcher", "USER w 0 * :W", "CAP END");
        Embedded.Conn plain = server.register("plain");
        Embedded.Conn talker = server.register("talker");
        watcher.send("JOIN #a");
        plain.send("JOIN #a");
        talker.send("JOIN #a");
        watcher.take();
        plain.take();
        talker.take();

        talker.send("AWAY :lunch", "SETNAME :New Name", "AWAY");
        assertThat(Embedded.commands(talker.take())).containsExactly("306", "305");
        assertThat(watcher.take()).extracting(m -> m.command() + " " + String.join(" ", m.params()))
                .containsExactly("AWAY lunch", "SETNAME New Name", "AWAY ");
        assertThat(plain.take()).isEmpty();
        assertThat(talker.client().realname()).isEqualTo("New Name");
        assertThat(talker.client().away()).isNull();
    }

    @Test
    void saslPlainLogsInBeforeRegistration() {
        Embedded.Conn owner = server.register("owner");
        owner.send("PRIVMSG NickServ :REGISTER correct-horse-battery");
        assertThat(owner.expect(m -> m.command().equals("900"), "900").param(2)).isEqualTo("owner");

        Embedded.Conn c = server.connect();
        c.send("CAP LS 302", "CAP REQ :sasl", "AUTHENTICATE PLAIN");
        assertThat(c.expect("AUTHENTICATE").params()).containsExactly("+");
        String payload = java.util.Base64.getEncoder().encodeToString(
                "\0owner\0correct-horse-battery".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        c.send("AUTHENTICATE " + payload);
        assertThat(Embedded.commands(c.take())).containsExactly("900", "903");
        assertThat(c.client().account()).isEqualTo("owner");
    }
}
