package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.service.PasswordHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server password ({@code --server-password-hash}): only a client that sends the right PASS
 * before registering gets in; the others are told 464 and disconnected, SASL or not.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ServerPasswordContract extends EngineTestBase {
    private static final String HASH = PasswordHasher.hash("members-only-42");

    ServerPasswordContract(EngineKind engine) {
        super(engine);
    }

    private ParleyServer startWithPassword() throws IOException {
        return start(config().serverPasswordHash(HASH));
    }

    private static void refused(TestClient c) {
        IrcMessage m = c.expect(x -> x.command().equals("464") || x.command().equals("001"));
        assertThat(m.command()).isEqualTo("464");
        assertThat(c.expect("ERROR").last()).contains("Bad password");
        c.expectClosed();
    }

    @Test
    void theRightPassLetsAClientIn() throws IOException {
        ParleyServer s = startWithPassword();
        TestClient c = fx.connect(s);
        c.send("PASS members-only-42");
        c.send("NICK nora");
        c.send("USER nora 0 * :Nora");
        c.expect("001");
    }

    @Test
    void aWrongPassIsRefusedAndDisconnected() throws IOException {
        ParleyServer s = startWithPassword();
        TestClient c = fx.connect(s);
        c.send("PASS members-only-43");
        c.send("NICK oscar");
        c.send("USER oscar 0 * :Oscar");
        refused(c);
    }

    @Test
    void noPassIsRefusedAndDisconnected() throws IOException {
        ParleyServer s = startWithPassword();
        TestClient c = fx.connect(s);
        c.send("NICK pia");
        c.send("USER pia 0 * :Pia");
        refused(c);
    }

    @Test
    void aSaslLoginDoesNotReplaceThePass() throws IOException {
        ParleyServer s = startWithPassword();
        TestClient owner = fx.connect(s);
        owner.send("PASS members-only-42");
        owner.send("NICK quinn");
        owner.send("USER quinn 0 * :Quinn");
        owner.expect("001");
        owner.send("REGISTER * * quinn-password");
        owner.expect("REGISTER");
        owner.send("QUIT");

        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        assertThat(c.capLs()).contains("draft/account-registration").doesNotContain("before-connect");
        c.send("CAP REQ sasl");
        c.send("NICK quinn2");
        c.send("USER quinn 0 * :Quinn");
        c.send("REGISTER other * other-password");
        assertThat(c.expect("FAIL").params()).startsWith("REGISTER", "COMPLETE_CONNECTION_REQUIRED");
        c.send("AUTHENTICATE PLAIN");
        c.expect("AUTHENTICATE");
        c.send("AUTHENTICATE " + Base64.getEncoder().encodeToString("\0quinn\0quinn-password".getBytes(StandardCharsets.UTF_8)));
        c.expect("903");
        c.send("CAP END");
        refused(c);
    }

    @Test
    void withAServerPasswordPassIsNotAnAccountLogin() throws IOException {
        ParleyServer s = startWithPassword();
        TestClient c = fx.connect(s);
        c.send("PASS rita:rita-password");
        c.send("NICK rita");
        c.send("USER rita 0 * :Rita");
        refused(c);
    }
}
