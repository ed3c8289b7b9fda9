package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The account-registration policy (draft/account-registration): what the capability's value
 * advertises, and each FAIL REGISTER answer of the specification under the policy that calls
 * for it; NickServ REGISTER follows the same policy.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class RegistrationPolicyContract extends EngineTestBase {
    RegistrationPolicyContract(EngineKind engine) {
        super(engine);
    }

    /** The draft/account-registration token of CAP LS 302, with its value if any. */
    private String advertised(ParleyServer s) throws IOException {
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        String ls = c.capLs();
        c.close();
        return Arrays.stream(ls.split(" ")).filter(t -> t.startsWith("draft/account-registration"))
                .findFirst().orElseThrow();
    }

    private static String[] fail(TestClient c) {
        return c.expect("FAIL").params().toArray(String[]::new);
    }

    private static String nickServ(TestClient c) {
        return c.expect(m -> m.command().equals("NOTICE") && m.source() != null && m.source().startsWith("NickServ!")).last();
    }

    /** A client that has sent NICK and USER and holds CAP negotiation open (not yet welcomed). */
    private TestClient connecting(ParleyServer s, String nick) throws IOException {
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :" + nick);
        c.capLs();
        return c;
    }

    @Test
    void theDefaultPolicyAllowsEarlyRegistrationAndCustomNamesWithoutEmail() throws IOException {
        ParleyServer s = start();
        assertThat(advertised(s)).isEqualTo("draft/account-registration=before-connect,custom-account-name");
        TestClient c = connecting(s, "hana");
        c.send("REGISTER hanako * hana-password");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "hanako");
        c.send("REGISTER again * hana-password");
        assertThat(fail(c)).startsWith("REGISTER", "ALREADY_AUTHENTICATED");
        c.send("CAP END");
        c.expect("001");
    }

    @Test
    void registerBeforeNickNeedsANick() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("REGISTER * * some-password");
        assertThat(fail(c)).startsWith("REGISTER", "NEED_NICK", "*");
    }

    @Test
    void existingAndInvalidAccountNamesAreRefused() throws IOException {
        ParleyServer s = start();
        TestClient owner = fx.register(s, "ines");
        owner.send("REGISTER * * ines-password");
        owner.expect("REGISTER");
        TestClient other = fx.register(s, "other");
        other.send("REGISTER ines * another-password");
        assertThat(fail(other)).startsWith("REGISTER", "ACCOUNT_EXISTS", "ines");
        other.send("REGISTER 9lives * another-password");
        assertThat(fail(other)).startsWith("REGISTER", "BAD_ACCOUNT_NAME", "9lives");
    }

    @Test
    void aShortPasswordIsWeakAtTheConfiguredLength() throws IOException {
        ParleyServer s = start(config().minPasswordLength(12));
        TestClient c = fx.register(s, "jo");
        c.send("REGISTER * * elevenchars");
        String[] f = fail(c);
        assertThat(f).startsWith("REGISTER", "WEAK_PASSWORD", "jo");
        assertThat(f[f.length - 1]).contains("12");
        c.send("PRIVMSG NickServ :REGISTER elevenchars");
        assertThat(nickServ(c)).isEqualTo("Passwords need at least 12 characters.");
        c.send("REGISTER * * twelve-chars");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "jo");
        c.send("NS PASSWORD twelve-chars shortpass");
        assertThat(nickServ(c)).isEqualTo("Passwords need at least 12 characters.");
    }

    @Test
    void anEmailRequiredServerSaysSoAndRefusesRegistrationsWithoutOne() throws IOException {
        ParleyServer s = start(config().emailRequired(true));
        assertThat(advertised(s)).isEqualTo("draft/account-registration=before-connect,email-required,custom-account-name");
        TestClient c = fx.register(s, "kim");
        c.send("REGISTER * * kim-password");
        assertThat(fail(c)).startsWith("REGISTER", "INVALID_EMAIL", "kim");
        c.send("REGISTER * not-an-address kim-password");
        assertThat(fail(c)).startsWith("REGISTER", "INVALID_EMAIL", "kim");
        c.send("PRIVMSG NickServ :REGISTER kim-password");
        assertThat(nickServ(c)).startsWith("This server needs an e-mail address");
        c.send("REGISTER * kim@example.org kim-password");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "kim");
    }

    @Test
    void withoutEarlyRegistrationTheConnectionMustComplete() throws IOException {
        ParleyServer s = start(config().registerBeforeConnect(false));
        assertThat(advertised(s)).isEqualTo("draft/account-registration=custom-account-name");
        TestClient c = connecting(s, "lee");
        c.send("REGISTER * * lee-password");
        assertThat(fail(c)).startsWith("REGISTER", "COMPLETE_CONNECTION_REQUIRED");
        c.send("CAP END");
        c.expect("001");
        c.send("REGISTER * * lee-password");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "lee");
    }

    @Test
    void withoutCustomNamesTheAccountMustBeTheNick() throws IOException {
        ParleyServer s = start(config().customAccountName(false).registerBeforeConnect(false));
        assertThat(advertised(s)).isEqualTo("draft/account-registration");
        TestClient c = fx.register(s, "max");
        c.send("REGISTER maxwell * max-password");
        assertThat(fail(c)).startsWith("REGISTER", "ACCOUNT_NAME_MUST_BE_NICK", "maxwell");
        c.send("REGISTER MAX * max-password");
        assertThat(c.expect("REGISTER").params()).startsWith("SUCCESS", "MAX");
    }
}
