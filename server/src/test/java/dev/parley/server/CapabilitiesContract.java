package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 capability negotiation and the behaviour each capability turns on. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class CapabilitiesContract extends EngineTestBase {
    CapabilitiesContract(EngineKind engine) {
        super(engine);
    }


    @Test
    void lsListsEveryCapabilityAndReqIsAllOrNothing() throws IOException {
        ParleyServer s = start();
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        List<String> offered = Arrays.asList(c.capLs().split(" "));
        assertThat(offered).contains("multi-prefix", "message-tags", "server-time", "echo-message", "batch",
                "labeled-response", "away-notify", "account-notify", "extended-join", "userhost-in-names",
                "invite-notify", "setname", "chghost", "cap-notify", "draft/multiline=max-bytes=4096,max-lines=100");
        c.send("CAP REQ :server-time no-such-cap");
        assertThat(c.expect("CAP").params()).containsExactly("*", "NAK", "server-time no-such-cap");
        c.send("CAP REQ :server-time echo-message");
        assertThat(c.expect("CAP").param(1)).isEqualTo("ACK");
        c.send("CAP REQ -echo-message");
        c.expect("CAP");
        c.send("CAP LIST");
        assertThat(Arrays.asList(c.expect("CAP").last().split(" "))).containsExactlyInAnyOrder("cap-notify", "server-time");
        c.send("NICK capper");
        c.send("USER capper 0 * :C");
        c.send("CAP END");
        c.expect("001");
    }

    @Test
    void messagesCarryTimeAndMsgidOnlyForThoseWhoAsked() throws IOException {
        ParleyServer s = start();
        TestClient tagged = withCaps(s, "tagged", "server-time message-tags");
        tagged.send("JOIN #tags");
        tagged.expect("366");
        TestClient plain = joined(s, "plain", "#tags");
        TestClient sender = joined(s, "sender", "#tags");
        sender.send("@+draft/reply=abc PRIVMSG #tags :hi all");
        IrcMessage got = tagged.expect("PRIVMSG");
        assertThat(got.tags()).containsKeys("time", "msgid");
        assertThat(got.tags().get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(got.tags()).containsEntry("+draft/reply", "abc");
        IrcMessage untagged = plain.expect("PRIVMSG");
        assertThat(untagged.tags()).isEmpty();
        sender.send("PRIVMSG #tags :second");
        assertThat(tagged.expect("PRIVMSG").tags().get("msgid")).isNotEqualTo(got.tags().get("msgid"));
    }

    @Test
    void echoMessageReturnsTheSendersOwnMessage() throws IOException {
        ParleyServer s = start();
        TestClient echo = withCaps(s, "echo", "echo-message message-tags");
        TestClient other = joined(s, "other", "#e");
        echo.send("JOIN #e");
        echo.expect("366");
        echo.send("PRIVMSG #e :hello");
        IrcMessage mine = echo.expect("PRIVMSG");
        assertThat(mine.source()).startsWith("echo!");
        IrcMessage theirs = other.expect("PRIVMSG");
        assertThat(mine.last()).isEqualTo(theirs.last());
        echo.send("PRIVMSG other :direct");
        assertThat(echo.expect("PRIVMSG").params()).containsExactly("other", "direct");
        assertThat(other.expect("PRIVMSG").last()).isEqualTo("direct");
    }

    @Test
    void tagmsgReachesOnlyMessageTagsClients() throws IOException {
        ParleyServer s = start();
        TestClient tags = withCaps(s, "tags", "message-tags");
        tags.send("JOIN #typing");
        tags.expect("366");
        TestClient plain = joined(s, "plain", "#typing");
        TestClient typer = withCaps(s, "typer", "message-tags");
        typer.send("JOIN #typing");
        typer.expect("366");
        typer.send("@+typing=active TAGMSG #typing");
        IrcMessage t = tags.expect("TAGMSG");
        assertThat(t.tags()).containsEntry("+typing", "active");
        assertThat(t.params()).containsExactly("#typing");
        assertThat(plain.sync()).noneMatch(m -> m.command().equals("TAGMSG"));
    }

    @Test
    void replyChannelContextAndReactionTagsReachTheRecipient() throws IOException {
        ParleyServer s = start();
        TestClient bob = withCaps(s, "bob", "message-tags");
        bob.send("JOIN #ctx");
        bob.expect("366");
        TestClient alice = withCaps(s, "alice", "message-tags");
        alice.send("JOIN #ctx");
        alice.expect("366");
        alice.send("PRIVMSG #ctx :original");
        String msgid = bob.expect("PRIVMSG").tags().get("msgid");
        alice.send("@+reply=" + msgid + ";+channel-context=#ctx PRIVMSG bob :about that");
        IrcMessage reply = bob.expect("PRIVMSG");
        assertThat(reply.tags()).containsEntry("+reply", msgid).containsEntry("+channel-context", "#ctx");
        alice.send("@+draft/react=\uD83D\uDC4D;+reply=" + msgid + " TAGMSG #ctx");
        IrcMessage react = bob.expect("TAGMSG");
        assertThat(react.tags()).containsEntry("+draft/react", "\uD83D\uDC4D").containsEntry("+reply", msgid);
    }

    @Test
    void labeledResponses() throws IOException {
        ParleyServer s = start();
        TestClient c = withCaps(s, "lab", "labeled-response batch");
        c.send("@label=one PING x");
        IrcMessage pong = c.expect("PONG");
        assertThat(pong.tags()).containsEntry("label", "one");
        c.send("@label=two PONG x");
        IrcMessage ack = c.expect("ACK");
        assertThat(ack.tags()).containsEntry("label", "two");
        c.send("@label=three WHOIS lab");
        IrcMessage start = c.expect("BATCH");
        assertThat(start.tags()).containsEntry("label", "three");
        assertThat(start.param(1)).isEqualTo("labeled-response");
        String ref = start.param(0).substring(1);
        IrcMessage inner = c.expect("311");
        assertThat(inner.tags()).containsEntry("batch", ref);
        IrcMessage end = c.expect("BATCH");
        assertThat(end.param(0)).isEqualTo("-" + ref);
    }

    /**
     * The messages of the labeled-response batch that answers {@code label}; fails when the
     * command was answered any other way (an empty ACK, or replies without the label).
     */
    private static List<IrcMessage> labeledBatch(TestClient c, String label) {
        IrcMessage start = c.expect(m -> m.command().equals("BATCH") || m.tags().containsKey("label"));
        assertThat(start.tags()).as("first reply to " + label).containsEntry("label", label);
        assertThat(start.command()).as("first reply to " + label).isEqualTo("BATCH");
        assertThat(start.param(1)).isEqualTo("labeled-response");
        String ref = start.param(0).substring(1);
        java.util.Set<String> refs = new java.util.HashSet<>(List.of(ref)); // and the batches nested in it
        List<IrcMessage> inside = new java.util.ArrayList<>();
        for (IrcMessage m = c.next(); !(m.command().equals("BATCH") && m.param(0).equals("-" + ref)); m = c.next()) {
            assertThat(refs).as("batch of %s, inside the labeled batch", m).contains(m.tags().get("batch"));
            if (m.command().equals("BATCH") && m.param(0).startsWith("+")) {
                refs.add(m.param(0).substring(1));
            }
            inside.add(m);
        }
        return inside;
    }

    @Test
    void commandsThatWaitForTheDatabaseOrHashingAreLabeledToo() throws IOException {
        ParleyServer s = start();
        TestClient talker = joined(s, "talker", "#lab");
        talker.send("PRIVMSG #lab :stored before anyone asked");
        TestClient c = withCaps(s, "lab", "labeled-response batch server-time draft/account-registration");

        c.send("@label=reg REGISTER * * correct-horse-battery");
        assertThat(labeledBatch(c, "reg")).extracting(IrcMessage::command).contains("REGISTER", "900");

        c.send("@label=join JOIN #lab");
        List<IrcMessage> join = labeledBatch(c, "join");
        assertThat(join).extracting(IrcMessage::command).contains("JOIN", "353", "366", "PRIVMSG");
        assertThat(join).filteredOn(m -> m.command().equals("PRIVMSG")).singleElement()
                .satisfies(m -> assertThat(m.last()).isEqualTo("stored before anyone asked"));

        c.send("@label=hist CHATHISTORY LATEST #lab * 10");
        assertThat(labeledBatch(c, "hist")).extracting(IrcMessage::command).contains("BATCH", "PRIVMSG");

        c.send("@label=ns PRIVMSG NickServ :INFO lab");
        assertThat(labeledBatch(c, "ns")).extracting(IrcMessage::command).containsOnly("NOTICE");

        c.send("@label=after PING x");
        assertThat(c.expect("PONG").tags()).as("the next command is labeled on its own").containsEntry("label", "after");
    }

    @Test
    void aLabeledJoinIsSeenBeforeAnyMessageOfTheChannel() throws IOException {
        ParleyServer s = start();
        TestClient talker = joined(s, "talker", "#busy");
        TestClient c = withCaps(s, "joiner", "labeled-response batch server-time");
        for (int i = 1; i <= 300; i++) {
            talker.send("PRIVMSG #busy :" + i);
            if (i == 100) {
                c.send("@label=j JOIN #busy"); // its replies wait for the history replay
            }
        }
        List<IrcMessage> before = new ArrayList<>();
        IrcMessage join = c.expect(m -> {
            before.add(m);
            return m.command().equals("JOIN");
        });
        assertThat(join.tags()).containsKey("batch");
        assertThat(before).as("nothing of #busy reaches the joiner ahead of its own JOIN")
                .noneMatch(m -> m.command().equals("PRIVMSG"));
        assertThat(before).as("the labeled batch opens first").anyMatch(m -> m.command().equals("BATCH")
                && "j".equals(m.tags().get("label")));
    }

    @Test
    void extendedJoinAndUserhostInNames() throws IOException {
        ParleyServer s = start();
        TestClient ext = withCaps(s, "ext", "extended-join userhost-in-names");
        ext.send("JOIN #x");
        IrcMessage own = ext.expect("JOIN");
        assertThat(own.params()).containsExactly("#x", "*", "Real ext");
        assertThat(ext.expect("353").last()).matches("@ext!~ext@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
        joined(s, "joiner", "#x");
        assertThat(ext.expect("JOIN").params()).containsExactly("#x", "*", "Test joiner");
    }

    @Test
    void awayNotifyInviteNotifyAndSetname() throws IOException {
        ParleyServer s = start();
        TestClient watcher = withCaps(s, "watcher", "away-notify invite-notify setname");
        watcher.send("JOIN #n");
        watcher.expect("366");
        TestClient peer = joined(s, "peer", "#n");
        peer.send("AWAY :afk");
        IrcMessage away = watcher.expect("AWAY");
        assertThat(away.source()).startsWith("peer!");
        assertThat(away.params()).containsExactly("afk");
        peer.send("AWAY");
        assertThat(watcher.expect("AWAY").params()).isEmpty();
        fx.register(s, "guest");
        watcher.send("MODE #n +o peer");
        watcher.expect("MODE");
        peer.send("INVITE guest #n");
        IrcMessage inv = watcher.expect("INVITE");
        assertThat(inv.source()).startsWith("peer!");
        assertThat(inv.params()).containsExactly("guest", "#n");
        peer.send("SETNAME :Peer Gynt");
        assertThat(watcher.expect("SETNAME").params()).containsExactly("Peer Gynt");
        watcher.send("WHOIS peer");
        assertThat(watcher.expect("311").last()).isEqualTo("Peer Gynt");
    }
}
