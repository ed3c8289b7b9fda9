package dev.parley.server.command;

import static dev.parley.server.ScramTestClient.b64;
import static dev.parley.server.ScramTestClient.unb64;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.ScramTestClient;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** SASL SCRAM-SHA-256 and EXTERNAL, NickServ CERT and WHOIS 276, driven with no socket. */
class SaslHandlersTest {
    private static final String OPER_HASH = PasswordHasher.hash("s3cret");
    private static final String FP_A = "ab".repeat(32);
    private static final String FP_B = "cd".repeat(32);
    private Embedded server;

    @BeforeEach
    void start() {
        server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL)
                .operators(List.of(new ServerConfig.Operator("root", OPER_HASH, List.of("*@*"), null)))
                .certsPerAccount(2)
                .build());
    }

    @AfterEach
    void tearDown() {
        server.close();
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

    private Embedded.Conn account(Embedded.Conn c, String nick, String password) {
        c.send("NICK " + nick, "USER " + nick + " 0 * :" + nick);
        c.take();
        c.send("PRIVMSG NickServ :REGISTER " + password);
        assertThat(nickServ(c)).contains("registered");
        return c;
    }

    private Embedded.Conn account(String nick, String password) {
        return account(server.connect(), nick, password);
    }

    /** Runs a SCRAM exchange up to the server's answer to client-final; returns that answer (AUTHENTICATE or 904). */
    private static IrcMessage scramUntilFinal(Embedded.Conn c, ScramTestClient client) throws Exception {
        c.send("AUTHENTICATE SCRAM-SHA-256");
        assertThat(c.expect("AUTHENTICATE").params()).containsExactly("+");
        c.send("AUTHENTICATE " + b64(client.clientFirst()));
        IrcMessage first = c.expect(m -> m.command().equals("AUTHENTICATE") || m.command().equals("904"), "server-first");
        if (!first.command().equals("AUTHENTICATE")) {
            return first;
        }
        c.send("AUTHENTICATE " + b64(client.clientFinal(unb64(first.param(0)))));
        return c.expect(m -> m.command().equals("AUTHENTICATE") || m.command().equals("904"), "server-final or 904");
    }

    private static void scramLogin(Embedded.Conn c, String user, String password) throws Exception {
        ScramTestClient client = new ScramTestClient(user, password, "fyko+d2lbbFgONRv9qkxdawL");
        IrcMessage last = scramUntilFinal(c, client);
        assertThat(last.command()).as("answer to client-final: " + last).isEqualTo("AUTHENTICATE");
        assertThat(client.serverFinalValid(unb64(last.param(0)))).as("the server's signature").isTrue();
        c.send("AUTHENTICATE +");
        List<String> after = Embedded.commands(c.take());
        assertThat(after).containsSequence("900", "903");
    }

    @Test
    void capAndUnknownMechanismsListAllThree() {
        Embedded.Conn c = server.connect();
        c.send("CAP LS 302");
        assertThat(c.take().stream().map(IrcMessage::last).toList())
                .anyMatch(l -> l.contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256"));
        c.send("AUTHENTICATE DIGEST-MD5");
        List<IrcMessage> out = c.take();
        assertThat(out.get(0).command()).isEqualTo("908");
        assertThat(out.get(0).param(1)).isEqualTo("PLAIN,EXTERNAL,SCRAM-SHA-256,IRCV3BEARER");
        assertThat(out.get(1).command()).isEqualTo("904");
    }

    @Test
    void scramLogsInBeforeRegistrationAndTheServerProvesItKnowsTheVerifier() throws Exception {
        account("alice", "correct-horse").send("QUIT");
        Embedded.Conn c = server.connect();
        c.send("CAP LS 302", "CAP REQ :sasl");
        c.take();
        scramLogin(c, "alice", "correct-horse");
        c.send("CAP END", "NICK alice", "USER a 0 * :A");
        assertThat(Embedded.commands(c.take())).contains("001");
        assertThat(c.client().account()).isEqualTo("alice");
    }

    @Test
    void aWrongProofFailsWith904AndCountsTowardTheLoginThrottle() throws Exception {
        account("bob", "bobs-password").send("QUIT");
        Embedded.Conn c = server.register("guesser");
        for (int i = 0; i < 5; i++) { // login-attempts defaults to 5
            IrcMessage answer = scramUntilFinal(c, new ScramTestClient("bob", "guess" + i, "nonce" + i));
            assertThat(answer.command()).isEqualTo("904");
            assertThat(c.client().account()).isNull();
        }
        // the address is locked out now, for SCRAM and PLAIN alike, even with the right password
        IrcMessage locked = scramUntilFinal(c, new ScramTestClient("bob", "bobs-password", "nonce"));
        assertThat(locked.command()).isEqualTo("904");
        assertThat(locked.last()).contains("too many failed attempts");
        c.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + b64("\0bob\0bobs-password"));
        assertThat(c.expect("904").last()).contains("too many failed attempts");
    }

    @Test
    void aMissingAccountLooksLikeAWrongPassword() throws Exception {
        Embedded.Conn c = server.register("nobody");
        IrcMessage answer = scramUntilFinal(c, new ScramTestClient("ghost", "whatever1", "n1"));
        assertThat(answer.command()).isEqualTo("904");
        assertThat(answer.last()).isEqualTo("SASL authentication failed");
    }

    @Test
    void channelBindingIsRefusedWithAClearMessage() {
        Embedded.Conn c = server.register("binder");
        c.send("AUTHENTICATE SCRAM-SHA-256", "AUTHENTICATE " + b64("p=tls-server-end-point,,n=binder,r=abc"));
        assertThat(c.expect("904").last()).contains("channel binding is not supported");
    }

    @Test
    void anAccountFromBeforeScramGainsAVerifierAtItsNextPlainLogin() throws Exception {
        account("carol", "carols-password").send("QUIT");
        server.store().updateScram("carol", null); // as registered before SCRAM existed
        Embedded.Conn first = server.register("c1");
        assertThat(scramUntilFinal(first, new ScramTestClient("carol", "carols-password", "n1")).command())
                .isEqualTo("904");

        Embedded.Conn plain = server.register("c2");
        plain.send("AUTHENTICATE PLAIN", "AUTHENTICATE " + b64("\0carol\0carols-password"));
        assertThat(Embedded.commands(plain.take())).contains("903");
        assertThat(server.store().findAccount("carol").orElseThrow().scram()).startsWith("SCRAM-SHA-256$");

        scramLogin(server.register("c3"), "carol", "carols-password");
    }

    @Test
    void aChangedPasswordChangesTheVerifier() throws Exception {
        Embedded.Conn e = account("erin", "firstpass");
        e.send("PRIVMSG NickServ :PASSWORD firstpass secondpass");
        assertThat(nickServ(e)).startsWith("Password changed.");
        assertThat(scramUntilFinal(server.register("e1"), new ScramTestClient("erin", "firstpass", "n")).command())
                .isEqualTo("904");
        scramLogin(server.register("e2"), "erin", "secondpass");
    }

    @Test
    void externalLogsInWithABoundCertificateAndFailsWithout() {
        Embedded.Conn owner = account(server.connectWithCert(FP_A), "frank", "franks-pw1");
        owner.send("PRIVMSG NickServ :CERT ADD");
        assertThat(nickServ(owner)).contains("added");

        Embedded.Conn withCert = server.connectWithCert(FP_A);
        withCert.send("CAP REQ :sasl", "AUTHENTICATE EXTERNAL");
        assertThat(withCert.expect("AUTHENTICATE").params()).containsExactly("+");
        withCert.send("AUTHENTICATE +");
        assertThat(Embedded.commands(withCert.take())).containsSequence("900", "903");
        assertThat(withCert.client().account()).isEqualTo("frank");

        Embedded.Conn named = server.connectWithCert(FP_A);
        named.send("AUTHENTICATE EXTERNAL", "AUTHENTICATE " + b64("frank"));
        assertThat(Embedded.commands(named.take())).contains("903");

        Embedded.Conn mismatch = server.connectWithCert(FP_A);
        mismatch.send("AUTHENTICATE EXTERNAL", "AUTHENTICATE " + b64("someone"));
        assertThat(mismatch.expect("904").last()).contains("not bound to the account someone");

        Embedded.Conn without = server.connect();
        without.send("AUTHENTICATE EXTERNAL", "AUTHENTICATE +");
        assertThat(without.expect("904").last()).contains("needs a client certificate");

        Embedded.Conn unbound = server.connectWithCert(FP_B);
        unbound.send("AUTHENTICATE EXTERNAL", "AUTHENTICATE +");
        assertThat(unbound.expect("904").last()).contains("no account has this client certificate");
    }

    @Test
    void certAddDelListValidateAndKeepFingerprintsUnique() {
        Embedded.Conn g = account(server.connectWithCert(FP_A), "gina", "ginas-pw1");
        g.send("PRIVMSG NickServ :CERT LIST");
        assertThat(nickServ(g)).isEqualTo("No certificates on gina.");
        g.send("PRIVMSG NickServ :CERT ADD not-a-fingerprint");
        assertThat(nickServ(g)).contains("64 hex digits");
        String colons = String.join(":", FP_B.toUpperCase().split("(?<=\\G..)"));
        g.send("PRIVMSG NickServ :CERT ADD " + colons);
        assertThat(nickServ(g)).isEqualTo("Certificate " + FP_B + " added to gina."
                + " Connect with it and use SASL EXTERNAL to log in.");
        g.send("PRIVMSG NickServ :CERT ADD");
        assertThat(nickServ(g)).contains("Certificate " + FP_A + " added");
        g.send("PRIVMSG NickServ :CERT ADD " + FP_A);
        assertThat(nickServ(g)).contains("already on your account");
        g.send("PRIVMSG NickServ :CERT ADD " + "ef".repeat(32));
        assertThat(nickServ(g)).contains("has 2 certificates already");
        g.send("PRIVMSG NickServ :CERT LIST");
        List<String> listed = nickServAll(g); // oldest first; two added in one millisecond by fingerprint
        assertThat(listed).hasSize(4).startsWith("Certificates on gina:").endsWith("End of list (2).")
                .contains(FP_A, FP_B);

        Embedded.Conn h = account("hank", "hanks-pw1");
        h.send("PRIVMSG NickServ :CERT ADD " + FP_A);
        assertThat(nickServ(h)).contains("bound to another account");
        h.send("PRIVMSG NickServ :CERT DEL " + FP_A);
        assertThat(nickServ(h)).contains("is not on your account");

        g.send("PRIVMSG NickServ :CERT DEL " + FP_B);
        assertThat(nickServ(g)).isEqualTo("Certificate " + FP_B + " removed from gina.");
        g.send("PRIVMSG NickServ :CERT LIST");
        assertThat(nickServAll(g)).containsExactly("Certificates on gina:", FP_A, "End of list (1).");

        Embedded.Conn stranger = server.register("stranger");
        stranger.send("PRIVMSG NickServ :CERT LIST");
        assertThat(nickServ(stranger)).isEqualTo("You are not logged in.");
    }

    @Test
    void whoisShowsTheFingerprintToItsOwnerAndOperatorsOnly() {
        Embedded.Conn ivy = server.connectWithCert(FP_A);
        ivy.send("NICK ivy", "USER ivy 0 * :Ivy");
        ivy.take();
        Embedded.Conn other = server.register("other");
        Embedded.Conn oper = server.register("oper");
        oper.send("OPER root s3cret");
        oper.take();

        ivy.send("WHOIS ivy");
        assertThat(ivy.expect("276").last()).isEqualTo("has client certificate fingerprint " + FP_A);
        oper.send("WHOIS ivy");
        assertThat(oper.expect("276").param(1)).isEqualTo("ivy");
        other.send("WHOIS ivy");
        assertThat(Embedded.commands(other.take())).contains("311", "318").doesNotContain("276");
        ivy.send("WHOIS other");
        assertThat(Embedded.commands(ivy.take())).contains("311").doesNotContain("276");
    }
}
