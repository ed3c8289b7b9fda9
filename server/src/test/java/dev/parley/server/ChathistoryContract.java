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
 * draft/chathistory beyond one channel: TARGETS over channels and private conversations, in the
 * order of its bounds; notes to self; client-only tags kept with messages; reactions (TAGMSG)
 * stored and replayed to clients that can read them, typing notifications not stored.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class ChathistoryContract extends EngineTestBase {
    private static final String CAPS = "batch server-time message-tags draft/chathistory echo-message";
    private static final String FROM = "timestamp=2000-01-01T00:00:00.000Z";
    private static final String TO = "timestamp=2999-01-01T00:00:00.000Z";

    ChathistoryContract(EngineKind engine) {
        super(engine);
    }

    private TestClient account(ParleyServer s, String nick) throws IOException {
        TestClient c = withCaps(s, nick, CAPS);
        c.send("PRIVMSG NickServ :REGISTER " + nick + "-password");
        c.expect("900");
        return c;
    }

    private static TestClient in(TestClient c, String channel) {
        c.send("JOIN " + channel);
        c.expect(m -> is(m, "366", null, channel));
        return c;
    }

    /** The lines of the next batch of {@code type}. */
    private static List<IrcMessage> batch(TestClient c, String type) {
        IrcMessage start = c.expect(m -> is(m, "BATCH") && m.param(0).startsWith("+") && m.paramCount() > 1
                && m.param(1).equals(type));
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

    private static List<String> targets(TestClient c, String from, String to, int limit) {
        c.send("CHATHISTORY TARGETS " + from + " " + to + " " + limit);
        return batch(c, "draft/chathistory-targets").stream().map(m -> m.param(1)).toList();
    }

    @Test
    void targetsListChannelsAndConversationsInTheOrderOfTheBounds() throws IOException {
        MovableClock clock = new MovableClock();
        ParleyServer s = start(config().clock(clock).historyReplay(0));
        TestClient alice = in(account(s, "alice"), "#early");
        TestClient bob = account(s, "bob");
        TestClient carol = account(s, "carol");
        in(alice, "#late");
        TestClient outsider = in(withCaps(s, "outsider", CAPS), "#hidden");

        alice.send("PRIVMSG #early :one");
        alice.expect(m -> is(m, "PRIVMSG", "#early"));
        clock.advance(Duration.ofMinutes(1));
        bob.send("PRIVMSG alice :hello alice");
        alice.expect(m -> is(m, "PRIVMSG", "alice"));
        clock.advance(Duration.ofMinutes(1));
        outsider.send("PRIVMSG #hidden :not alice's");
        outsider.expect(m -> is(m, "PRIVMSG", "#hidden"));
        alice.send("PRIVMSG #late :two");
        alice.expect(m -> is(m, "PRIVMSG", "#late"));
        clock.advance(Duration.ofMinutes(1));
        alice.send("PRIVMSG carol :hi carol");
        carol.expect(m -> is(m, "PRIVMSG", "carol"));

        assertThat(targets(alice, FROM, TO, 10)).containsExactly("#early", "bob", "#late", "carol");
        assertThat(targets(alice, TO, FROM, 10)).containsExactly("carol", "#late", "bob", "#early");
        assertThat(targets(alice, FROM, TO, 2)).containsExactly("#early", "bob");
        assertThat(targets(alice, TO, FROM, 2)).containsExactly("carol", "#late");
        assertThat(targets(bob, FROM, TO, 10)).containsExactly("alice");
        assertThat(targets(outsider, FROM, TO, 10)).containsExactly("#hidden");
    }

    @Test
    void targetsExcludeTheBoundsThemselves() throws IOException {
        MovableClock clock = new MovableClock();
        ParleyServer s = start(config().clock(clock).historyReplay(0));
        TestClient alice = in(account(s, "alice"), "#c");
        alice.send("PRIVMSG #c :at the bound");
        String time = alice.expect(m -> is(m, "PRIVMSG", "#c")).tags().get("time");
        assertThat(targets(alice, "timestamp=" + time, TO, 10)).isEmpty();
        assertThat(targets(alice, FROM, "timestamp=" + time, 10)).isEmpty();
        assertThat(targets(alice, FROM, TO, 10)).containsExactly("#c");
    }

    @Test
    void notesToSelfAreAConversationOfTheirOwn() throws IOException {
        ParleyServer s = start();
        TestClient alice = account(s, "alice");
        alice.send("PRIVMSG alice :remember the milk");
        alice.expect(m -> is(m, "PRIVMSG", "alice"));
        alice.send("CHATHISTORY LATEST alice * 10");
        assertThat(batch(alice, "chathistory")).extracting(IrcMessage::last).containsExactly("remember the milk");
        assertThat(targets(alice, FROM, TO, 10)).containsExactly("alice");
    }

    @Test
    void clientOnlyTagsAreKeptWithAMessage() throws IOException {
        ParleyServer s = start(config().historyReplay(0));
        TestClient alice = in(withCaps(s, "alice", CAPS), "#c");
        alice.send("PRIVMSG #c :question?");
        String question = alice.expect(m -> is(m, "PRIVMSG", "#c")).tags().get("msgid");
        alice.send("@+reply=" + question + ";+example.com/colour=red PRIVMSG #c :answer");
        alice.expect(m -> is(m, "PRIVMSG", "#c") && m.last().equals("answer"));
        alice.send("CHATHISTORY LATEST #c * 1");
        IrcMessage answer = batch(alice, "chathistory").get(0);
        assertThat(answer.last()).isEqualTo("answer");
        assertThat(answer.tags()).containsEntry("+reply", question).containsEntry("+example.com/colour", "red");
    }

    @Test
    void reactionsAreStoredAndReplayedButTypingIsNot() throws IOException {
        ParleyServer s = start(config().historyReplay(0));
        TestClient alice = in(withCaps(s, "alice", CAPS), "#c");
        alice.send("PRIVMSG #c :lunch?");
        String lunch = alice.expect(m -> is(m, "PRIVMSG", "#c")).tags().get("msgid");
        alice.send("@+typing=active TAGMSG #c");
        alice.send("@+draft/react=\uD83C\uDF55;+draft/reply=" + lunch + " TAGMSG #c");
        alice.expect(m -> is(m, "TAGMSG", "#c") && m.tags().containsKey("+draft/react"));

        TestClient bob = in(withCaps(s, "bob", CAPS), "#c");
        bob.send("CHATHISTORY LATEST #c * 10");
        List<IrcMessage> seen = batch(bob, "chathistory");
        assertThat(seen).extracting(IrcMessage::command).containsExactly("PRIVMSG", "TAGMSG");
        IrcMessage reaction = seen.get(1);
        assertThat(reaction.source()).startsWith("alice!");
        assertThat(reaction.params()).containsExactly("#c");
        assertThat(reaction.tags()).containsEntry("+draft/react", "\uD83C\uDF55").containsEntry("+draft/reply", lunch)
                .containsKey("msgid");

        // a client that cannot read tags gets the messages only
        TestClient plain = in(withCaps(s, "plain", "batch server-time draft/chathistory"), "#c");
        plain.send("CHATHISTORY LATEST #c * 10");
        assertThat(batch(plain, "chathistory")).extracting(IrcMessage::command).containsExactly("PRIVMSG");
    }

    @Test
    void whichTagMessagesAreKeptIsAnOption() throws IOException {
        ParleyServer s = start(config().historyReplay(0).historyTagmsg("none"));
        TestClient alice = in(withCaps(s, "alice", CAPS), "#c");
        alice.send("PRIVMSG #c :lunch?");
        alice.expect(m -> is(m, "PRIVMSG", "#c"));
        alice.send("@+draft/react=x TAGMSG #c");
        alice.expect(m -> is(m, "TAGMSG", "#c"));
        alice.send("CHATHISTORY LATEST #c * 10");
        assertThat(batch(alice, "chathistory")).extracting(IrcMessage::command).containsExactly("PRIVMSG");
    }
}
