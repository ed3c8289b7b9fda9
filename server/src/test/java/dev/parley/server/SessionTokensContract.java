package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Session tokens: NickServ TOKENS NEW issues one, SASL IRCV3BEARER (type "session") logs in with
 * it on a new connection, TOKENS LIST and REVOKE manage them, a password change revokes them all,
 * and an expired one no longer logs in.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class SessionTokensContract extends EngineTestBase {
    SessionTokensContract(EngineKind engine) {
        super(engine);
    }

    /** A clock the test moves by hand. */
    static final class TestClock extends Clock {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private static String nickServ(TestClient c) {
        return c.expect(m -> m.command().equals("NOTICE") && m.source() != null && m.source().startsWith("NickServ!")).last();
    }

    private TestClient account(ParleyServer s, String nick, String password) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("REGISTER * * " + password);
        c.expect("900");
        return c;
    }

    private static String newToken(TestClient c) {
        c.send("NS TOKENS NEW");
        String text = nickServ(c);
        assertThat(text).startsWith("Session token for ");
        assertThat(nickServ(c)).startsWith("It expires in ");
        return text.substring(text.lastIndexOf(' ') + 1);
    }

    /** Logs in with {@code token} on a new connection: the 900 account, or null when refused (904). */
    private String loginWith(ParleyServer s, String nick, String token) throws IOException {
        TestClient c = fx.connect(s);
        c.send("CAP REQ sasl");
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick);
        c.send("AUTHENTICATE IRCV3BEARER");
        c.expect("AUTHENTICATE");
        c.send("AUTHENTICATE " + Base64.getEncoder().encodeToString(("\0session\0" + token).getBytes(StandardCharsets.UTF_8)));
        IrcMessage m = c.expect(x -> x.command().equals("900") || x.command().equals("904"));
        String account = m.command().equals("900") ? m.param(2) : null;
        c.send("CAP END");
        c.expect("001");
        c.close();
        return account;
    }

    @Test
    void aTokenLogsInOnANewConnectionUntilItIsRevoked() throws IOException {
        ParleyServer s = start();
        TestClient owner = account(s, "sam", "sam-password");
        String token = newToken(owner);
        assertThat(loginWith(s, "sam2", token)).isEqualTo("sam");
        assertThat(loginWith(s, "sam3", token + "x")).isNull();

        owner.send("NS TOKENS LIST");
        assertThat(nickServ(owner)).isEqualTo("Session tokens on sam:");
        String id = token.substring(0, token.indexOf('.'));
        assertThat(nickServ(owner)).startsWith(id + " issued ");
        assertThat(nickServ(owner)).isEqualTo("End of list (1).");
        owner.send("NS TOKENS REVOKE " + id);
        assertThat(nickServ(owner)).isEqualTo("Session token " + id + " revoked.");
        assertThat(loginWith(s, "sam4", token)).isNull();
    }

    @Test
    void revokeAllEndsEveryToken() throws IOException {
        ParleyServer s = start();
        TestClient owner = account(s, "tia", "tia-password");
        String first = newToken(owner);
        String second = newToken(owner);
        owner.send("NS TOKENS REVOKE ALL");
        assertThat(nickServ(owner)).isEqualTo("Revoked 2 session tokens.");
        assertThat(loginWith(s, "tia2", first)).isNull();
        assertThat(loginWith(s, "tia3", second)).isNull();
    }

    @Test
    void aPasswordChangeRevokesEveryToken() throws IOException {
        ParleyServer s = start();
        TestClient owner = account(s, "uma", "uma-password");
        String token = newToken(owner);
        owner.send("NS PASSWORD uma-password uma-new-password");
        assertThat(nickServ(owner)).startsWith("Password changed.");
        assertThat(loginWith(s, "uma2", token)).isNull();
        owner.send("NS TOKENS LIST");
        assertThat(nickServ(owner)).isEqualTo("No session tokens on uma.");
    }

    @Test
    void anExpiredTokenNoLongerLogsIn() throws IOException {
        TestClock clock = new TestClock();
        ParleyServer s = start(config().clock(clock).tokenLifetime(Duration.ofDays(7)));
        TestClient owner = account(s, "vic", "vic-password");
        String token = newToken(owner);
        clock.advance(Duration.ofDays(6));
        assertThat(loginWith(s, "vic2", token)).isEqualTo("vic");
        clock.advance(Duration.ofDays(2));
        assertThat(loginWith(s, "vic3", token)).isNull();
    }

    @Test
    void tokensNeedAnAccountAndCanBeTurnedOff() throws IOException {
        ParleyServer s = start(config().tokenLifetime(Duration.ZERO));
        TestClient stranger = fx.register(s, "wes");
        stranger.send("NS TOKENS NEW");
        assertThat(nickServ(stranger)).isEqualTo("You are not logged in.");
        TestClient owner = account(s, "xia", "xia-password");
        owner.send("NS TOKENS NEW");
        assertThat(nickServ(owner)).isEqualTo("Session tokens are turned off on this server.");
    }
}
