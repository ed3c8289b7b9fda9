package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** User modes, AWAY, WHO/WHOX, WHOIS, WHOWAS, USERHOST, ISON, LIST and the server queries. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class UserQueriesContract extends EngineTestBase {
    UserQueriesContract(EngineKind engine) {
        super(engine);
    }

    @Test
    void userModes() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        fx.register(s, "bob");
        alice.send("MODE alice");
        assertThat(alice.expect("221").param(1)).isEqualTo("+");
        alice.send("MODE alice +iw");
        assertThat(alice.expect("MODE").params()).containsExactly("alice", "+iw");
        alice.send("MODE alice");
        assertThat(alice.expect("221").param(1)).isEqualTo("+iw");
        alice.send("MODE alice +o");
        alice.send("MODE alice");
        assertThat(alice.expect("221").param(1)).isEqualTo("+iw");
        alice.send("MODE alice +x");
        alice.expect("501");
        alice.send("MODE bob +i");
        alice.expect("502");
        alice.send("MODE alice -w");
        assertThat(alice.expect("MODE").params()).containsExactly("alice", "-w");
    }

    @Test
    void awayIsReportedToSendersAndInWhois() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("AWAY :at lunch");
        bob.expect("306");
        alice.send("PRIVMSG bob :you there?");
        IrcMessage away = alice.expect("301");
        assertThat(away.params()).containsExactly("alice", "bob", "at lunch");
        alice.send("WHOIS bob");
        assertThat(alice.expect("301").last()).isEqualTo("at lunch");
        alice.expect("318");
        bob.send("AWAY");
        bob.expect("305");
        alice.send("PRIVMSG bob :back?");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("301"));
    }

    @Test
    void whoListsChannelMembersWithFlags() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#w");
        TestClient bob = joined(s, "bob", "#w");
        bob.send("AWAY :gone");
        bob.expect("306");
        alice.send("WHO #w");
        List<IrcMessage> rows = new ArrayList<>();
        rows.add(alice.expect("352"));
        rows.add(alice.expect("352"));
        assertThat(alice.expect("315").param(1)).isEqualTo("#w");
        IrcMessage a = rows.stream().filter(r -> r.param(5).equals("alice")).findFirst().orElseThrow();
        assertThat(a.param(3)).matches("[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip"); // WHO shows the cloak
        assertThat(a.params()).containsExactly("alice", "#w", "~alice", a.param(3), "irc.test", "alice", "H@", "0 Test alice");
        IrcMessage b = rows.stream().filter(r -> r.param(5).equals("bob")).findFirst().orElseThrow();
        assertThat(b.param(6)).isEqualTo("G");
    }

    @Test
    void whoByMaskHidesInvisibleStrangers() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("MODE bob +i");
        bob.expect("MODE");
        fx.register(s, "bobby");
        alice.send("WHO bob*");
        List<String> nicks = new ArrayList<>();
        IrcMessage m;
        while (!(m = alice.expect(x -> x.command().equals("352") || x.command().equals("315"))).command().equals("315")) {
            nicks.add(m.param(5));
        }
        assertThat(nicks).containsExactly("bobby");
    }

    @Test
    void whoxReturnsTheRequestedFields() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#x");
        alice.send("WHO #x %tnfr,42");
        IrcMessage row = alice.expect("354");
        assertThat(row.params()).containsExactly("alice", "42", "alice", "H@", "Test alice");
        alice.expect("315");
    }

    @Test
    void whoisDescribesAUser() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#one");
        alice.send("WHOIS alice");
        IrcMessage user = alice.expect("311");
        assertThat(user.param(3)).matches("[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        assertThat(user.params()).containsExactly("alice", "alice", "~alice", user.param(3), "*", "Test alice");
        assertThat(alice.expect("319").last()).isEqualTo("@#one");
        assertThat(alice.expect("312").param(2)).isEqualTo("irc.test");
        IrcMessage idle = alice.expect("317");
        assertThat(Long.parseLong(idle.param(2))).isGreaterThanOrEqualTo(0);
        assertThat(alice.expect("378").last()).as("the user itself sees its address").isEqualTo("is connecting from *@127.0.0.1 127.0.0.1");
        alice.expect("318");
        alice.send("WHOIS nobody");
        assertThat(alice.expect("401").param(1)).isEqualTo("nobody");
        assertThat(alice.expect("318").param(1)).isEqualTo("nobody");
    }

    @Test
    void whowasRemembersNicksThatLeft() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("NICK robert");
        bob.expect("NICK");
        bob.send("QUIT");
        bob.expectClosed();
        alice.send("WHOWAS bob");
        IrcMessage was = alice.expect("314");
        assertThat(was.param(3)).matches("[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        assertThat(was.params()).startsWith("alice", "bob", "~bob", was.param(3), "*");
        alice.expect("369");
        alice.send("WHOWAS robert");
        alice.expect("314");
        alice.send("WHOWAS never");
        assertThat(alice.expect("406").param(1)).isEqualTo("never");
        alice.expect("369");
    }

    @Test
    void userhostAndIson() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("AWAY :brb");
        bob.expect("306");
        alice.send("USERHOST alice bob ghost");
        assertThat(alice.expect("302").last()).matches("alice=\\+~alice@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip bob=-~bob@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        alice.send("ISON ghost BOB alice");
        assertThat(alice.expect("303").last()).isEqualTo("bob alice");
    }

    @Test
    void listFiltersByUserCountAndMask() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#big");
        alice.send("JOIN #small");
        alice.expect(m -> is(m, "366", null, "#small"));
        alice.send("TOPIC #big :the big one");
        alice.expect("TOPIC");
        joined(s, "bob", "#big");
        alice.send("LIST >1");
        alice.expect("321");
        IrcMessage big = alice.expect("322");
        assertThat(big.params()).containsExactly("alice", "#big", "2", "the big one");
        alice.expect("323");
        alice.send("LIST #sm*");
        alice.expect("321");
        assertThat(alice.expect("322").param(1)).isEqualTo("#small");
        alice.expect("323");
        alice.send("LIST !#big");
        alice.expect("321");
        assertThat(alice.expect("322").param(1)).isEqualTo("#small");
        alice.expect("323");
    }

    @Test
    void serverQueries() throws IOException {
        ParleyServer s = start(config().adminEmail("ops@example.org"));
        TestClient alice = fx.register(s, "alice");
        alice.send("VERSION");
        IrcMessage v = alice.expect("351");
        assertThat(v.param(1)).isEqualTo("parley-test");
        assertThat(v.param(2)).isEqualTo("irc.test");
        alice.expect("005");
        alice.send("TIME");
        assertThat(alice.expect("391").param(1)).isEqualTo("irc.test");
        alice.send("INFO");
        alice.expect("371");
        alice.expect("374");
        alice.send("ADMIN");
        alice.expect("256");
        alice.expect("257");
        alice.expect("258");
        assertThat(alice.expect("259").last()).isEqualTo("ops@example.org");
        alice.send("MODE alice +i");
        alice.send("LUSERS");
        assertThat(alice.expect("251").last()).isEqualTo("There are 0 users and 1 invisible on 1 servers");
    }
}
