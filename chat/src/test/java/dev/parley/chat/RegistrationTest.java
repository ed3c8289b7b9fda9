package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Capability negotiation, SASL and registration against a scripted server. */
class RegistrationTest {
    private final FakeServer server;
    private PlainSession chat;

    RegistrationTest() throws Exception {
        server = new FakeServer();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (chat != null) {
            chat.close();
        }
        server.close();
    }

    private PlainSession withAccount() throws Exception {
        return PlainSession.startWithEnv(Map.of("PW", "secret"), server.address(), "--nick", "alice",
                "--account", "alice", "--password-env", "PW");
    }

    @Test
    void requestsOnlyOfferedCapabilitiesAndLogsInWithSasl() throws Exception {
        chat = withAccount();
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS * :multi-prefix server-time sasl=PLAIN,EXTERNAL",
                ":fake CAP * LS :echo-message batch away-notify");
        assertThat(server.next()).isEqualTo("CAP REQ :server-time echo-message batch away-notify sasl");
        server.send(":fake CAP * ACK :server-time echo-message batch away-notify sasl");
        assertThat(server.next()).isEqualTo("AUTHENTICATE PLAIN");
        server.send("AUTHENTICATE +");
        String payload = Base64.getEncoder().encodeToString("\0alice\0secret".getBytes(StandardCharsets.UTF_8));
        assertThat(server.next()).isEqualTo("AUTHENTICATE " + payload);
        server.send(":fake 900 alice alice!a@h alice :You are now logged in as alice",
                ":fake 903 alice :SASL authentication successful");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.expect("-- capabilities: server-time echo-message batch away-notify sasl");
        chat.expect("-- logged in as alice (SASL)");

