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

/** Stored history: replay on JOIN, draft/chathistory, private history, retention. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class HistoryContract extends EngineTestBase {
    HistoryContract(EngineKind engine) {
        super(engine);
    }


    /** Sends {@code n} numbered lines to {@code channel} and waits until {@code witness} has them all. */
    private static List<IrcMessage> say(TestClient from, TestClient witness, String channel, int n) {
        List<IrcMessage> seen = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            from.send("PRIVMSG " + channel + " :line " + i);
        }
        for (int i = 1; i <= n; i++) {
            seen.add(witness.expect("PRIVMSG"));
        }
        return seen;
    }

    /** Collects the lines of one batch after its BATCH +ref line. */
    private static List<IrcMessage> batch(TestClient c, String type) {
        IrcMessage start = c.expect(m -> m.command().equals("BATCH") && m.param(0).startsWith("+"));
        assertThat(start.param(1)).isEqualTo(type);
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

    @Test
    void withoutHistoryNothingIsStoredReplayedOrOffered() throws IOException {
        ParleyServer s = start(config().historyEnabled(false).historyReplay(10));
        assertThat(s.hub().history()).isNull();
        TestClient alice = joined(s, "alice", "#off");
        TestClient witness = joined(s, "witness", "#off");
        say(alice, witness, "#off", 3);

        TestClient late = fx.connect(s);
        late.send("CAP LS 302");
        late.send("NICK late");
        late.send("USER late 0 * :Late");
        String offered = late.capLs();
        assertThat(offered).contains("batch", "server-time")
                .doesNotContain("draft/chathistory", "draft/message-redaction");
        late.send("CAP REQ :batch draft/chathistory");
        assertThat(late.expect("CAP").params()).containsExactly("late", "NAK", "batch draft/chathistory");
        late.send("CAP END");
        StringBuilder isupport = new StringBuilder();
        IrcMessage m;
        while (!(m = late.next()).command().equals("376") && !m.command().equals("422")) {
            if (m.command().equals("005")) {
                isupport.append(String.join(" ", m.params())).append(' ');
            }
        }
        assertThat(isupport.toString()).contains("MONITOR=", "NICKLEN=").doesNotContain("CHATHISTORY", "MSGREFTYPES");

        late.send("JOIN #off");
        late.expect(x -> x.command().equals("366"));
        late.send("CHATHISTORY LATEST #off * 10");
        late.send("REDACT #off abc");
        late.send("PING :after");
        List<IrcMessage> seen = new ArrayList<>();
        while (!(m = late.next()).command().equals("PONG")) {
            seen.add(m);
        }
        assertThat(seen).extracting(IrcMessage::command).doesNotContain("PRIVMSG", "BATCH", "NOTICE");
        assertThat(seen).filteredOn(x -> x.command().equals("421")).extracting(x -> x.param(1))
                .containsExactly("CHATHISTORY", "REDACT");
    }

    @Test
    void joinReplaysRecentLinesAsABatchWithOriginalTimes() throws IOException {
        ParleyServer s = start(config().historyReplay(3));
        TestClient alice = joined(s, "alice", "#h");
        TestClient witness = joined(s, "witness", "#h");
        say(alice, witness, "#h", 4);
        TestClient late = withCaps(s, "late", "batch server-time message-tags");
        late.send("JOIN #h");
        List<IrcMessage> lines = batch(late, "chathistory");
        assertThat(lines).extracting(IrcMessage::last).containsExactly("line 2", "line 3", "line 4");
        assertThat(lines).allSatisfy(m -> {
            assertThat(m.source()).startsWith("alice!");
            assertThat(m.tags()).containsKeys("time", "msgid");
        });
    }

    @Test
    void clientsWithoutBatchGetMarkedNotices() throws IOException {
        ParleyServer s = start(config().historyReplay(2));
        TestClient alice = joined(s, "alice", "#plain");
        TestClient witness = joined(s, "witness", "#plain");
        say(alice, witness, "#plain", 2);
        TestClient late = fx.register(s, "late");
        late.send("JOIN #plain");
        assertThat(late.expect("NOTICE").last()).startsWith("Replaying the last 2 messages");
        assertThat(late.expect("NOTICE").last()).matches("\\[\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC] <alice> line 1");
        assertThat(late.expect("NOTICE").last()).endsWith("<alice> line 2");
        assertThat(late.expect("NOTICE").last()).isEqualTo("End of replayed history.");
    }

    @Test
    void chathistoryPagesThroughAChannel() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#ch");
        TestClient reader = withCaps(s, "reader", "batch server-time message-tags draft/chathistory");
        reader.send("JOIN #ch");
        reader.expect("366");
        List<IrcMessage> sent = say(alice, reader, "#ch", 6);
        String id3 = sent.get(2).tags().get("msgid");
        String id5 = sent.get(4).tags().get("msgid");

        reader.send("CHATHISTORY LATEST #ch * 2");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 5", "line 6");
        reader.send("CHATHISTORY BEFORE #ch msgid=" + id3 + " 10");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 1", "line 2");
        reader.send("CHATHISTORY AFTER #ch msgid=" + id3 + " 2");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 4", "line 5");
        reader.send("CHATHISTORY BETWEEN #ch msgid=" + id3 + " msgid=" + id5 + " 10");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 4");
        reader.send("CHATHISTORY AROUND #ch msgid=" + id3 + " 3");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 2", "line 3", "line 4");
        reader.send("CHATHISTORY LATEST #ch msgid=" + id3 + " 10");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 4", "line 5", "line 6");
        reader.send("CHATHISTORY AFTER #ch timestamp=2000-01-01T00:00:00.000Z 1");
        assertThat(batch(reader, "chathistory")).extracting(IrcMessage::last).containsExactly("line 1");
        reader.send("CHATHISTORY TARGETS timestamp=2000-01-01T00:00:00.000Z timestamp=2999-01-01T00:00:00.000Z 10");
        List<IrcMessage> targets = batch(reader, "draft/chathistory-targets");
        assertThat(targets).singleElement().satisfies(t -> assertThat(t.params()).startsWith("TARGETS", "#ch"));
    }

    @Test
    void chathistoryRefusesWhatYouCannotSee() throws IOException {
        ParleyServer s = start();
        joined(s, "alice", "#private");
        TestClient outsider = withCaps(s, "outsider", "batch draft/chathistory");
        outsider.send("CHATHISTORY LATEST #private * 10");
        assertThat(outsider.expect("FAIL").params()).startsWith("CHATHISTORY", "INVALID_TARGET");
        outsider.send("CHATHISTORY LATEST #private * zero");
        assertThat(outsider.expect("FAIL").params()).startsWith("CHATHISTORY", "INVALID_PARAMS");
        outsider.send("CHATHISTORY SIDEWAYS #private * 1");
        assertThat(outsider.expect("FAIL").params()).startsWith("CHATHISTORY", "INVALID_PARAMS");
    }

    @Test
    void whoeverRecreatesAnEmptiedPrivateChannelReadsNothingOfIt() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#priv");
        alice.send("MODE #priv +sk key");
        alice.expect("MODE");
        TestClient bob = fx.register(s, "bob");
        bob.send("JOIN #priv key");
        bob.expect(m -> is(m, "366", null, "#priv"));
        alice.send("PRIVMSG #priv :the private words");
        assertThat(bob.expect("PRIVMSG").last()).isEqualTo("the private words");
        alice.send("PART #priv");
        bob.send("PART #priv");
        bob.expect("PART");
        alice.sync();
        bob.sync();

        TestClient mallory = withCaps(s, "mallory", "batch server-time draft/chathistory");
        mallory.send("JOIN #priv");
        mallory.send("CHATHISTORY LATEST #priv * 100");
        List<IrcMessage> seen = mallory.sync();
        assertThat(seen).as("a new channel, with none of the old one's history")
                .noneMatch(m -> m.last() != null && m.last().contains("the private words"));
        assertThat(seen).anyMatch(m -> is(m, "353") && m.last().equals("@mallory"));
    }

    @Test
    void privateMessagesBetweenAccountsAreKept() throws IOException {
        ParleyServer s = start();
        TestClient kim = withCaps(s, "kim", "batch server-time draft/chathistory");
        kim.send("PRIVMSG NickServ :REGISTER kim-password");
        kim.expect("900");
        TestClient lee = fx.register(s, "lee");
        lee.send("PRIVMSG NickServ :REGISTER lee-password");
        lee.expect("900");
        lee.send("PRIVMSG kim :hi kim");
        kim.expect("PRIVMSG");
        kim.send("PRIVMSG lee :hi lee");
        lee.expect("PRIVMSG");
        kim.send("CHATHISTORY LATEST lee * 10");
        assertThat(batch(kim, "chathistory")).extracting(IrcMessage::last).containsExactly("hi kim", "hi lee");
    }

    @Test
    void retentionKeepsOnlyTheNewestLines() throws IOException {
        ParleyServer s = start(config().historyKeepPerTarget(3).historyReplay(10));
        TestClient alice = joined(s, "alice", "#keep");
        TestClient witness = joined(s, "witness", "#keep");
        say(alice, witness, "#keep", 6);
        TestClient late = withCaps(s, "late", "batch server-time");
        late.send("JOIN #keep");
        assertThat(batch(late, "chathistory")).extracting(IrcMessage::last).containsExactly("line 4", "line 5", "line 6");
    }

    @Test
    void joiningSeveralChannelsReplaysThemInOrderBeforeTheNextCommand() throws IOException {
        ParleyServer s = start();
        TestClient talker = joined(s, "talker", "#first");
        talker.send("JOIN #second");
        talker.expect("366");
        talker.send("PRIVMSG #first :one");
        talker.send("PRIVMSG #second :two");
        talker.sync();
        TestClient c = withCaps(s, "reader", "batch server-time");

        c.send("JOIN #first,#second");
        c.send("PING after");
        List<String> order = new ArrayList<>();
        c.expect(m -> {
            if (m.command().equals("JOIN") || m.command().equals("PRIVMSG")) {
                order.add(m.command() + " " + m.param(0) + (m.command().equals("PRIVMSG") ? " " + m.last() : ""));
            }
            return m.command().equals("PONG");
        });
        assertThat(order).as("each channel's replay follows its JOIN, and the next command waits for both")
                .containsExactly("JOIN #first", "PRIVMSG #first one", "JOIN #second", "PRIVMSG #second two");
    }

    @Test
    void aJoinerOfABusyChannelMissesNoMessage() throws IOException {
        ParleyServer s = start(config().historyReplay(1000));
        TestClient talker = joined(s, "talker", "#busy");
        TestClient c = withCaps(s, "joiner", "batch server-time");
        int n = 300;
        for (int i = 1; i <= n; i++) {
            talker.send("PRIVMSG #busy :" + i);
            if (i == n / 3) {
                c.send("JOIN #busy"); // while the talker's lines are still arriving
            }
        }
        talker.send("PRIVMSG #busy :done");
        java.util.TreeSet<Integer> seen = new java.util.TreeSet<>();
        List<String> beforeJoin = new ArrayList<>();
        boolean[] joinedYet = {false};
        java.util.function.Predicate<IrcMessage> collect = m -> {
            joinedYet[0] |= m.command().equals("JOIN");
            if (m.command().equals("PRIVMSG") && !joinedYet[0]) {
                beforeJoin.add(m.last());
            }
            if (m.command().equals("PRIVMSG") && !m.last().equals("done")) {
                seen.add(Integer.parseInt(m.last()));
            }
            return false;
        };
        c.expect(m -> collect.test(m) || m.command().equals("PRIVMSG") && m.last().equals("done"));
        c.send("PING replayed"); // answered only after the join's replay is out
        c.expect(m -> collect.test(m) || m.command().equals("PONG"));
        assertThat(beforeJoin).as("no message of the channel before the joiner's own JOIN").isEmpty();
        assertThat(seen).as("replayed or received live, every line sent reaches the joiner")
                .hasSize(n).first().isEqualTo(1);
    }
}
