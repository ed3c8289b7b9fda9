package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 draft/read-marker: MARKREAD get and set, forward only, shared by an account's connections, sent on JOIN. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ReadMarkerContract extends EngineTestBase {
    private static final String T1 = "timestamp=2024-03-01T10:00:00.000Z";
    private static final String T2 = "timestamp=2024-03-01T10:05:30.250Z";

    ReadMarkerContract(EngineKind engine) {
        super(engine);
    }


    private static IrcMessage markread(TestClient c) {
        return c.expect("MARKREAD");
    }

    @Test
    void theCapabilityIsOffered() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        assertThat(c.capLs()).contains("draft/read-marker");
    }

    @Test
    void aMarkerIsUnsetThenSetThenReadBack() throws IOException {
        ParleyServer s = start();
        TestClient c = withCaps(s, "reader", "draft/read-marker");
        c.send("MARKREAD #news");
        assertThat(markread(c).params()).containsExactly("#news", "*");
        c.send("MARKREAD #news " + T1);
        assertThat(markread(c).params()).containsExactly("#news", T1);
        c.send("MARKREAD #NEWS");
        assertThat(markread(c).params()).containsExactly("#NEWS", T1);
        c.send("MARKREAD friend");
        assertThat(markread(c).params()).containsExactly("friend", "*");
    }

    @Test
    void theMarkerOnlyMovesForwardAndNeverPastThePresent() throws IOException {
        ParleyServer s = start();
        TestClient c = withCaps(s, "reader", "draft/read-marker");
        c.send("MARKREAD #news " + T2);
        assertThat(markread(c).params()).containsExactly("#news", T2);
        c.send("MARKREAD #news " + T1);
        assertThat(markread(c).params()).containsExactly("#news", T2);
        c.send("MARKREAD #news timestamp=2999-01-01T00:00:00.000Z");
        String clamped = markread(c).param(1);
        assertThat(Instant.parse(clamped.substring("timestamp=".length()))).isBefore(Instant.parse("2999-01-01T00:00:00Z"));
    }

    @Test
    void badRequestsFailAsTheExtensionSays() throws IOException {
        ParleyServer s = start();
        TestClient c = withCaps(s, "reader", "draft/read-marker");
        c.send("MARKREAD");
        assertThat(c.expect("FAIL").params()).startsWith("MARKREAD", "NEED_MORE_PARAMS");
        c.send("MARKREAD #news yesterday");
        assertThat(c.expect("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS");
        c.send("MARKREAD #news *");
        assertThat(c.expect("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS");
        c.send("MARKREAD #news timestamp=2024-13-45T99:00:00.000Z");
        assertThat(c.expect("FAIL").params()).startsWith("MARKREAD", "INVALID_PARAMS");
    }

    @Test
    void everyConnectionOfTheAccountHearsOfAMoveAndNobodyElseDoes() throws IOException {
        ParleyServer s = start();
        TestClient laptop = withCaps(s, "alice", "draft/read-marker");
        laptop.send("PRIVMSG NickServ :REGISTER wonderland");
        laptop.expect("900");
        TestClient phone = withCaps(s, "alice_phone", "draft/read-marker");
        phone.send("PRIVMSG NickServ :IDENTIFY alice wonderland");
        phone.expect("900");
        TestClient old = fx.register(s, "alice_old");
        old.send("PRIVMSG NickServ :IDENTIFY alice wonderland");
        old.expect("900");
        TestClient stranger = withCaps(s, "bob", "draft/read-marker");
        stranger.send("PRIVMSG NickServ :REGISTER bob-the-builder");
        stranger.expect("900");

        laptop.send("MARKREAD #news " + T1);
        assertThat(markread(laptop).params()).containsExactly("#news", T1);
        assertThat(markread(phone).params()).containsExactly("#news", T1);
        phone.send("MARKREAD #news");
        assertThat(markread(phone).params()).containsExactly("#news", T1);

        // no move: only the asker is answered
        phone.send("MARKREAD #news " + T1);
        assertThat(markread(phone).params()).containsExactly("#news", T1);
        assertThat(laptop.sync()).noneMatch(m -> m.command().equals("MARKREAD"));
        assertThat(old.sync()).noneMatch(m -> m.command().equals("MARKREAD"));
        assertThat(stranger.sync()).noneMatch(m -> m.command().equals("MARKREAD"));
        stranger.send("MARKREAD #news");
        assertThat(markread(stranger).params()).containsExactly("#news", "*");
    }

    @Test
    void aJoinTellsTheMarkerBeforeTheEndOfNames() throws IOException {
        ParleyServer s = start();
        TestClient c = withCaps(s, "reader", "draft/read-marker");
        c.send("JOIN #news");
        List<IrcMessage> burst = untilEndOfNames(c, "#news");
        assertThat(burst.get(0).command()).isEqualTo("JOIN");
        assertThat(burst).filteredOn(m -> m.command().equals("MARKREAD"))
                .singleElement().satisfies(m -> assertThat(m.params()).containsExactly("#news", "*"));

        c.send("MARKREAD #news " + T2);
        markread(c);
        c.send("PART #news");
        c.expect("PART");
        c.send("JOIN #news");
        assertThat(untilEndOfNames(c, "#news")).filteredOn(m -> m.command().equals("MARKREAD"))
                .singleElement().satisfies(m -> assertThat(m.params()).containsExactly("#news", T2));

        TestClient plain = fx.register(s, "plain");
        plain.send("JOIN #news");
        assertThat(untilEndOfNames(plain, "#news")).noneMatch(m -> m.command().equals("MARKREAD"));
    }

    /** The lines from now up to and including RPL_ENDOFNAMES for {@code channel}. */
    private static List<IrcMessage> untilEndOfNames(TestClient c, String channel) {
        List<IrcMessage> seen = new java.util.ArrayList<>();
        c.expect(m -> {
            seen.add(m);
            return is(m, "366", null, channel);
        });
        c.skipped().removeAll(seen);
        return seen;
    }
}
