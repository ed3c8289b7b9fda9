package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 no-implicit-names: with the capability, a JOIN brings no NAMES reply; NAMES still answers. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class NoImplicitNamesContract extends EngineTestBase {
    NoImplicitNamesContract(EngineKind engine) {
        super(engine);
    }


    /** The numerics among everything received until a PING's PONG. */
    private static List<String> numerics(TestClient c) {
        return c.sync().stream().map(IrcMessage::command).filter(x -> x.matches("\\d{3}")).toList();
    }

    @Test
    void capLsOffersBothNames() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        List<String> offered = Arrays.asList(c.capLs().split(" "));
        assertThat(offered).contains("draft/no-implicit-names", "no-implicit-names");
    }

    @Test
    void aJoinWithTheCapBringsNoNamesAndAnExplicitNamesStillAnswers() throws IOException {
        ParleyServer s = start();
        joined(s, "first", "#quiet");
        TestClient quiet = withCaps(s, "quiet", "draft/no-implicit-names");
        quiet.send("JOIN #quiet");
        assertThat(quiet.expect("JOIN").params()).containsExactly("#quiet");
        assertThat(numerics(quiet)).doesNotContain("353", "366");
        quiet.send("NAMES #quiet");
        IrcMessage names = quiet.expect("353");
        assertThat(names.last().split(" ")).contains("@first", "quiet");
        quiet.expect("366");
    }

    @Test
    void theRatifiedNameDoesTheSame() throws IOException {
        ParleyServer s = start();
        TestClient quiet = withCaps(s, "quiet", "no-implicit-names");
        quiet.send("JOIN #a,#b");
        quiet.expect(m -> is(m, "JOIN", "#b"));
        assertThat(numerics(quiet)).doesNotContain("353", "366");
    }

    @Test
    void withoutTheCapAJoinStillBringsNames() throws IOException {
        ParleyServer s = start();
        TestClient plain = fx.register(s, "plain");
        plain.send("JOIN #loud");
        plain.expect("JOIN");
        assertThat(plain.expect("353").last()).isEqualTo("@plain");
        plain.expect("366");
    }
}
