package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

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
 * Ordinary commands answered as the Modern IRC Client Protocol documents them: the numerics,
 * their parameters and their order, and the error paths.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ModernProtocolContract extends EngineTestBase {
    ModernProtocolContract(EngineKind engine) {
        super(engine);
    }

    private static String hash;

    @BeforeAll
    static void hashOnce() {
        hash = PasswordHasher.hash("s3cret");
    }

    private ServerConfig.Builder withOper() {
        return config().operators(List.of(new ServerConfig.Operator("root", hash, List.of("*@127.0.0.1"), null)));
    }

    private static void oper(TestClient c) {
        c.send("OPER root s3cret");
        c.expect("381");
    }

    /** The commands of everything received until {@code end} (included). */
    private static List<String> commandsUntil(TestClient c, String end) {
        List<String> seen = new ArrayList<>();
        IrcMessage m;
        do {
            m = c.next();
            seen.add(m.command());
        } while (!m.command().equals(end));
        return seen;
    }

    // ---- unknown commands, labels, limits ----

    @Test
    void unknownCommandIsAnswered421WithItsLabel() throws IOException {
        ParleyServer s = start();
        TestClient alice = withCaps(s, "alice", "labeled-response");
        alice.send("FROBNICATE x");
        assertThat(alice.expect("421").params()).containsExactly("alice", "FROBNICATE", "Unknown command");
        alice.send("@label=u1 FROBNICATE x");
        IrcMessage labeled = alice.expect("421");
        assertThat(labeled.tags()).containsEntry("label", "u1");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("FAIL") || m.command().equals("ACK"));
    }

    @Test
    void labeledMessageToYourselfIsLabeledOnceWithoutEchoMessage() throws IOException {
        ParleyServer s = start();
        TestClient alice = withCaps(s, "alice", "labeled-response");
        alice.send("@label=me1 PRIVMSG alice :note to self");
        IrcMessage got = alice.expect("PRIVMSG");
        assertThat(got.tags()).containsEntry("label", "me1");
        assertThat(got.last()).isEqualTo("note to self");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("PRIVMSG") || m.command().equals("ACK"));
    }

    @Test
    void labeledMessageToYourselfIsLabeledOnceWithEchoMessage() throws IOException {
        ParleyServer s = start();
        TestClient alice = withCaps(s, "alice", "labeled-response echo-message");
        alice.send("@label=me2 PRIVMSG alice :echoed");
        IrcMessage got = alice.expect("PRIVMSG");
        assertThat(got.tags()).containsEntry("label", "me2");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("PRIVMSG") || m.command().equals("ACK"));
    }

    @Test
    void clientTagDataOver4094BytesIsRefusedWith417() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        alice.send("@+x=" + "a".repeat(4092) + " PRIVMSG bob :too many tags"); // 4095 bytes of tag data
        assertThat(alice.expect("417").params()).containsExactly("alice", "Input line was too long");
        alice.send("@+x=" + "a".repeat(4092) + " PING over"); // any command, not only messages
        alice.expect("417");
        alice.send("@+x=" + "a".repeat(4091) + " PING fits"); // 4094 bytes: the limit
        assertThat(alice.expect("PONG").last()).isEqualTo("fits");
        assertThat(bob.sync()).noneMatch(m -> m.command().equals("PRIVMSG"));
        alice.send("@" + "+k=v;".repeat(1700) + " PRIVMSG bob :whole section too long");
        alice.expect("417");
        alice.send("PRIVMSG bob :still here");
        assertThat(bob.expect("PRIVMSG").last()).isEqualTo("still here");
    }

    @Test
    void aLineOver512BytesIsRefusedWith417() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        String head = "PRIVMSG bob :";
        alice.send(head + "x".repeat(510 - head.length())); // 510 bytes and CRLF: the limit
        assertThat(bob.expect("PRIVMSG").last()).startsWith("xxx");
        alice.send(head + "y".repeat(511 - head.length()));
        alice.expect("417");
    }

    // ---- registration and keep-alive ----

    @Test
    void myInfoListsServerVersionAndModes() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("NICK newbie");
        c.send("USER newbie 0 * :New");
        IrcMessage info = c.expect("004");
        assertThat(info.params()).containsExactly("newbie", "irc.test", "parley-test", "iowB", "Ibiklmnostv", "Ibklov");
    }

    @Test
    void pingIsAnsweredWithTheServerNameAndToken() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        alice.send("PING abc123");
        IrcMessage pong = alice.expect("PONG");
        assertThat(pong.source()).isEqualTo("irc.test");
        assertThat(pong.params()).containsExactly("irc.test", "abc123");
        alice.send("PING");
        assertThat(alice.expect("461").param(1)).isEqualTo("PING");
        alice.send("PING :");
        alice.expect("409");
    }

    // ---- WHO ----

    @Test
    void whoFlagsComeInTheDocumentedOrder() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = joined(s, "alice", "#w");
        oper(alice);
        alice.send("MODE alice +B");
        alice.expect("MODE");
        alice.send("AWAY :out");
        alice.expect("306");
        alice.send("WHO #w");
        assertThat(alice.expect("352").param(6)).isEqualTo("G*@B");
        alice.expect("315");
        alice.send("WHO #w %tnf,5");
        assertThat(alice.expect("354").params()).containsExactly("alice", "5", "alice", "G*@B");
        alice.expect("315");
    }

    @Test
    void whoByExactNickShowsAnInvisibleUserAndAMaskDoesNot() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("MODE bob +i");
        bob.expect("MODE");
        alice.send("WHO bob");
        IrcMessage row = alice.expect("352");
        assertThat(row.param(1)).isEqualTo("*");
        assertThat(row.param(5)).isEqualTo("bob");
        assertThat(alice.expect("315").param(1)).isEqualTo("bob");
        // "bo?" can match only bob's nick: "b*" also matched alice's own cloaked host whenever
        // the random cloak began with a b
        alice.send("WHO bo?");
        assertThat(commandsUntil(alice, "315")).containsExactly("315");
        alice.send("WHO ghost");
        assertThat(commandsUntil(alice, "315")).containsExactly("315");
    }

    // ---- WHOIS ----

    @Test
    void whoisNumericsComeInTheDocumentedOrder() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = joined(s, "alice", "#one");
        oper(alice);
        alice.send("MODE alice +B");
        alice.expect("MODE");
        alice.send("AWAY :busy");
        alice.expect("306");
        alice.send("WHOIS alice");
        List<String> order = commandsUntil(alice, "318");
        List<String> expected = new ArrayList<>(List.of("311", "319", "312", "313", "317", "338", "378"));
        if (overTls()) {
            expected.add("671");
        }
        expected.addAll(List.of("335", "301", "318"));
        assertThat(order).containsExactlyElementsOf(expected);
    }

    @Test
    void whoisShowsServerNameIdleAndTheRealHostOnlyToSelfAndOperators() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        fx.register(s, "bob");
        alice.send("WHOIS bob");
        IrcMessage server = alice.expect("312");
        assertThat(server.params()).hasSize(4);
        assertThat(server.param(2)).isEqualTo("irc.test");
        IrcMessage idle = alice.expect("317");
        assertThat(idle.params()).hasSize(5);
        assertThat(Long.parseLong(idle.param(3))).isPositive();
        List<String> rest = commandsUntil(alice, "318");
        assertThat(rest).doesNotContain("338", "378");
        oper(alice);
        alice.send("WHOIS bob");
        IrcMessage actually = alice.expect("338");
        assertThat(actually.params()).containsExactly("alice", "bob", "~bob@127.0.0.1", "127.0.0.1", "Is actually using host");
        alice.expect("318");
    }

    @Test
    void whoisEndsOnceWithExactlyWhatWasAsked() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        fx.register(s, "bob");
        alice.send("WHOIS BOB,ghost");
        assertThat(alice.expect("311").param(1)).isEqualTo("bob");
        assertThat(alice.expect("401").param(1)).isEqualTo("ghost");
        assertThat(alice.expect("318").param(1)).isEqualTo("BOB,ghost");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("318"));
        alice.send("WHOIS :");
        alice.expect("431");
    }

    @Test
    void whoisWithATargetAsksThisServerOrSaysNoSuchServer() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        fx.register(s, "bob");
        alice.send("WHOIS bob bob");
        alice.expect("311");
        alice.expect("318");
        alice.send("WHOIS irc.test bob");
        alice.expect("311");
        alice.expect("318");
        alice.send("WHOIS far.away.example bob");
        assertThat(alice.expect("402").params()).containsExactly("alice", "far.away.example", "No such server");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("311") || m.command().equals("318"));
    }

    // ---- WHOWAS ----

    @Test
    void whowasGivesUserServerAndEndAndHonoursTheCount() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        bob.send("NICK bob2");
        bob.expect("NICK");
        bob.send("NICK bob");
        bob.expect("NICK");
        bob.send("QUIT");
        bob.expectClosed();
        alice.send("WHOWAS bob");
        assertThat(commandsUntil(alice, "369")).containsExactly("314", "312", "314", "312", "369");
        alice.send("WHOWAS bob 1");
        IrcMessage user = alice.expect("314");
        assertThat(user.params()).startsWith("alice", "bob", "~bob");
        IrcMessage server = alice.expect("312");
        assertThat(server.param(2)).isEqualTo("irc.test");
        assertThat(alice.expect("369").params()).containsExactly("alice", "bob", "End of WHOWAS");
        alice.send("WHOWAS nobody");
        assertThat(commandsUntil(alice, "369")).containsExactly("406", "369");
    }

    // ---- server queries ----

    @Test
    void serverQueriesAnswerForThisServerAndRefuseOthers() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        alice.send("TIME");
        IrcMessage time = alice.expect("391");
        assertThat(time.params()).hasSize(5);
        assertThat(time.param(1)).isEqualTo("irc.test");
        assertThat(Long.parseLong(time.param(2))).isPositive();
        alice.send("TIME elsewhere.example");
        assertThat(alice.expect("402").param(1)).isEqualTo("elsewhere.example");
        alice.send("VERSION irc.*");
        alice.expect("351");
        alice.expect("005");
        alice.send("VERSION nowhere");
        alice.expect("402");
        alice.send("ADMIN alice"); // a user on this server means this server
        assertThat(commandsUntil(alice, "259")).containsExactly("256", "257", "258", "259");
        alice.send("MOTD elsewhere.example");
        alice.expect("402");
        alice.send("INFO");
        List<String> info = commandsUntil(alice, "374");
        assertThat(info.get(0)).isEqualTo("371");
        assertThat(info).containsOnly("371", "374");
    }

    @Test
    void lusersReportsCountsAndThePeak() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        TestClient bob = fx.register(s, "bob");
        oper(alice);
        alice.send("JOIN #c");
        alice.expect("366");
        bob.send("QUIT");
        bob.expectClosed();
        alice.send("LUSERS");
        assertThat(alice.expect("251").last()).isEqualTo("There are 1 users and 0 invisible on 1 servers");
        assertThat(alice.expect("252").param(1)).isEqualTo("1");
        assertThat(alice.expect("254").param(1)).isEqualTo("1");
        assertThat(alice.expect("255").last()).isEqualTo("I have 1 clients and 0 servers");
        assertThat(alice.expect("265").params()).startsWith("alice", "1", "2");
        assertThat(alice.expect("266").params()).startsWith("alice", "1", "2");
    }

    // ---- operators ----

    @Test
    void killShowsTheVictimAndThePeersTheDocumentedReasons() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = joined(s, "alice", "#k");
        TestClient bob = joined(s, "bob", "#k");
        bob.send("KILL alice :no");
        bob.expect("481");
        oper(alice);
        alice.send("KILL bob");
        assertThat(alice.expect("461").param(1)).isEqualTo("KILL");
        alice.send("KILL bob :spamming");
        IrcMessage kill = bob.expect("KILL");
        assertThat(kill.source()).startsWith("alice!");
        assertThat(kill.params()).containsExactly("bob", "spamming");
        assertThat(bob.expect("ERROR").last()).isEqualTo("Closing Link: irc.test (Killed (alice (spamming)))");
        bob.expectClosed();
        assertThat(alice.expect("QUIT").last()).isEqualTo("Killed (alice (spamming))");
    }

    @Test
    void wallopsReachOnlyUsersWithModeW() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        TestClient listener = fx.register(s, "listener");
        listener.send("MODE listener +w");
        listener.expect("MODE");
        oper(alice);
        alice.send("WALLOPS :");
        assertThat(alice.expect("461").param(1)).isEqualTo("WALLOPS");
        alice.send("WALLOPS :restart soon");
        IrcMessage w = listener.expect("WALLOPS");
        assertThat(w.source()).startsWith("alice!");
        assertThat(w.last()).isEqualTo("restart soon");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("WALLOPS")); // alice is not +w
    }

    // ---- channels ----

    @Test
    void namesOfSeveralChannelsEndsEachAndHidesSecretOnes() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#pub");
        TestClient bob = joined(s, "bob", "#hidden");
        bob.send("MODE #hidden +s");
        bob.expect("MODE");
        alice.send("NAMES #pub,#hidden,#nothing");
        IrcMessage names = alice.expect("353");
        assertThat(names.params()).containsExactly("alice", "=", "#pub", "@alice");
        assertThat(alice.expect("366").param(1)).isEqualTo("#pub");
        IrcMessage next = alice.next();
        assertThat(next.command()).isEqualTo("366");
        assertThat(next.param(1)).isEqualTo("#hidden");
        assertThat(alice.expect("366").param(1)).isEqualTo("#nothing");
    }

    @Test
    void namesWithoutParametersListsEveryVisibleChannel() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#mine");
        TestClient bob = joined(s, "bob", "#open");
        TestClient carol = joined(s, "carol", "#closed");
        carol.send("MODE #closed +s");
        carol.expect("MODE");
        alice.send("NAMES");
        List<IrcMessage> got = new ArrayList<>();
        IrcMessage m;
        while (!is(m = alice.next(), "366", null, "*")) {
            got.add(m);
        }
        assertThat(got).filteredOn(x -> x.command().equals("353")).extracting(x -> x.param(2))
                .containsExactlyInAnyOrder("#mine", "#open");
        assertThat(got).filteredOn(x -> x.command().equals("366")).extracting(x -> x.param(1))
                .containsExactlyInAnyOrder("#mine", "#open");
        assertThat(bob.isClosed()).isFalse();
    }

    @Test
    void kickTakesSeveralUsersAndReportsTheMissingOne() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#c");
        TestClient bob = joined(s, "bob", "#c");
        joined(s, "carol", "#c");
        alice.send("KICK #c bob,carol :out");
        IrcMessage first = bob.expect("KICK");
        assertThat(first.params()).containsExactly("#c", "bob", "out");
        alice.expect(m -> is(m, "KICK", "#c", "bob"));
        assertThat(alice.expect("KICK").params()).containsExactly("#c", "carol", "out");
        TestClient dave = joined(s, "dave", "#c");
        alice.send("KICK #c ghost,dave");
        assertThat(alice.expect("441").params()).containsExactly("alice", "ghost", "#c", "They aren't on that channel");
        assertThat(dave.expect("KICK").params()).containsExactly("#c", "dave", "alice");
    }

    @Test
    void topicQueriesAnswer331Or332And333() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#t");
        alice.send("TOPIC #t");
        assertThat(alice.expect("331").params()).containsExactly("alice", "#t", "No topic is set");
        alice.send("TOPIC #t :hello world");
        alice.expect("TOPIC");
        alice.send("TOPIC #t");
        assertThat(alice.expect("332").params()).containsExactly("alice", "#t", "hello world");
        IrcMessage who = alice.expect("333");
        assertThat(who.param(1)).isEqualTo("#t");
        assertThat(who.param(2)).startsWith("alice");
        assertThat(Long.parseLong(who.param(3))).isPositive();
        alice.send("TOPIC #t :");
        alice.expect("TOPIC");
        alice.send("TOPIC #t");
        alice.expect("331");
    }

    @Test
    void inviteWithoutParametersListsInvitations() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#inv");
        TestClient bob = fx.register(s, "bob");
        alice.send("MODE #inv +i");
        alice.expect("MODE");
        alice.send("INVITE bob #inv");
        assertThat(alice.expect("341").params()).containsExactly("alice", "bob", "#inv");
        bob.expect("INVITE");
        bob.send("INVITE");
        assertThat(bob.expect("336").params()).containsExactly("bob", "#inv");
        assertThat(bob.expect("337").params()).containsExactly("bob", "End of /INVITE list");
    }

    @Test
    void listHonoursElistFiltersAndHidesSecretChannels() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#one");
        joined(s, "bob", "#two").send("MODE #two +s");
        TestClient carol = joined(s, "carol", "#three");
        carol.send("JOIN #one");
        carol.expect(m -> is(m, "366", null, "#one"));
        alice.send("LIST");
        List<String> all = new ArrayList<>();
        IrcMessage m;
        while (!(m = alice.next()).command().equals("323")) {
            if (m.command().equals("322")) {
                all.add(m.param(1));
            }
        }
        assertThat(all).containsExactlyInAnyOrder("#one", "#three");
        alice.send("LIST <2");
        assertThat(alice.expect("322").param(1)).isEqualTo("#three");
        alice.expect("323");
        alice.send("LIST #one,#two");
        assertThat(alice.expect("322").params()).containsExactly("alice", "#one", "2", "");
        alice.expect("323");
    }

    // ---- users ----

    @Test
    void userQueriesUserhostIsonAwayAndModes() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        fx.register(s, "bob");
        oper(alice);
        alice.send("USERHOST alice");
        assertThat(alice.expect("302").last()).matches("alice\\*=\\+~alice@\\S+");
        alice.send("ISON nobody");
        assertThat(alice.expect("303").params()).containsExactly("alice", "");
        alice.send("AWAY :away now");
        assertThat(alice.expect("306").params()).containsExactly("alice", "You have been marked as being away");
        alice.send("AWAY");
        assertThat(alice.expect("305").params()).containsExactly("alice", "You are no longer marked as being away");
        alice.send("MODE alice");
        assertThat(alice.expect("221").param(1)).isEqualTo("+o");
        alice.send("MODE bob");
        assertThat(alice.expect("502").last()).isEqualTo("Can't view modes for other users");
        alice.send("MODE ghost");
        assertThat(alice.expect("401").param(1)).isEqualTo("ghost");
    }
}
