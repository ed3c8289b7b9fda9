package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 draft/message-redaction: who may REDACT, who hears of it, and that history forgets the message. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class RedactionContract extends EngineTestBase {
    private static final String CAPS = "draft/message-redaction message-tags echo-message batch server-time draft/chathistory";

    RedactionContract(EngineKind engine) {
        super(engine);
    }


    private static TestClient in(TestClient c, String channel) {
        c.send("JOIN " + channel);
        c.expect(m -> is(m, "366", null, channel));
        return c;
    }

    /** {@code from} says {@code text} in {@code channel}; returns its msgid as {@code witness} saw it. */
    private static String say(TestClient from, TestClient witness, String channel, String text) {
        from.send("PRIVMSG " + channel + " :" + text);
        return witness.expect(m -> is(m, "PRIVMSG", channel) && m.last().equals(text)).tags().get("msgid");
    }

    private static List<String> latest(TestClient c, String target) {
        c.send("CHATHISTORY LATEST " + target + " * 50");
        IrcMessage start = c.expect(m -> m.command().equals("BATCH") && m.param(0).startsWith("+"));
        List<String> bodies = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.next()).command().equals("BATCH")) {
            bodies.add(m.last());
        }
        assertThat(m.param(0)).isEqualTo("-" + start.param(0).substring(1));
        return bodies;
    }

    @Test
    void theCapabilityIsOffered() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        assertThat(c.capLs()).contains("draft/message-redaction");
    }

    @Test
    void theSenderRedactsAndOnlyClientsWithTheCapabilityHear() throws IOException {
        ParleyServer s = start();
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        TestClient alice = in(withCaps(s, "alice", CAPS), "#r");
        TestClient plain = in(fx.register(s, "plain"), "#r");
        String keep = say(alice, op, "#r", "a keeper");
        String oops = say(alice, op, "#r", "oops, wrong window");
        plain.expect(m -> is(m, "PRIVMSG", "#r") && m.last().equals("oops, wrong window"));

        alice.send("REDACT #r " + oops + " :wrong window");
        IrcMessage echoed = alice.expect("REDACT");
        assertThat(echoed.params()).containsExactly("#r", oops, "wrong window");
        IrcMessage relayed = op.expect("REDACT");
        assertThat(relayed.source()).startsWith("alice!");
        assertThat(relayed.params()).containsExactly("#r", oops, "wrong window");
        assertThat(plain.sync()).noneMatch(m -> m.command().equals("REDACT"));

        assertThat(latest(op, "#r")).containsExactly("a keeper");
        assertThat(keep).isNotEqualTo(oops);
    }

    @Test
    void aChannelOperatorRedactsSomeoneElsesMessageButAMemberMayNot() throws IOException {
        ParleyServer s = start();
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        TestClient spammer = in(withCaps(s, "spammer", CAPS), "#r");
        TestClient member = in(withCaps(s, "member", CAPS), "#r");
        String spam = say(spammer, member, "#r", "join my network");

        member.send("REDACT #r " + spam + " :not mine");
        assertThat(member.expect("FAIL").params()).startsWith("REDACT", "REDACT_FORBIDDEN", "#r", spam);
        assertThat(latest(member, "#r")).containsExactly("join my network");

        op.send("REDACT #r " + spam + " spam");
        assertThat(op.expect("REDACT").params()).containsExactly("#r", spam, "spam");
        IrcMessage seen = spammer.expect("REDACT");
        assertThat(seen.source()).startsWith("op!");
        assertThat(seen.params()).containsExactly("#r", spam, "spam");
        assertThat(member.expect("REDACT").params()).containsExactly("#r", spam, "spam");
        assertThat(latest(member, "#r")).isEmpty();
    }

    @Test
    void unknownMessagesAndTargetsFail() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", CAPS), "#r");
        TestClient other = in(withCaps(s, "other", CAPS), "#elsewhere");
        String elsewhere = say(other, other, "#elsewhere", "not in #r");

        alice.send("REDACT #r no-such-msgid");
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "UNKNOWN_MSGID", "#r", "no-such-msgid");
        alice.send("REDACT #r " + elsewhere);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "UNKNOWN_MSGID", "#r", elsewhere);
        alice.send("REDACT #elsewhere " + elsewhere);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "INVALID_TARGET", "#elsewhere");
        alice.send("REDACT #nowhere " + elsewhere);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "INVALID_TARGET", "#nowhere");
        String mine = say(alice, alice, "#r", "twice");
        alice.send("REDACT #r " + mine);
        alice.expect("REDACT");
        alice.send("REDACT #r " + mine);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "UNKNOWN_MSGID", "#r", mine);
    }

    @Test
    void aPrivateMessageIsRedactedByItsSenderOnly() throws IOException {
        ParleyServer s = start();
        TestClient kim = withCaps(s, "kim", CAPS);
        kim.send("PRIVMSG NickServ :REGISTER kim-password");
        kim.expect("900");
        TestClient lee = withCaps(s, "lee", CAPS);
        lee.send("PRIVMSG NickServ :REGISTER lee-password");
        lee.expect("900");
        kim.send("PRIVMSG lee :sent too soon");
        String id = lee.expect(m -> is(m, "PRIVMSG", "lee")).tags().get("msgid");

        lee.send("REDACT kim " + id);
        assertThat(lee.expect("FAIL").params()).startsWith("REDACT", "REDACT_FORBIDDEN", "kim", id);
        kim.send("REDACT lee " + id);
        assertThat(kim.expect("REDACT").params()).containsExactly("lee", id);
        IrcMessage seen = lee.expect("REDACT");
        assertThat(seen.source()).startsWith("kim!");
        assertThat(seen.params()).containsExactly("lee", id);
        assertThat(latest(lee, "kim")).isEmpty();
    }

    @Test
    void pastTheWindowOnlyOperatorsMayRedact() throws IOException {
        MovableClock clock = new MovableClock();
        ParleyServer s = start(config().clock(clock).redactWindow(Duration.ofMinutes(5)));
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        TestClient alice = in(withCaps(s, "alice", CAPS), "#r");
        String first = say(alice, op, "#r", "first");
        String second = say(alice, op, "#r", "second");
        alice.send("REDACT #r " + first);
        alice.expect("REDACT");
        assertThat(op.expect("REDACT").params()).containsExactly("#r", first);
        clock.advance(Duration.ofMinutes(6));
        alice.send("REDACT #r " + second);
        assertThat(alice.expect("FAIL").params()).containsSubsequence("REDACT", "REDACT_WINDOW_EXPIRED", "#r", second, "300");
        op.send("REDACT #r " + second);
        assertThat(op.expect("REDACT").params()).containsExactly("#r", second);
        assertThat(latest(op, "#r")).isEmpty();
    }
}
