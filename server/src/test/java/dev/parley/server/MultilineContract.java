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

/**
 * IRCv3 draft/multiline: client batches delivered as one message, the fallback for clients
 * without the capability, the limits in the capability's value, the errors, labels, flood
 * control and history. The examples of the specification are the first tests.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class MultilineContract extends EngineTestBase {
    private static final String ML = "draft/multiline batch message-tags";

    MultilineContract(EngineKind engine) {
        super(engine);
    }

    private TestClient in(TestClient c, String channel) {
        c.send("JOIN " + channel);
        c.expect(m -> is(m, "366", null, channel));
        return c;
    }

    /** The opening BATCH line of a draft/multiline batch, then its lines, then checks its end. */
    private static List<IrcMessage> multiline(TestClient c, List<IrcMessage> open) {
        IrcMessage start = c.expect(m -> is(m, "BATCH") && m.param(0).startsWith("+") && m.paramCount() > 1
                && m.param(1).equals("draft/multiline"));
        open.add(start);
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

    /** The spec's example batch, sent by {@code c} to {@code target} with reference {@code ref}. */
    private static void sendExample(TestClient c, String ref, String target) {
        c.send("BATCH +" + ref + " draft/multiline " + target);
        c.send("@batch=" + ref + " PRIVMSG " + target + " hello");
        c.send("@batch=" + ref + " privmsg " + target + " :how is ");
        c.send("@batch=" + ref + ";draft/multiline-concat PRIVMSG " + target + " :everyone?");
        c.send("BATCH -" + ref);
    }

    @Test
    void theCapabilityAdvertisesItsLimits() throws IOException {
        ParleyServer s = start(config().multilineMaxBytes(2048).multilineMaxLines(20));
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        StringBuilder offered = new StringBuilder();
        IrcMessage m;
        do {
            m = c.expect("CAP");
            offered.append(m.last()).append(' ');
        } while (m.paramCount() == 4 && m.param(2).equals("*"));
        assertThat(offered.toString().split(" ")).contains("draft/multiline=max-bytes=2048,max-lines=20");
    }

    @Test
    void aBatchReachesCapableMembersAsOneBatchWithItsTagsOnTheOpeningLine() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", ML), "#channel");
        TestClient bob = in(withCaps(s, "bob", ML + " server-time"), "#channel");
        sendExample(alice, "123", "#channel");

        List<IrcMessage> open = new ArrayList<>();
        List<IrcMessage> lines = multiline(bob, open);
        IrcMessage start = open.get(0);
        assertThat(start.source()).startsWith("alice!");
        assertThat(start.params()).containsExactly(start.param(0), "draft/multiline", "#channel");
        assertThat(start.tags()).containsKeys("msgid", "time");
        assertThat(lines).extracting(IrcMessage::command).containsOnly("PRIVMSG");
        assertThat(lines).extracting(IrcMessage::last).containsExactly("hello", "how is ", "everyone?");
        assertThat(lines).allSatisfy(m -> assertThat(m.tags()).doesNotContainKey("msgid"));
        assertThat(lines.get(2).tags()).containsKey("draft/multiline-concat");
        assertThat(lines.get(1).tags()).doesNotContainKey("draft/multiline-concat");
    }

    @Test
    void clientsWithoutTheCapabilityGetThePlainLinesWithTheMsgidOnTheFirst() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", ML), "#channel");
        TestClient carol = in(withCaps(s, "carol", "message-tags"), "#channel");
        TestClient dave = joined(s, "dave", "#channel");
        sendExample(alice, "abc", "#channel");

        List<IrcMessage> got = List.of(carol.expect("PRIVMSG"), carol.expect("PRIVMSG"), carol.expect("PRIVMSG"));
        assertThat(got).extracting(IrcMessage::last).containsExactly("hello", "how is ", "everyone?");
        assertThat(got.get(0).tags()).containsKey("msgid");
        assertThat(got.get(1).tags()).doesNotContainKey("msgid");
        assertThat(got.get(2).tags()).doesNotContainKeys("msgid", "draft/multiline-concat", "batch");
        assertThat(dave.expect("PRIVMSG").last()).isEqualTo("hello");
        assertThat(dave.expect("PRIVMSG").last()).isEqualTo("how is ");
        assertThat(dave.expect("PRIVMSG").last()).isEqualTo("everyone?");
        assertThat(dave.sync()).noneMatch(m -> m.command().equals("BATCH"));
    }

    @Test
    void blankLinesReachOnlyClientsWithTheCapability() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", ML), "#c");
        TestClient bob = in(withCaps(s, "bob", ML), "#c");
        TestClient dave = joined(s, "dave", "#c");
        alice.send("BATCH +p draft/multiline #c");
        alice.send("@batch=p PRIVMSG #c :first paragraph");
        alice.send("@batch=p PRIVMSG #c :");
        alice.send("@batch=p PRIVMSG #c :second paragraph");
        alice.send("BATCH -p");

        assertThat(multiline(bob, new ArrayList<>())).extracting(IrcMessage::last)
                .containsExactly("first paragraph", "", "second paragraph");
        assertThat(dave.expect("PRIVMSG").last()).isEqualTo("first paragraph");
        assertThat(dave.expect("PRIVMSG").last()).isEqualTo("second paragraph");
        assertThat(dave.sync()).noneMatch(m -> m.command().equals("PRIVMSG"));
    }

    @Test
    void aPrivateBatchReachesItsRecipientAndClientOnlyTagsTravelOnTheOpeningLine() throws IOException {
        ParleyServer s = start();
        TestClient alice = withCaps(s, "alice", ML);
        TestClient bob = withCaps(s, "bob", ML);
        alice.send("@+draft/reply=abc BATCH +q draft/multiline bob");
        alice.send("@batch=q PRIVMSG bob :one");
        alice.send("@batch=q PRIVMSG bob :two");
        alice.send("BATCH -q");
        List<IrcMessage> open = new ArrayList<>();
        assertThat(multiline(bob, open)).extracting(IrcMessage::last).containsExactly("one", "two");
        assertThat(open.get(0).tags()).containsEntry("+draft/reply", "abc");
        assertThat(open.get(0).params()).endsWith("bob");
    }

    @Test
    void aWrongTargetFailsAsInTheSpecificationAndNothingIsDelivered() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(in(withCaps(s, "alice", ML), "#foo"), "#bar");
        TestClient bob = in(in(withCaps(s, "bob", ML), "#foo"), "#bar");
        alice.send("BATCH +456 draft/multiline #foo");
        alice.send("@batch=456 PRIVMSG #bar hello");
        alice.send("BATCH -456");
        assertThat(alice.expect("FAIL").params())
                .containsExactly("BATCH", "MULTILINE_INVALID_TARGET", "#foo", "#bar", "Invalid multiline target");
        assertThat(bob.sync()).noneMatch(m -> m.command().equals("BATCH") || m.command().equals("PRIVMSG"));
    }

    @Test
    void theLimitsAreEnforcedWithTheirCodes() throws IOException {
        ParleyServer s = start(config().multilineMaxBytes(600).multilineMaxLines(3));
        TestClient alice = in(withCaps(s, "alice", ML), "#c");
        TestClient bob = in(withCaps(s, "bob", ML), "#c");

        alice.send("BATCH +l draft/multiline #c");
        for (int i = 0; i < 4; i++) {
            alice.send("@batch=l PRIVMSG #c :line " + i);
        }
        alice.send("BATCH -l");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_MAX_LINES", "3");

        String text = "x".repeat(400);
        alice.send("BATCH +b draft/multiline #c");
        alice.send("@batch=b PRIVMSG #c :" + text);
        alice.send("@batch=b;draft/multiline-concat PRIVMSG #c :" + text);
        alice.send("BATCH -b");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_MAX_BYTES", "600");
        assertThat(bob.sync()).noneMatch(m -> m.command().equals("BATCH") || m.command().equals("PRIVMSG"));

        // the batch after a failed one is fine
        sendExample(alice, "ok", "#c");
        assertThat(multiline(bob, new ArrayList<>())).hasSize(3);
    }

    @Test
    void invalidBatchesFail() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", ML), "#c");
        TestClient plain = in(withCaps(s, "plain", "batch"), "#c");

        plain.send("BATCH +x draft/multiline #c");
        assertThat(plain.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_INVALID");

        alice.send("BATCH +e draft/multiline #c");
        alice.send("BATCH -e");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_INVALID");

        alice.send("BATCH +k draft/multiline #c");
        alice.send("@batch=k PRIVMSG #c :text");
        alice.send("@batch=k;draft/multiline-concat PRIVMSG #c :");
        alice.send("BATCH -k");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_INVALID");

        alice.send("BATCH -never-opened");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "MULTILINE_INVALID");

        alice.send("BATCH +t chathistory #c");
        assertThat(alice.expect("FAIL").params()).startsWith("BATCH", "UNKNOWN_TYPE");
        assertThat(plain.sync()).noneMatch(m -> m.command().equals("PRIVMSG"));
    }

    @Test
    void withEchoMessageTheLabelGoesOnTheOpeningBatchOfTheEcho() throws IOException {
        ParleyServer s = start();
        TestClient alice = in(withCaps(s, "alice", ML + " echo-message labeled-response"), "#c");
        alice.send("@label=L1 BATCH +m draft/multiline #c");
        alice.send("@batch=m PRIVMSG #c :one");
        alice.send("@batch=m PRIVMSG #c :two");
        alice.send("BATCH -m");
        List<IrcMessage> open = new ArrayList<>();
        assertThat(multiline(alice, open)).extracting(IrcMessage::last).containsExactly("one", "two");
        assertThat(open.get(0).tags()).containsEntry("label", "L1");
        assertThat(alice.sync()).noneMatch(m -> m.command().equals("ACK") || m.tags().containsKey("label"));
    }

    @Test
    void aWholeBatchSentAtOnceCostsOneLineOfFloodControl() throws IOException {
        ParleyServer s = start(config().trustedAddresses(List.of()).floodBurst(10).floodRate(1).recvQBytes(2048));
        TestClient alice = in(withCaps(s, "alice", ML), "#c");
        TestClient bob = in(withCaps(s, "bob", ML), "#c");
        StringBuilder all = new StringBuilder("BATCH +f draft/multiline #c\r\n");
        for (int i = 0; i < 60; i++) {
            all.append("@batch=f PRIVMSG #c :line number ").append(i).append("\r\n");
        }
        all.append("BATCH -f\r\n");
        alice.sendRaw(all.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        // at one line a second the 62 lines would take a minute; as one message they arrive at once
        assertThat(multiline(bob, new ArrayList<>())).hasSize(60);
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void historyKeepsTheBatchAsOneMessage() throws IOException {
        ParleyServer s = start(config().historyReplay(0));
        TestClient alice = in(withCaps(s, "alice", ML), "#h");
        TestClient bob = in(withCaps(s, "bob", ML + " server-time draft/chathistory"), "#h");
        alice.send("PRIVMSG #h :before");
        sendExample(alice, "h1", "#h");
        alice.send("PRIVMSG #h :after");
        bob.expect(m -> is(m, "PRIVMSG", "#h") && m.last().equals("after"));

        bob.send("CHATHISTORY LATEST #h * 2");
        IrcMessage outer = bob.expect(m -> is(m, "BATCH") && m.paramCount() > 1 && m.param(1).equals("chathistory"));
        String outerRef = outer.param(0).substring(1);
        IrcMessage inner = bob.next();
        assertThat(inner.command()).isEqualTo("BATCH");
        assertThat(inner.param(1)).isEqualTo("draft/multiline");
        assertThat(inner.tags()).containsEntry("batch", outerRef).containsKey("msgid");
        String innerRef = inner.param(0).substring(1);
        List<IrcMessage> lines = List.of(bob.next(), bob.next(), bob.next());
        assertThat(lines).extracting(IrcMessage::last).containsExactly("hello", "how is ", "everyone?");
        assertThat(lines).allSatisfy(m -> assertThat(m.tags()).containsEntry("batch", innerRef));
        assertThat(lines.get(2).tags()).containsKey("draft/multiline-concat");
        IrcMessage innerEnd = bob.next();
        assertThat(innerEnd.params()).containsExactly("-" + innerRef);
        assertThat(innerEnd.tags()).containsEntry("batch", outerRef);
        IrcMessage last = bob.next();
        assertThat(last.last()).isEqualTo("after");
        assertThat(bob.next().params()).containsExactly("-" + outerRef);

        TestClient carol = in(withCaps(s, "carol", "batch server-time message-tags draft/chathistory"), "#h");
        carol.send("CHATHISTORY LATEST #h * 2");
        IrcMessage start = carol.expect(m -> is(m, "BATCH") && m.paramCount() > 1 && m.param(1).equals("chathistory"));
        List<IrcMessage> plain = new ArrayList<>();
        IrcMessage m;
        while (!(m = carol.next()).command().equals("BATCH")) {
            assertThat(m.tags()).containsEntry("batch", start.param(0).substring(1));
            plain.add(m);
        }
        assertThat(plain).extracting(IrcMessage::last).containsExactly("hello", "how is ", "everyone?", "after");
    }
}
