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

/** IRCv3 account-extban: ISUPPORT EXTBAN=$,a and ACCOUNTEXTBAN=a; +b and +I entries $a:<account>. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class AccountExtbanContract extends EngineTestBase {
    AccountExtbanContract(EngineKind engine) {
        super(engine);
    }

    /** A registered client logged in to a new account named as its nick. */
    private TestClient loggedIn(ParleyServer s, String nick) throws IOException {
        TestClient c = fx.register(s, nick);
        c.send("PRIVMSG NickServ :REGISTER " + nick + "-password");
        c.expect("900");
        return c;
    }

    private static boolean joinedOrRefused(IrcMessage m) {
        return m.command().equals("JOIN") || m.command().equals("474") || m.command().equals("473");
    }

    @Test
    void isupportNamesThePrefixAndTheAccountType() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("NICK isu");
        c.send("USER isu 0 * :I");
        List<String> tokens = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.expect(x -> x.command().equals("005") || x.command().equals("251"))).command().equals("251")) {
            tokens.addAll(m.params().subList(1, m.paramCount() - 1));
        }
        assertThat(tokens).contains("EXTBAN=$,a", "ACCOUNTEXTBAN=a");
    }

    @Test
    void anAccountBanKeepsOutThatAccountOnlyWhateverItsCase() throws IOException {
        ParleyServer s = start();
        TestClient op = joined(s, "op", "#ext");
        op.send("MODE #ext +b $a:BOB");
        assertThat(op.expect("MODE").params()).containsExactly("#ext", "+b", "$a:BOB");
        op.send("MODE #ext b");
        assertThat(op.expect("367").param(2)).isEqualTo("$a:BOB");
        op.expect("368");

        TestClient bob = loggedIn(s, "bob");
        bob.send("JOIN #ext");
        assertThat(bob.expect(AccountExtbanContract::joinedOrRefused).params()).startsWith("bob", "#ext");
        TestClient guest = fx.register(s, "guest");
        guest.send("JOIN #ext");
        assertThat(guest.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("JOIN");
        TestClient carol = loggedIn(s, "carol");
        carol.send("JOIN #ext");
        assertThat(carol.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("JOIN");

        bob.send("NS LOGOUT");
        bob.expect("901");
        bob.send("JOIN #ext");
        assertThat(bob.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("JOIN");
    }

    @Test
    void anAccountInviteExceptionLetsThatAccountIntoAnInviteOnlyChannel() throws IOException {
        ParleyServer s = start();
        TestClient op = joined(s, "op", "#inv");
        op.send("MODE #inv +iI $a:dave");
        assertThat(op.expect("MODE").params()).containsExactly("#inv", "+iI", "$a:dave");
        TestClient stranger = fx.register(s, "dave");
        stranger.send("JOIN #inv");
        assertThat(stranger.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("473");
        TestClient other = loggedIn(s, "erin");
        other.send("JOIN #inv");
        assertThat(other.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("473");
        stranger.send("PRIVMSG NickServ :REGISTER dave-password");
        stranger.expect("900");
        stranger.send("JOIN #inv");
        assertThat(stranger.expect(AccountExtbanContract::joinedOrRefused).command()).isEqualTo("JOIN");
    }

    @Test
    void anAccountBanAlsoSilencesAMemberAndUnknownTypesAreRefused() throws IOException {
        ParleyServer s = start();
        TestClient op = joined(s, "op", "#quiet");
        TestClient fay = loggedIn(s, "fay");
        fay.send("JOIN #quiet");
        fay.expect("366");
        op.send("MODE #quiet +b $a:fay");
        op.expect("MODE");
        fay.expect("MODE");
        fay.send("PRIVMSG #quiet :hello");
        assertThat(fay.expect("404").last()).contains("+b");
        op.send("MODE #quiet +b $z:whatever");
        assertThat(op.expect("696").params()).startsWith("op", "#quiet", "b", "$z:whatever");
        op.send("MODE #quiet -b $a:FAY");
        assertThat(op.expect("MODE").params()).startsWith("#quiet", "-b");
        op.send("MODE #quiet b");
        assertThat(op.expect(m -> m.command().equals("367") || m.command().equals("368")).command()).isEqualTo("368");
    }
}
