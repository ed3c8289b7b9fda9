package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.FullHashing;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every door to a password, driven with no socket: the bounded hashing pool, throttles, limits, nick protection. */
class AccountHandlersTest {
    private static final String OPER_HASH = PasswordHasher.hash("s3cret");
    private Embedded server;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
    }

    private Embedded start(ServerConfig.Builder b) {
        server = new Embedded(b.build());
        return server;
    }

    private static ServerConfig.Builder config() {
        return ServerFixture.config(EngineKind.VIRTUAL)
                .operators(List.of(new ServerConfig.Operator("root", OPER_HASH, List.of("*@*"), null)));
    }

    private static String nickServ(Embedded.Conn c) {
        return c.expect(m -> m.command().equals("NOTICE") && m.source() != null && m.source().startsWith("NickServ!"),
                "a NickServ notice").last();
    }

    private static List<String> nickServAll(Embedded.Conn c) {
        return c.take().stream()
                .filter(m -> m.command().equals("NOTICE") && m.source() != null && m.source().startsWith("NickServ!"))
                .map(IrcMessage::last).toList();
    }

    private Embedded.Conn account(String nick, String password) {
        Embedded.Conn c = server.register(nick);
        c.send("PRIVMSG NickServ :REGISTER " + password);
        assertThat(nickServ(c)).contains("registered");
        return c;
    }

    private static String plain(String account, String password) {
        return Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void everyPasswordDoorSaysTryLaterWhenHashingIsFull() throws Exception {
        start(config().hashingThreads(1).hashingQueue(1));
        Embedded.Conn owner = account("owner", "owner-password");
        Embedded.Conn stranger = server.register("stranger");
        Embedded.Conn sasl = server.connect();
        sasl.send("CAP LS 302", "CAP REQ :sasl", "NICK sasl", "USER sasl 0 * :s");
        Embedded.Conn pass = server.connect();
        sasl.take();
        try (FullHashing full = FullHashing.of(server.hub().hashing(), 1)) {
            sasl.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + plain("owner", "owner-password"));
            assertThat(sasl.expect("904").last()).contains("busy");

            pass.send("PASS owner:owner-password", "NICK pass", "USER pass 0 * :p");
            assertThat(pass.expect("NOTICE").last()).contains("busy");

            stranger.send("PRIVMSG NickServ :IDENTIFY owner owner-password");
            assertThat(nickServ(stranger)).isEqualTo(NickServ.BUSY);
            stranger.send("PRIVMSG NickServ :REGISTER stranger-password");
            assertThat(nickServ(stranger)).isEqualTo(NickServ.BUSY);
            stranger.send("REGISTER * * stranger-password");
            assertThat(stranger.expect("FAIL").params()).startsWith("REGISTER", "TEMPORARILY_UNAVAILABLE", "stranger");
            stranger.send("OPER root s3cret");
            List<IrcMessage> oper = stranger.take();
            assertThat(oper).extracting(IrcMessage::command).doesNotContain("381", "464");
            assertThat(oper).filteredOn(m -> m.command().equals("NOTICE")).singleElement()
                    .satisfies(m -> assertThat(m.last()).contains("busy"));
            stranger.send("PRIVMSG NickServ :GHOST owner owner-password");
            assertThat(nickServ(stranger)).isEqualTo(NickServ.BUSY);

            owner.send("PRIVMSG NickServ :PASSWORD owner-password new-password");
            assertThat(nickServ(owner)).isEqualTo(NickServ.BUSY);
            owner.send("PRIVMSG NickServ :DROP owner-password");
            assertThat(nickServ(owner)).isEqualTo(NickServ.BUSY);
        }
        assertThat(server.hub().accounts().exists("stranger")).isFalse();
        assertThat(server.hub().accounts().exists("owner")).isTrue();
        stranger.send("PRIVMSG NickServ :IDENTIFY owner owner-password");
        assertThat(nickServ(stranger)).isEqualTo("You are now identified for owner.");
    }

    @Test
    void aStrangerGuessingFromOneAddressDoesNotLockOutTheOwner() {
        start(config().loginMaxFailures(3));
        account("owner", "owner-password").send("QUIT");
        Embedded.Conn stranger = server.register("stranger");
        for (int i = 0; i < 3; i++) {
            stranger.send("PRIVMSG NickServ :IDENTIFY owner guess" + i);
            assertThat(nickServ(stranger)).isEqualTo("Invalid account or password.");
        }
        stranger.send("PRIVMSG NickServ :IDENTIFY owner owner-password");
        assertThat(nickServ(stranger)).startsWith("Too many failed attempts");
        Embedded.Conn owner = server.register("owner2");
        owner.send("PRIVMSG NickServ :IDENTIFY owner owner-password");
        assertThat(nickServ(owner)).isEqualTo("You are now identified for owner.");
    }

    @Test
    void operIsThrottledPerAddress() {
        start(config().loginMaxFailures(2));
        Embedded.Conn guesser = server.register("guesser");
        guesser.send("OPER root wrong");
        guesser.expect("464");
        guesser.send("OPER nobody wrong");
        guesser.expect("491");
        guesser.send("OPER root s3cret");
        List<IrcMessage> refused = guesser.take();
        assertThat(refused).extracting(IrcMessage::command).doesNotContain("381");
        assertThat(refused).filteredOn(m -> m.command().equals("NOTICE")).singleElement()
                .satisfies(m -> assertThat(m.last()).startsWith("OPER refused: too many failed attempts"));
        Embedded.Conn oper = server.register("oper");
        oper.send("OPER root s3cret");
        oper.expect("381");
    }

    @Test
    void accountsPerAddressArelimitedInAWindow() throws Exception {
        start(config().accountsPerAddress(2));
        InetAddress from = InetAddress.getByName("10.1.2.3");
        for (String nick : List.of("one", "two", "three")) {
            Embedded.Conn c = server.connect(from);
            c.send("NICK " + nick, "USER " + nick + " 0 * :x");
            c.send("PRIVMSG NickServ :REGISTER " + nick + "-password");
            String answer = nickServ(c);
            if (nick.equals("three")) {
                assertThat(answer).startsWith("Too many accounts registered from your address. Try again in ");
                c.send("REGISTER * * three-password");
                assertThat(c.expect("FAIL").params()).startsWith("REGISTER", "TEMPORARILY_UNAVAILABLE", "three");
            } else {
                assertThat(answer).isEqualTo("Account " + nick + " registered. You are now logged in.");
            }
        }
        assertThat(server.hub().accounts().exists("three")).isFalse();
        account("four", "four-password"); // another address
    }

    @Test
    void oneConnectionRegistersOneAccount() {
        start(config());
        Embedded.Conn c = server.register("first");
        c.send("REGISTER * * first-password");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "first");
        c.send("PRIVMSG NickServ :LOGOUT", "NICK second");
        c.take();
        c.send("REGISTER * * second-password");
        assertThat(c.expect("FAIL").params()).startsWith("REGISTER", "TEMPORARILY_UNAVAILABLE", "second");
        c.send("PRIVMSG NickServ :REGISTER second-password");
        assertThat(nickServ(c)).startsWith("One account per connection");
        assertThat(server.hub().accounts().exists("second")).isFalse();
    }

    @Test
    void registerRefusesANameSomeoneElseIsUsing() {
        start(config());
        server.register("bob");
        Embedded.Conn eve = server.register("eve");
        eve.send("REGISTER bob * stolen-password");
        assertThat(eve.expect("FAIL").params()).startsWith("REGISTER", "BAD_ACCOUNT_NAME", "bob");
        assertThat(server.hub().accounts().exists("bob")).isFalse();
        eve.send("REGISTER nobody * fine-password");
        assertThat(eve.expect("REGISTER").params()).startsWith("SUCCESS", "nobody");
    }

    @Test
    void nickRefusesSomeoneElsesRegisteredNick() {
        start(config());
        Embedded.Conn owner = account("ivy", "poison-ivy");
        owner.send("NICK ivy_away");
        owner.take();
        Embedded.Conn squatter = server.register("squatter");
        squatter.send("NICK ivy");
        IrcMessage refused = squatter.expect("433");
        assertThat(refused.params()).contains("ivy");
        assertThat(refused.last()).isEqualTo("Nickname is reserved by a different account");
        assertThat(squatter.client().nick()).isEqualTo("squatter");
        owner.send("NICK Ivy");
        assertThat(owner.client().nick()).isEqualTo("Ivy");
    }

    @Test
    void ghostDisconnectsAndRegainTakesTheNickBack() {
        start(config());
        account("ivy", "poison-ivy").send("QUIT");
        Embedded.Conn squatter = server.register("ivy");
        Embedded.Conn owner = server.register("ivy2");
        owner.send("PRIVMSG NickServ :REGAIN ivy");
        assertThat(nickServ(owner)).startsWith("You are not logged in to ivy.");
        owner.send("PRIVMSG NickServ :REGAIN ivy wrong-password");
        assertThat(nickServ(owner)).isEqualTo("Invalid account or password.");
        owner.send("PRIVMSG NickServ :REGAIN ivy poison-ivy");
        assertThat(nickServAll(owner)).contains("You have regained ivy.");
        assertThat(owner.client().nick()).isEqualTo("ivy");
        assertThat(owner.client().account()).isEqualTo("ivy");
        assertThat(squatter.client().nick()).startsWith("Guest");
        IrcMessage renamed = squatter.expect("NICK");
        assertThat(renamed.source()).startsWith("ivy!");

        squatter.send("NICK ivy");
        squatter.expect("433");
        owner.send("NICK ivy_");
        Embedded.Conn again = server.register("ivy");
        owner.send("PRIVMSG NickServ :GHOST ivy");
        assertThat(nickServ(owner)).isEqualTo("ivy has been ghosted.");
        assertThat(again.client().isClosing()).isTrue();
        owner.send("NICK ivy");
        assertThat(owner.client().nick()).isEqualTo("ivy");
        owner.send("PRIVMSG NickServ :GHOST nobody");
        assertThat(nickServ(owner)).isEqualTo("nobody is not a registered nickname.");
    }

    @Test
    void aProtectionRenameRacingALoginOrANickChangeDoesNothing() {
        start(config());
        Embedded.Conn c = server.register("alice");
        var hub = server.hub();
        hub.apply(new dev.parley.server.core.Change.Account(c.client(), "alice"));
        assertThat(hub.apply(new dev.parley.server.core.Change.Nick(c.client(), "Guest11111", "alice", true)))
                .as("logged in to alice meanwhile").isEqualTo(dev.parley.server.core.Change.NickResult.UNCHANGED);
        assertThat(c.client().nick()).isEqualTo("alice");

        Embedded.Conn d = server.register("bob");
        d.send("NICK robert");
        assertThat(hub.apply(new dev.parley.server.core.Change.Nick(d.client(), "Guest22222", "bob", true)))
                .as("no longer bob").isEqualTo(dev.parley.server.core.Change.NickResult.UNCHANGED);
        assertThat(d.client().nick()).isEqualTo("robert");
        assertThat(hub.apply(new dev.parley.server.core.Change.Nick(d.client(), "Guest22222", "Robert", true)))
                .as("still robert, not logged in: renamed").isEqualTo(dev.parley.server.core.Change.NickResult.CHANGED);
    }
}
