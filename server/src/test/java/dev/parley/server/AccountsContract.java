package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Accounts through every door (NickServ, SASL PLAIN, REGISTER, PASS), throttling, nick protection. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class AccountsContract extends EngineTestBase {
    AccountsContract(EngineKind engine) {
        super(engine);
    }

    private static IrcMessage nickServ(TestClient c) {
        return c.expect(m -> m.command().equals("NOTICE") && m.source() != null && m.source().startsWith("NickServ!"));
    }

    private TestClient registered(ParleyServer s, String nick, String password) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("PRIVMSG NickServ :REGISTER " + password);
        assertThat(nickServ(c).last()).contains("registered");
        c.expect("900");
        return c;
    }

    private static String plain(String account, String password) {
        return Base64.getEncoder().encodeToString(("\0" + account + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void nickServRegistersIdentifiesChangesPasswordAndDrops() throws IOException {
        ParleyServer s = start();
        TestClient alice = registered(s, "alice", "wonderland");
        alice.send("WHOIS alice");
        IrcMessage acct = alice.expect("330");
        assertThat(acct.params()).startsWith("alice", "alice", "alice");
        alice.send("PRIVMSG NickServ :LOGOUT");
        alice.expect("901");
        assertThat(nickServ(alice).last()).startsWith("This nickname is registered.");
        alice.send("PRIVMSG NickServ :IDENTIFY wrongpassword");
        assertThat(nickServ(alice).last()).isEqualTo("Invalid account or password.");
        alice.send("PRIVMSG NickServ :IDENTIFY wonderland");
        assertThat(nickServ(alice).last()).isEqualTo("You are now identified for alice.");
        assertThat(alice.expect("900").param(2)).isEqualTo("alice");
        alice.send("NS PASSWORD wonderland lookingglass");
        assertThat(nickServ(alice).last()).startsWith("Password changed.");
        alice.send("PRIVMSG NickServ :INFO alice");
        assertThat(nickServ(alice).last()).startsWith("Account alice, registered ");
        alice.send("QUIT");
        alice.expectClosed();

        TestClient again = fx.register(s, "alice2");
        again.send("PRIVMSG NickServ :IDENTIFY alice wonderland");
        assertThat(nickServ(again).last()).isEqualTo("Invalid account or password.");
        again.send("PRIVMSG NickServ :IDENTIFY alice lookingglass");
        assertThat(nickServ(again).last()).isEqualTo("You are now identified for alice.");
        again.send("PRIVMSG NickServ :DROP lookingglass");
        assertThat(nickServ(again).last()).isEqualTo("Account alice dropped.");
        again.send("PRIVMSG NickServ :INFO alice");
        assertThat(nickServ(again).last()).isEqualTo("alice is not registered.");
        again.send("PRIVMSG NickServ :HELP");
        assertThat(nickServ(again).last()).startsWith("NickServ keeps");
    }

    @Test
    void nickServRefusesWeakPasswordsAndTakenNames() throws IOException {
        ParleyServer s = start();
        registered(s, "alice", "wonderland");
        TestClient bob = fx.register(s, "bob");
        bob.send("PRIVMSG NickServ :REGISTER short");
        assertThat(nickServ(bob).last()).startsWith("Passwords need at least 8");
        bob.send("NICK NickServ");
        bob.expect("433");
    }

    @Test
    void saslPlainLogsInBeforeRegistration() throws IOException {
        ParleyServer s = start();
        registered(s, "carol", "sesame-street").send("QUIT");
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        assertThat(c.capLs()).contains("sasl=PLAIN").contains("draft/account-registration").contains("draft/chathistory");
        c.send("CAP REQ :sasl");
        c.expect("CAP");
        c.send("NICK carol2");
        c.send("USER carol 0 * :Carol");
        c.send("AUTHENTICATE DIGEST-MD5");
        assertThat(c.expect("908").param(1)).isEqualTo("PLAIN,EXTERNAL,SCRAM-SHA-256,IRCV3BEARER");
        c.expect("904");
        c.send("AUTHENTICATE PLAIN");
        assertThat(c.expect("AUTHENTICATE").params()).containsExactly("+");
        c.send("AUTHENTICATE *");
        c.expect("906");
        c.send("AUTHENTICATE PLAIN");
        c.expect("AUTHENTICATE");
        c.send("AUTHENTICATE " + plain("carol", "wrong-password"));
        c.expect("904");
        c.send("AUTHENTICATE PLAIN");
        c.expect("AUTHENTICATE");
        c.send("AUTHENTICATE " + plain("carol", "sesame-street"));
        IrcMessage in = c.expect("900");
        assertThat(in.param(2)).isEqualTo("carol");
        c.expect("903");
        c.send("AUTHENTICATE PLAIN");
        c.expect("907");
        c.send("CAP END");
        c.expect("001");
        c.send("WHOIS carol2");
        assertThat(c.expect("330").param(2)).isEqualTo("carol");
    }

    @Test
    void registerCommandCreatesAnAccountAndLogsIn() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        c.send("CAP REQ draft/account-registration");
        c.send("NICK dave");
        c.send("USER dave 0 * :Dave");
        c.expect(m -> is(m, "CAP", null, "ACK"));
        c.send("REGISTER * * tiny");
        assertThat(c.expect("FAIL").params()).startsWith("REGISTER", "WEAK_PASSWORD", "dave");
        c.send("REGISTER * dave@example.org correct-horse");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "dave");
        c.expect("900");
        c.send("CAP END");
        c.expect("001");
        TestClient other = fx.register(s, "eve");
        other.send("REGISTER dave * another-password");
        assertThat(other.expect("FAIL").params()).startsWith("REGISTER", "ACCOUNT_EXISTS", "dave");
    }

    @Test
    void passAccountColonPasswordLogsIn() throws IOException {
        ParleyServer s = start();
        registered(s, "frank", "frankly-speaking").send("QUIT");
        TestClient c = fx.connect(s);
        c.send("PASS frank:frankly-speaking");
        c.send("NICK frank2");
        c.send("USER frank 0 * :Frank");
        assertThat(c.expect("900").param(2)).isEqualTo("frank");
        c.expect("001");
        TestClient wrong = fx.connect(s);
        wrong.send("PASS frank:nope");
        wrong.send("NICK frank3");
        wrong.send("USER frank 0 * :Frank");
        assertThat(wrong.expect("NOTICE").last()).contains("PASS login failed");
        wrong.expect("001");
    }

    @Test
    void failedLoginsAreThrottledPerAccountAndAddress() throws IOException {
        ParleyServer s = start(config().loginMaxFailures(2).loginLockout(Duration.ofMinutes(5)));
        registered(s, "gina", "gina-password").send("QUIT");
        TestClient c = fx.register(s, "guess");
        c.send("PRIVMSG NickServ :IDENTIFY gina wrong1");
        assertThat(nickServ(c).last()).isEqualTo("Invalid account or password.");
        c.send("PRIVMSG NickServ :IDENTIFY gina wrong2");
        assertThat(nickServ(c).last()).isEqualTo("Invalid account or password.");
        c.send("PRIVMSG NickServ :IDENTIFY gina gina-password");
        assertThat(nickServ(c).last()).startsWith("Too many failed attempts. Try again in ");
        TestClient sameAddress = fx.register(s, "other");
        sameAddress.send("PRIVMSG NickServ :IDENTIFY gina gina-password");
        assertThat(nickServ(sameAddress).last()).startsWith("Too many failed attempts");
    }

    @Test
    void aSuccessfulLoginResetsTheFailureCount() throws IOException {
        ParleyServer s = start(config().loginMaxFailures(2).loginLockout(Duration.ofMinutes(5)));
        registered(s, "hank", "hank-password").send("QUIT");
        TestClient c = fx.register(s, "hank2");
        c.send("PRIVMSG NickServ :IDENTIFY hank wrong1");
        assertThat(nickServ(c).last()).isEqualTo("Invalid account or password.");
        c.send("PRIVMSG NickServ :IDENTIFY hank hank-password");
        assertThat(nickServ(c).last()).startsWith("You are now identified");
        c.send("PRIVMSG NickServ :LOGOUT");
        nickServ(c);
        c.send("PRIVMSG NickServ :IDENTIFY hank wrong2");
        assertThat(nickServ(c).last()).isEqualTo("Invalid account or password.");
    }

    @Test
    void aRegisteredNickIsProtected() throws IOException {
        ParleyServer s = start(config().nickProtectionGrace(Duration.ofMillis(300)));
        TestClient owner = registered(s, "ivy", "poison-ivy");
        owner.send("QUIT");
        owner.expectClosed();
        TestClient squatter = fx.connect(s);
        squatter.send("NICK ivy");
        squatter.send("USER x 0 * :not ivy");
        assertThat(nickServ(squatter).last()).startsWith("This nickname is registered.");
        IrcMessage renamed = squatter.expect("NICK");
        assertThat(renamed.source()).startsWith("ivy!");
        assertThat(renamed.param(0)).startsWith("Guest");
    }

    @Test
    void accountNotifyAndAccountTag() throws IOException {
        ParleyServer s = start();
        TestClient watcher = fx.connect(s);
        watcher.send("CAP LS 302");
        watcher.send("CAP REQ :account-notify account-tag extended-join");
        watcher.send("NICK watcher");
        watcher.send("USER w 0 * :W");
        watcher.send("CAP END");
        watcher.send("JOIN #acct");
        watcher.expect("366");
        TestClient jane = joined(s, "jane", "#acct");
        jane.send("PRIVMSG NickServ :REGISTER jane-password");
        IrcMessage account = watcher.expect("ACCOUNT");
        assertThat(account.source()).startsWith("jane!");
        assertThat(account.params()).containsExactly("jane");
        jane.send("PRIVMSG #acct :signed");
        assertThat(watcher.expect("PRIVMSG").tags()).containsEntry("account", "jane");
        jane.send("PART #acct");
        jane.send("JOIN #acct");
        assertThat(watcher.expect("JOIN").params()).containsExactly("#acct", "jane", "Test jane");
        jane.send("NS LOGOUT");
        assertThat(watcher.expect("ACCOUNT").params()).containsExactly("*");
    }

    @Test
    void aRenamedSquatterCannotTakeTheNickBack() throws IOException {
        ParleyServer s = start(config().nickProtectionGrace(Duration.ofMillis(300)));
        TestClient owner = registered(s, "ivy", "poison-ivy");
        owner.send("QUIT");
        owner.expectClosed(); // the nick is free once the server has handled the QUIT
        TestClient squatter = fx.connect(s);
        squatter.send("NICK ivy");
        squatter.send("USER x 0 * :not ivy");
        IrcMessage renamed = squatter.expect("NICK");
        assertThat(renamed.param(0)).startsWith("Guest");
        squatter.send("NICK ivy");
        assertThat(squatter.expect("433").last()).isEqualTo("Nickname is reserved by a different account");
    }

    @Test
    void theOwnerRegainsOrGhostsTheNick() throws IOException {
        ParleyServer s = start();
        TestClient first = registered(s, "ivy", "poison-ivy");
        first.send("QUIT");
        first.expectClosed(); // the nick is free once the server has handled the QUIT
        TestClient squatter2 = fx.register(s, "ivy");
        TestClient owner = fx.register(s, "ivy_");
        owner.send("PRIVMSG NickServ :REGAIN ivy poison-ivy");
        IrcMessage taken = owner.expect("NICK");
        assertThat(taken.source()).startsWith("ivy_!");
        assertThat(taken.param(0)).isEqualTo("ivy");
        assertThat(squatter2.expect("NICK").param(0)).startsWith("Guest");
        TestClient squatter3 = fx.register(s, "ivy_");
        owner.send("NICK ivy_away");
        owner.expect("NICK");
        TestClient squatter4 = fx.register(s, "ivy");
        owner.send("PRIVMSG NickServ :GHOST ivy");
        assertThat(squatter4.expect("ERROR").last()).contains("GHOST command used by ivy_away");
        squatter4.expectClosed();
        assertThat(squatter3.isClosed()).isFalse();
    }

    @Test
    void registerRefusesSomeoneElsesNickAndASecondAccount() throws IOException {
        ParleyServer s = start();
        fx.register(s, "bob");
        TestClient eve = fx.register(s, "eve");
        eve.send("REGISTER bob * stolen-password");
        assertThat(eve.expect("FAIL").params()).startsWith("REGISTER", "BAD_ACCOUNT_NAME", "bob");
        eve.send("REGISTER * * eves-password");
        assertThat(eve.expect("REGISTER").params()).startsWith("SUCCESS", "eve");
        eve.send("NS LOGOUT");
        eve.expect("901");
        eve.send("NICK eve2");
        eve.expect("NICK");
        eve.send("REGISTER * * eves-password");
        assertThat(eve.expect("FAIL").params()).startsWith("REGISTER", "TEMPORARILY_UNAVAILABLE", "eve2");
    }

    @Test
    void passwordChecksSayTryLaterWhenHashingIsFull() throws Exception {
        ParleyServer s = start(config().hashingThreads(1).hashingQueue(1));
        registered(s, "kim", "kim-password").send("QUIT");
        TestClient c = fx.register(s, "kim2");
        try (FullHashing full = FullHashing.of(s.hub().hashing(), 1)) {
            c.send("PRIVMSG NickServ :IDENTIFY kim kim-password");
            assertThat(nickServ(c).last()).isEqualTo("The server is busy. Try again later.");
            c.send("PING :still-here");
            assertThat(c.expect("PONG").last()).isEqualTo("still-here");
        }
        c.send("PRIVMSG NickServ :IDENTIFY kim kim-password");
        assertThat(nickServ(c).last()).isEqualTo("You are now identified for kim.");
    }
}