        chat.type("/msg bob hey");
        server.expect("PRIVMSG bob :hey");
        server.send(":alice!a@h PRIVMSG bob :hey", ":bob!b@h PRIVMSG alice :hi back");
        chat.expect("[PM] <bob> hi back");
        assertThat(chat.output()).containsOnlyOnce("[PM -> bob] <alice> hey");
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ"));
    }

    @Test
    void serverWithoutSaslNeverGetsThePassword() throws Exception {
        chat = withAccount();
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.type("/join #a");
        assertThat(server.next()).isEqualTo("JOIN #a");
        chat.expect("! not logged in as alice: the server offers no SASL PLAIN, and the password is not sent to"
                + " NickServ, since without SASL anyone could hold that nick; --nickserv-fallback sends it anyway");
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ") || l.contains("secret"));
    }

    @Test
    void saslWithoutPlainSendsNoPassword() throws Exception {
        chat = withAccount();
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :sasl=EXTERNAL server-time");
        assertThat(server.next()).isEqualTo("CAP REQ server-time");
        server.send(":fake CAP * ACK server-time");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.type("/join #a");
        assertThat(server.next()).isEqualTo("JOIN #a");
        chat.expect(l -> l.startsWith("! not logged in as alice: the server offers no SASL PLAIN"));
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ") || l.contains("secret"));
    }

    @Test
    void serverThatSkipsCapAndSaslSendsNoPassword() throws Exception {
        chat = withAccount();
        server.accept().expectRegistration("alice");
        server.welcome("alice"); // no CAP LS reply at all
        chat.type("/join #a");
        assertThat(server.next()).isEqualTo("JOIN #a");
        chat.expect(l -> l.startsWith("! not logged in as alice: the server offers no SASL PLAIN"));
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ") || l.contains("secret"));
    }

    @Test
    void nickServFallbackIsSentOnlyWhenAskedFor() throws Exception {
        chat = PlainSession.startWithEnv(Map.of("PW", "secret"), server.address(), "--nick", "alice",
                "--account", "alice", "--password-env", "PW", "--nickserv-fallback");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        assertThat(server.next()).isEqualTo("PRIVMSG NickServ :IDENTIFY alice secret");
        chat.expect(l -> l.startsWith("-- server has no SASL PLAIN; identifying to NickServ as alice (--nickserv-fallback"));
    }

    @Test
    void nickServFallbackIsNotUsedWhenSaslIsThere() throws Exception {
        chat = PlainSession.startWithEnv(Map.of("PW", "secret"), server.address(), "--nick", "alice",
                "--account", "alice", "--password-env", "PW", "--nickserv-fallback");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :sasl");
        assertThat(server.next()).isEqualTo("CAP REQ sasl");
        server.send(":fake CAP * ACK :sasl");
        assertThat(server.next()).isEqualTo("AUTHENTICATE PLAIN");
        server.send("AUTHENTICATE +");
        server.next();
        server.send(":fake 903 alice :SASL authentication successful");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.expect("-- logged in as alice (SASL)");
        chat.type("/join #a");
        server.expect("JOIN #a");
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ"));
    }

    @Test
    void failedSaslIsReportedAndRegistrationGoesOn() throws Exception {
        chat = withAccount();
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :sasl");
        assertThat(server.next()).isEqualTo("CAP REQ sasl");
        server.send(":fake CAP * ACK :sasl");
        assertThat(server.next()).isEqualTo("AUTHENTICATE PLAIN");
        server.send("AUTHENTICATE +");
        server.next();
        server.send(":fake 904 alice :SASL authentication failed");
        chat.expect("! SASL PLAIN login failed: SASL authentication failed");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.type("/join #a");
        server.expect("JOIN #a");
        assertThat(server.received()).noneMatch(l -> l.contains("NickServ"));
    }

    @Test
    void serverThatDoesNotKnowCapStillRegisters() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice", "--join", "#old");
        server.accept().expectRegistration("alice");
        server.send(":fake 421 * CAP :Unknown command");
        server.welcome("alice");
        server.expect("JOIN #old");
        assertThat(server.received()).doesNotContain("CAP END");
    }

    @Test
    void inputThatEndsBeforeTheConnectionIsUpIsStillSentThenQuits() throws Exception {
        chat = PlainSession.startWithScript("/join #s\nhello\n/nick bot2\nhello again\n", server.address(),
                "--nick", "bot", "--join", "#first");
        server.accept().expectRegistration("bot");
        server.send(":fake CAP * LS :");
        server.expect("CAP END");
        server.welcome("bot");
        assertThat(server.next()).isEqualTo("JOIN #first");
        assertThat(server.next()).isEqualTo("JOIN #s");
        assertThat(server.next()).isEqualTo("PRIVMSG #s :hello");
        assertThat(server.next()).isEqualTo("NICK bot2");
        assertThat(server.next()).isEqualTo("PRIVMSG #s :hello again");
        assertThat(server.next()).isEqualTo("QUIT");
        server.close();
        assertThat(chat.awaitExit()).isZero();
    }

    @Test
    void linesTypedBeforeTheWelcomeGoToTheJoinChannel() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "bot", "--join", "#first");
        chat.type("early bird");
        server.accept().expectRegistration("bot");
        server.send(":fake CAP * LS :");
        server.expect("CAP END");
        server.welcome("bot");
        assertThat(server.next()).isEqualTo("JOIN #first");
        assertThat(server.next()).isEqualTo("PRIVMSG #first :early bird");
    }

    @Test
    void aSilentServerIsPingedThenDroppedAndReconnectedTo() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice", "--join", "#c", "--ping-interval", "0.3",
                "--reconnect-delay", "0.05", "--reconnect-max-delay", "0.1");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        server.welcome("alice");
        server.expect("JOIN #c");
        server.send(":alice!a@h JOIN #c");
        server.expect("PING parley-keepalive"); // and then no answer
        chat.expect("-- disconnected: no reply from the server for 0.6 s");
        chat.expect(l -> l.startsWith("-- reconnecting in "));
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        server.welcome("alice");
        server.expect("JOIN #c");
    }

    @Test
    void takenNickIsRetriedWithAnother() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :", ":fake 433 * alice :Nickname is already in use");
        server.expect("NICK alice_");
        server.welcome("alice_");
        chat.expect("-- nick alice is taken; trying alice_");
        server.send(":fake PING :tok42");
        server.expect("PONG tok42");
    }

    @Test
    void replayedHistoryIsShownAsHistoryWithItsServerTime() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice", "--join", "#chan");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :batch server-time message-tags");
        assertThat(server.next()).isEqualTo("CAP REQ :server-time batch message-tags");
        server.send(":fake CAP * ACK :server-time batch message-tags");
        server.expect("CAP END");
        server.welcome("alice");
        server.expect("JOIN #chan");
        server.send(":alice!a@h JOIN #chan",
                ":fake BATCH +h1 chathistory #chan",
                "@batch=h1;time=2020-01-02T03:04:05.000Z :bob!b@h PRIVMSG #chan :old news",
                ":fake BATCH -h1",
                "@time=2030-01-02T03:04:05.000Z;+example/tag=x :bob!b@h PRIVMSG #chan :fresh news");
        String stamp = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault())
                .format(Instant.parse("2020-01-02T03:04:05Z"));
        chat.expect("* alice joined #chan");
        chat.expect("-- history of #chan follows");
        chat.expect("[#chan] (history " + stamp + ") <bob> old news");
        chat.expect("-- end of history of #chan (1 line)");
        chat.expect("[#chan] <bob> fresh news");
    }

    @Test
    void awayNotifyAndNamesAreShown() throws Exception {
        chat = PlainSession.start(server.address(), "--nick", "alice", "--join", "#chan");
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :away-notify");
        server.expect("CAP REQ away-notify");
        server.send(":fake CAP * ACK away-notify");
        server.expect("CAP END");
        server.welcome("alice");
        server.expect("JOIN #chan");
        server.send(":alice!a@h JOIN #chan", ":fake 353 alice = #chan :@alice +bob carol",
                ":fake 366 alice #chan :End of /NAMES list.", ":bob!b@h AWAY :lunch", ":bob!b@h AWAY");
        chat.expect("* #chan: @alice +bob carol");
        chat.expect("* bob is away: lunch");
        chat.expect("* bob is back");
    }
}
