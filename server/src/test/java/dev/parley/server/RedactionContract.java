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

/**
 * IRCv3 draft/message-redaction: who may REDACT, who hears of it, that history forgets the
 * message, and that the REDACT itself is stored in its place and replayed to clients with the
 * capability only.
 */
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

    /** The lines of the next {@code chathistory} batch {@code c} gets, each checked to carry the batch's tag. */
    private static List<IrcMessage> batch(TestClient c) {
        IrcMessage start = c.expect(m -> m.command().equals("BATCH") && m.param(0).startsWith("+"));
        assertThat(start.param(1)).isEqualTo("chathistory");
        String ref = start.param(0).substring(1);
        List<IrcMessage> lines = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.next()).command().equals("BATCH")) {
            assertThat(m.tags()).containsEntry("batch", ref);
            lines.add(m);
        }
        assertThat(m.param(0)).isEqualTo("-" + ref);
        return lines;
    }

    /** The answer to {@code CHATHISTORY <request>}, each line as {@link #line}. */
    private static List<String> history(TestClient c, String request) {
        c.send("CHATHISTORY " + request);
        return batch(c).stream().map(RedactionContract::line).toList();
    }

    private static List<String> latest(TestClient c, String target) {
        return history(c, "LATEST " + target + " * 50");
    }

    /** A line as its command and the parameters after the target: "PRIVMSG hello", "REDACT msgid reason". */
    private static String line(IrcMessage m) {
        return m.command() + " " + String.join(" ", m.params().subList(1, m.paramCount()));
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

        assertThat(latest(op, "#r")).containsExactly("PRIVMSG a keeper", "REDACT " + oops + " wrong window");
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
        assertThat(latest(member, "#r")).containsExactly("PRIVMSG join my network");

        op.send("REDACT #r " + spam + " spam");
        assertThat(op.expect("REDACT").params()).containsExactly("#r", spam, "spam");
        IrcMessage seen = spammer.expect("REDACT");
        assertThat(seen.source()).startsWith("op!");
        assertThat(seen.params()).containsExactly("#r", spam, "spam");
        assertThat(member.expect("REDACT").params()).containsExactly("#r", spam, "spam");
        assertThat(latest(member, "#r")).containsExactly("REDACT " + spam + " spam");
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
        String redaction = alice.expect("REDACT").tags().get("msgid");
        alice.send("REDACT #r " + mine);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "UNKNOWN_MSGID", "#r", mine);
        // a stored REDACT is no message: not even the channel's operator (alice, its first member) may redact it
        assertThat(redaction).isNotNull();
        alice.send("REDACT #r " + redaction);
        assertThat(alice.expect("FAIL").params()).startsWith("REDACT", "UNKNOWN_MSGID", "#r", redaction);
        assertThat(latest(alice, "#r")).containsExactly("REDACT " + mine);
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
        assertThat(latest(lee, "kim")).containsExactly("REDACT " + id);
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
        assertThat(latest(op, "#r")).containsExactly("REDACT " + first, "REDACT " + second);
    }

    @Test
    void aClientThatWasAwayLearnsOfTheRedactionFromTheJoinReplayAndChathistory() throws IOException {
        ParleyServer s = start(config().historyReplay(10));
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        TestClient alice = in(withCaps(s, "alice", CAPS), "#r");
        String first = say(alice, op, "#r", "first");
        String oops = say(alice, op, "#r", "oops");
        alice.send("REDACT #r " + oops + " :wrong window");
        IrcMessage echoed = alice.expect("REDACT");
        op.expect("REDACT");
        String after = say(alice, op, "#r", "after");

        TestClient late = withCaps(s, "late", CAPS);
        late.send("JOIN #r");
        List<IrcMessage> replay = batch(late);
        assertThat(replay).extracting(RedactionContract::line)
                .containsExactly("PRIVMSG first", "REDACT " + oops + " wrong window", "PRIVMSG after");
        IrcMessage redact = replay.get(1);
        assertThat(redact.source()).startsWith("alice!");
        assertThat(redact.params().get(0)).isEqualTo("#r");
        assertThat(redact.tags()).containsEntry("msgid", echoed.tags().get("msgid"))
                .containsEntry("time", echoed.tags().get("time"));
        assertThat(redact.tags().get("msgid")).isNotIn(first, oops, after);

        assertThat(latest(late, "#r"))
                .containsExactly("PRIVMSG first", "REDACT " + oops + " wrong window", "PRIVMSG after");
        // a REDACT is a line of the answer like any other: it counts toward the limit
        assertThat(history(late, "LATEST #r * 2")).containsExactly("REDACT " + oops + " wrong window", "PRIVMSG after");
        assertThat(history(late, "AFTER #r msgid=" + first + " 1")).containsExactly("REDACT " + oops + " wrong window");
        assertThat(history(late, "BEFORE #r msgid=" + after + " 1")).containsExactly("REDACT " + oops + " wrong window");
        assertThat(history(late, "AROUND #r msgid=" + redact.tags().get("msgid") + " 3"))
                .containsExactly("PRIVMSG first", "REDACT " + oops + " wrong window", "PRIVMSG after");
        assertThat(history(late, "BETWEEN #r msgid=" + first + " msgid=" + after + " 10"))
                .containsExactly("REDACT " + oops + " wrong window");
    }

    @Test
    void aClientWithoutTheCapabilitySeesNeitherTheMessageNorTheRedaction() throws IOException {
        ParleyServer s = start(config().historyReplay(2));
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        String first = say(op, op, "#r", "first");
        String oops = say(op, op, "#r", "oops");
        op.send("REDACT #r " + oops);
        op.expect("REDACT");
        String after = say(op, op, "#r", "after");

        String without = "message-tags batch server-time draft/chathistory";
        TestClient reader = withCaps(s, "reader", without);
        reader.send("JOIN #r");
        assertThat(batch(reader)).extracting(RedactionContract::line).containsExactly("PRIVMSG first", "PRIVMSG after");
        // the limit counts what the client gets: the REDACT it is not sent takes no place
        assertThat(history(reader, "LATEST #r * 2")).containsExactly("PRIVMSG first", "PRIVMSG after");
        assertThat(history(reader, "AFTER #r msgid=" + first + " 1")).containsExactly("PRIVMSG after");
        assertThat(history(reader, "BEFORE #r msgid=" + after + " 1")).containsExactly("PRIVMSG first");
        assertThat(reader.sync()).noneMatch(m -> m.command().equals("REDACT"));

        TestClient plain = fx.register(s, "plain");
        plain.send("JOIN #r");
        assertThat(plain.expect("NOTICE").last()).startsWith("Replaying the last 2 messages");
        assertThat(plain.expect("NOTICE").last()).endsWith("<op> first");
        assertThat(plain.expect("NOTICE").last()).endsWith("<op> after");
        assertThat(plain.expect("NOTICE").last()).isEqualTo("End of replayed history.");
        assertThat(plain.sync()).noneMatch(m -> m.command().equals("REDACT") || m.params().contains(oops));
    }

    @Test
    void aPrivateRedactionIsReplayedToTheOtherAccountWhenItComesBack() throws IOException {
        ParleyServer s = start();
        TestClient kim = withCaps(s, "kim", CAPS);
        kim.send("PRIVMSG NickServ :REGISTER kim-password");
        kim.expect("900");
        TestClient lee = withCaps(s, "lee", CAPS);
        lee.send("PRIVMSG NickServ :REGISTER lee-password");
        lee.expect("900");
        kim.send("PRIVMSG lee :hello");
        lee.expect(m -> is(m, "PRIVMSG", "lee") && m.last().equals("hello"));
        kim.send("PRIVMSG lee :sent too soon");
        String id = lee.expect(m -> is(m, "PRIVMSG", "lee") && m.last().equals("sent too soon")).tags().get("msgid");
        lee.send("QUIT");
        lee.expectClosed();

        kim.send("REDACT lee " + id + " :not for you");
        assertThat(kim.expect("REDACT").params()).containsExactly("lee", id, "not for you");

        TestClient back = withCaps(s, "lee", CAPS);
        back.send("PRIVMSG NickServ :IDENTIFY lee lee-password");
        back.expect("900");
        back.send("CHATHISTORY LATEST kim * 10");
        List<IrcMessage> lines = batch(back);
        assertThat(lines).extracting(RedactionContract::line).containsExactly("PRIVMSG hello", "REDACT " + id + " not for you");
        assertThat(lines.get(1).source()).startsWith("kim!");
        assertThat(lines.get(1).params().get(0)).isEqualTo("lee");
        assertThat(lines.get(1).tags()).containsKeys("time", "msgid");
        assertThat(latest(kim, "lee")).containsExactly("PRIVMSG hello", "REDACT " + id + " not for you");

        TestClient elsewhere = withCaps(s, "lee2", "message-tags batch server-time draft/chathistory");
        elsewhere.send("PRIVMSG NickServ :IDENTIFY lee lee-password");
        elsewhere.expect("900");
        assertThat(latest(elsewhere, "kim")).containsExactly("PRIVMSG hello");
    }

    @Test
    void targetsCountARedactionOnlyForClientsWithTheCapability() throws IOException {
        MovableClock clock = new MovableClock();
        ParleyServer s = start(config().clock(clock).historyReplay(0));
        TestClient op = in(withCaps(s, "op", CAPS), "#r");
        TestClient reader = in(withCaps(s, "reader", "message-tags batch server-time draft/chathistory"), "#r");
        String first = say(op, reader, "#r", "first");
        clock.advance(Duration.ofMinutes(1));
        String oops = say(op, reader, "#r", "oops");
        clock.advance(Duration.ofMinutes(1));
        op.send("REDACT #r " + oops);
        String redactedAt = op.expect("REDACT").tags().get("time");
        op.send("CHATHISTORY AROUND #r msgid=" + first + " 1");
        String firstAt = batch(op).get(0).tags().get("time");

        String range = " timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10";
        op.send("CHATHISTORY TARGETS" + range);
        assertThat(targetsBatch(op)).containsExactly("#r " + redactedAt);
        reader.send("CHATHISTORY TARGETS" + range);
        assertThat(targetsBatch(reader)).containsExactly("#r " + firstAt);
    }

    /** The next draft/chathistory-targets batch, each line as "target time". */
    private static List<String> targetsBatch(TestClient c) {
        IrcMessage start = c.expect(m -> m.command().equals("BATCH") && m.param(0).startsWith("+"));
        assertThat(start.param(1)).isEqualTo("draft/chathistory-targets");
        List<String> lines = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.next()).command().equals("BATCH")) {
            lines.add(m.param(1) + " " + m.param(2));
        }
        return lines;
    }
}
