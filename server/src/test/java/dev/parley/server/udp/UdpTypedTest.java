package dev.parley.server.udp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.command.Messages;
import dev.parley.server.core.Change;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outbox;
import dev.parley.server.core.Outgoing;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The UDP door on the hub's typed API, with no socket: what a door client receives is typed,
 * the shared {@link Messages} operation answers with typed results, {@link UdpLines} turns
 * typed messages into the door's lines, and nothing in the udp package reads or writes IRC text.
 */
class UdpTypedTest {
    /** An outbox that keeps what it is given, as the door's participants do. */
    private static final class Recorder implements Outbox {
        final List<IrcMessage> got = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        int bytes;

        @Override
        public void deliver(Outgoing message) {
            got.add(message.message());
        }

        @Override
        public void send(IrcMessage message) {
            got.add(message);
        }

        @Override
        public void sendBytes(byte[] line) {
            bytes++;
        }

        @Override
        public void closed(String reason, boolean discardQueued) {
            closed.add(reason);
        }
    }

    private static Client doorClient(Hub hub, Recorder out, String nick) throws IOException {
        Client c = hub.connect(out, InetAddress.getByName("127.0.0.9"), false);
        assertThat(hub.apply(new Change.Nick(c, nick))).isEqualTo(Change.NickResult.CHANGED);
        c.setUser("~udp", "UDP 127.0.0.9 port 4000");
        assertThat(hub.apply(new Change.Register(c))).isTrue();
        assertThat(hub.apply(new Change.Join(c, "#udp", null))).isInstanceOf(Change.Joined.class);
        return c;
    }

    @Test
    void aDoorClientReceivesTypedMessagesAndTheDoorTurnsThemIntoItsLines() throws IOException {
        try (Embedded e = new Embedded()) {
            Embedded.Conn bob = e.register("bob");
            bob.send("JOIN #udp");
            Recorder out = new Recorder();
            Client alice = doorClient(e.hub(), out, "alice");
            out.got.clear();
            bob.send("PRIVMSG #udp :hi there", "PRIVMSG alice :psst", "PRIVMSG #udp :\u0001ACTION waves\u0001",
                    "TOPIC #udp :Datagrams welcome", "NICK robert", "KICK #udp alice :be nice");

            UdpParticipant p = new UdpParticipant(null, new InetSocketAddress("127.0.0.9", 4000), 16, 0);
            p.nick = "alice";
            UdpLines lines = new UdpLines("#udp", e.hub().caseMapping());
            List<String> shown = new ArrayList<>();
            for (IrcMessage m : out.got) {
                shown.addAll(lines.translate(p, m));
            }
            assertThat(shown).containsExactly("<bob> hi there", "[PM] <bob> psst", "* bob waves",
                    "-- bob set the topic: Datagrams welcome", "-- bob is now known as robert",
                    "-- bye (kicked by robert: be nice)");
            assertThat(p.state).isEqualTo(UdpParticipant.State.GONE);
            assertThat(out.bytes).as("formatted lines sent to a client without capabilities").isZero();
            assertThat(alice.isOn(e.hub().findChannel("#udp"))).isFalse();
        }
    }

    @Test
    void theSharedMessageOperationAnswersWithTypedResults() throws IOException {
        try (Embedded e = new Embedded()) {
            Embedded.Conn bob = e.register("bob");
            bob.send("JOIN #udp");
            Recorder out = new Recorder();
            Client alice = doorClient(e.hub(), out, "alice");
            bob.take();

            Messages.Result sent = Messages.send(alice, "#udp", "hello", Messages.Kind.PRIVMSG, Map.of());
            assertThat(sent.status()).isEqualTo(Messages.Status.SENT);
            IrcMessage relayed = bob.expect("PRIVMSG");
            assertThat(relayed.source()).matches("alice!~udp@[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip");
            assertThat(relayed.params()).containsExactly("#udp", "hello");
            assertThat(out.got).noneMatch(m -> m.command().equals("PRIVMSG")); // no echo to the sender

            assertThat(Messages.send(alice, "nobody", "hi", Messages.Kind.PRIVMSG, Map.of()))
                    .isEqualTo(new Messages.Result(Messages.Status.NO_SUCH_TARGET, "nobody", null));
            bob.send("MODE #udp +m");
            assertThat(Messages.send(alice, "#udp", "hi", Messages.Kind.PRIVMSG, Map.of()))
                    .isEqualTo(new Messages.Result(Messages.Status.CANNOT_SEND, "#udp", "Cannot send to channel (+m)"));
            bob.send("AWAY :lunch");
            assertThat(Messages.send(alice, "bob", "hi", Messages.Kind.PRIVMSG, Map.of()))
                    .isEqualTo(new Messages.Result(Messages.Status.SENT, "bob", "lunch"));

            alice.quit("Quit: bye");
            assertThat(out.closed).containsExactly("Quit: bye");
            assertThat(bob.expect("QUIT").last()).isEqualTo("Quit: bye");
        }
    }

    @Test
    void aFullDeliveryQueueIsNoticedWithoutBlockingAndTheGoodbyeStillGetsIn() {
        List<UdpParticipant> overflowed = new ArrayList<>();
        List<UdpParticipant> flushes = new ArrayList<>();
        UdpParticipant q = new UdpParticipant(new UdpParticipant.Owner() {
            @Override
            public void flushLater(UdpParticipant p) {
                flushes.add(p);
            }

            @Override
            public void overflowed(UdpParticipant p) {
                overflowed.add(p);
            }
        }, new InetSocketAddress("127.0.0.9", 4000), 3, 0);
        for (int i = 0; i < 5; i++) {
            q.send(IrcMessage.of("PING", "x" + i));
        }
        assertThat(overflowed).containsExactly(q);
        assertThat(flushes).hasSize(1);
        q.flushStarted();
        assertThat(((IrcMessage) q.poll()).param(0)).isEqualTo("x0");
        q.closed("SendQ exceeded", true);
        q.send(IrcMessage.of("PING", "late"));
        assertThat(flushes).hasSize(2); // the goodbye scheduled a flush after the last one started
        assertThat(q.poll()).isEqualTo(new UdpParticipant.Closed("SendQ exceeded", true)); // x1, x2 dropped
        assertThat(q.poll()).isNull();
    }

    @Test
    void noClassOfTheUdpPackageParsesOrFormatsIrcLinesOrUsesASession() throws IOException {
        Path classes = Path.of(UdpDoor.class.getProtectionDomain().getCodeSource().getLocation().getPath());
        Pattern forbidden = Pattern.compile("dev/parley/protocol/(LineDecoder|IrcParser|IrcFormatter)(?![A-Za-z])"
                + "|dev/parley/server/session/(Session|SendQ|Transport|Dispatcher)(?![A-Za-z])"
                + "|dev/parley/server/command/CommandTable(?![A-Za-z])");
        List<String> found = new ArrayList<>();
        int checked = 0;
        try (Stream<Path> files = Files.list(classes.resolve("dev/parley/server/udp"))) {
            for (Path f : files.filter(x -> x.toString().endsWith(".class")).toList()) {
                checked++;
                Matcher m = forbidden.matcher(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    found.add(f.getFileName() + " uses " + m.group());
                }
            }
        }
        assertThat(checked).isGreaterThan(5);
        assertThat(found).isEmpty();
    }
}
