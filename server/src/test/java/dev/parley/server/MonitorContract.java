package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.PasswordHasher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** IRCv3 MONITOR (730-734, ISUPPORT MONITOR) and extended-monitor. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
public class MonitorContract extends EngineTestBase {
    private static final String CLOAKED = "[a-z2-7]{8}\\.[a-z2-7]{8}\\.[a-z2-7]{8}\\.ip";

    private static String operHash;

    MonitorContract(EngineKind engine) {
        super(engine);
    }

    @BeforeAll
    static void hashOnce() {
        operHash = PasswordHasher.hash("s3cret");
    }


    /** Every line received before a PING's PONG with {@code command}. */
    private static List<IrcMessage> pending(TestClient c, String command) {
        return c.sync().stream().filter(m -> m.command().equals(command)).toList();
    }

    private static List<String> items(IrcMessage m) {
        return Arrays.asList(m.last().split(","));
    }

    @Test
    void isupportAdvertisesTheLimitAndCapLsTheExtension() throws IOException {
        ParleyServer s = start(config().monitorLimit(42));
        TestClient c = fx.connect(s);
        c.send("CAP LS 302");
        assertThat(c.capLs().split(" ")).contains("extended-monitor");
        c.send("CAP END");
        c.send("NICK isu");
        c.send("USER isu 0 * :I");
        List<String> tokens = new ArrayList<>();
        IrcMessage m;
        while (!(m = c.expect(x -> x.command().equals("005") || x.command().equals("251"))).command().equals("251")) {
            tokens.addAll(m.params().subList(1, m.paramCount() - 1));
        }
        assertThat(tokens).contains("MONITOR=42");
    }

    @Test
    void addAnswersOnlineWithTheShownPrefixAndOffline() throws IOException {
        ParleyServer s = start();
        fx.register(s, "alice");
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + alice,nobody");
        IrcMessage online = w.expect("730");
        assertThat(online.param(0)).isEqualTo("watcher");
        assertThat(online.last()).matches("alice!~alice@" + CLOAKED); // the cloak, never the address
        IrcMessage offline = w.expect("731");
        assertThat(offline.params()).containsExactly("watcher", "nobody");
    }

    @Test
    void listStatusRemoveAndClear() throws IOException {
        ParleyServer s = start();
        fx.register(s, "carol");
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + ann,Bob,carol");
        w.expect("731");
        w.send("MONITOR L");
        assertThat(w.expect("732").params()).containsExactly("watcher", "ann,Bob,carol");
        assertThat(w.expect("733").params()).containsExactly("watcher", "End of MONITOR list");

        w.send("MONITOR S");
        assertThat(w.expect("730").last()).matches("carol!~carol@" + CLOAKED);
        assertThat(items(w.expect("731"))).containsExactly("ann", "Bob");

        w.send("MONITOR - ann,bob");
        assertThat(w.sync()).as("MONITOR - answers nothing").isEmpty();
        w.send("MONITOR L");
        assertThat(w.expect("732").last()).isEqualTo("carol");
        w.expect("733");
        w.send("MONITOR S");
        assertThat(w.expect("730").last()).startsWith("carol!");

        w.send("MONITOR C");
        assertThat(w.sync()).as("MONITOR C answers nothing").isEmpty();
        w.send("MONITOR L");
        assertThat(w.expect(m -> m.command().startsWith("73")).command()).isEqualTo("733");
        w.send("MONITOR S");
        assertThat(w.sync()).as("MONITOR S of an empty list").isEmpty();
        w.send("monitor l");
        w.expect("733");
    }

    @Test
    void aFullListRefusesTheRestWith734() throws IOException {
        ParleyServer s = start(config().monitorLimit(2));
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + aa,bb,cc,dd");
        assertThat(items(w.expect("731"))).containsExactly("aa", "bb");
        assertThat(w.expect("734").params()).containsExactly("watcher", "2", "cc,dd", "Monitor list is full");
        w.send("MONITOR + AA");
        assertThat(w.expect("731").last()).as("already there: no room needed").isEqualTo("AA");
        assertThat(pending(w, "734")).isEmpty();
        w.send("MONITOR - aa");
        w.send("MONITOR + ee");
        assertThat(w.expect("731").last()).isEqualTo("ee");
        assertThat(pending(w, "734")).isEmpty();
        w.send("MONITOR L");
        assertThat(w.expect("732").last()).isEqualTo("bb,ee");
    }

    @Test
    void registrationComesOnline() throws IOException {
        ParleyServer s = start();
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + late");
        w.expect("731");
        TestClient late = fx.connect(s);
        late.send("NICK late");
        w.send("MONITOR S");
        assertThat(w.expect("731").last()).as("a nick held before registration is offline").isEqualTo("late");
        late.send("USER late 0 * :L");
        IrcMessage online = w.expect("730");
        assertThat(online.param(0)).isEqualTo("watcher");
        assertThat(online.last()).matches("late!~late@" + CLOAKED);
    }

    @Test
    void aNickChangeGoesOfflineThenOnline() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + alice,alicia");
        w.expect("730");
        w.expect("731");
        alice.send("NICK alicia");
        assertThat(w.expect("731").params()).containsExactly("watcher", "alice");
        assertThat(w.expect("730").last()).matches("alicia!~alice@" + CLOAKED);
        alice.send("NICK ALICIA");
        alice.expect("NICK");
        assertThat(w.sync()).as("a change of case only: still online").noneMatch(m -> m.command().startsWith("73"));
        alice.send("NICK zed");
        assertThat(w.expect("731").last()).isEqualTo("ALICIA");
        assertThat(pending(w, "730")).as("nobody watches zed").isEmpty();
    }

    @Test
    void quitAndDisconnectGoOffline() throws IOException {
        ParleyServer s = start();
        TestClient bob = fx.register(s, "bob");
        TestClient dan = fx.register(s, "dan");
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + bob,dan");
        assertThat(items(w.expect("730"))).hasSize(2);
        bob.send("QUIT :bye");
        assertThat(w.expect("731").params()).containsExactly("watcher", "bob");
        dan.close(); // no QUIT: the connection just ends
        assertThat(w.expect("731").params()).containsExactly("watcher", "dan");
    }

    @Test
    void nicksAreComparedCaseInsensitively() throws IOException {
        ParleyServer s = start();
        TestClient nick = fx.register(s, "Nick[a]");
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + NICK{A},nick[a]");
        IrcMessage online = w.expect("730");
        assertThat(online.last()).as("one entry, shown as the holder spells it").matches("Nick\\[a\\]!~Nick\\[a\\]@" + CLOAKED);
        w.send("MONITOR L");
        assertThat(w.expect("732").last()).isEqualTo("NICK{A}");
        nick.send("QUIT");
        assertThat(w.expect("731").last()).isEqualTo("Nick[a]");
        w.send("MONITOR - nick{a}");
        w.send("MONITOR L");
        assertThat(w.expect(m -> m.command().startsWith("73")).command()).isEqualTo("733");
    }

    @Test
    void invalidTargetsAreIgnored() throws IOException {
        ParleyServer s = start();
        TestClient w = fx.register(s, "watcher");
        w.send("MONITOR + #chan,1abc,,ok,bad!mask@*");
        assertThat(w.expect("731").params()).containsExactly("watcher", "ok");
        w.send("MONITOR L");
        assertThat(w.expect("732").last()).isEqualTo("ok");
        w.send("MONITOR +");
        w.expect("461");
        w.send("MONITOR X");
        assertThat(w.expect("400").params()).startsWith("watcher", "MONITOR", "X");
    }

    @Test
    void longListsAreSplitUnder512Bytes() throws IOException {
        ParleyServer s = start();
        TestClient w = fx.register(s, "watcher");
        List<String> nicks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            nicks.add("someone-" + (1000 + i));
        }
        for (int from = 0; from < nicks.size(); from += 25) {
            w.send("MONITOR + " + String.join(",", nicks.subList(from, from + 25)));
        }
        w.sync();
        w.send("MONITOR L");
        List<String> listed = new ArrayList<>();
        IrcMessage m;
        while (!(m = w.expect(x -> x.command().equals("732") || x.command().equals("733"))).command().equals("733")) {
            assertThat((":irc.test 732 watcher :" + m.last()).getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(510);
            listed.addAll(items(m));
        }
        assertThat(listed).isEqualTo(nicks);
        w.send("MONITOR S");
        List<String> offline = new ArrayList<>();
        for (IrcMessage line : pending(w, "731")) {
            offline.addAll(items(line));
        }
        assertThat(offline).isEqualTo(nicks);
    }

    @Test
    void aWatchersListLeavesWithIt() throws IOException {
        ParleyServer s = start();
        TestClient w = fx.register(s, "watcher");
        TestClient other = fx.register(s, "other");
        w.send("MONITOR + aa,bb");
        other.send("MONITOR + bb,cc");
        w.expect("731");
        other.expect("731");
        assertThat(s.hub().watchedNicks()).isEqualTo(3);
        other.send("MONITOR C");
        other.sync();
        assertThat(s.hub().watchedNicks()).isEqualTo(2);
        w.send("QUIT");
        await().atMost(Duration.ofSeconds(10)).until(() -> s.hub().watchedNicks() == 0);
        TestClient bb = fx.register(s, "bb");
        assertThat(pending(other, "730")).as("cleared: no notification").isEmpty();
        bb.send("QUIT");
    }

    private ServerConfig.Builder withOper() {
        return config().operators(List.of(
                new ServerConfig.Operator("root", operHash, List.of("*@127.0.0.1"), "staff.parley")));
    }

    @Test
    void extendedMonitorCarriesAwayAccountChghostAndSetnameWithoutASharedChannel() throws IOException {
        ParleyServer s = start(withOper());
        TestClient alice = fx.register(s, "alice");
        TestClient ext = withCaps(s, "ext", "extended-monitor away-notify account-notify chghost setname");
        TestClient plain = withCaps(s, "plain", "away-notify account-notify chghost setname");
        TestClient partial = withCaps(s, "partial", "extended-monitor away-notify");
        for (TestClient w : List.of(ext, plain, partial)) {
            w.send("MONITOR + alice");
            w.expect("730");
        }

        alice.send("AWAY :lunch");
        IrcMessage away = ext.expect("AWAY");
        assertThat(away.source()).matches("alice!~alice@" + CLOAKED);
        assertThat(away.params()).containsExactly("lunch");
        assertThat(partial.expect("AWAY").params()).containsExactly("lunch");
        alice.send("AWAY");
        assertThat(ext.expect("AWAY").params()).isEmpty();

        alice.send("SETNAME :Alice Liddell");
        assertThat(ext.expect("SETNAME").params()).containsExactly("Alice Liddell");

        alice.send("PRIVMSG NickServ :REGISTER alice-password");
        assertThat(ext.expect("ACCOUNT").params()).containsExactly("alice");

        alice.send("OPER root s3cret");
        IrcMessage chg = ext.expect("CHGHOST");
        assertThat(chg.source()).matches("alice!~alice@" + CLOAKED);
        assertThat(chg.params()).containsExactly("~alice", "staff.parley");

        assertThat(plain.sync()).as("without extended-monitor, monitoring tells only online and offline")
                .noneMatch(m -> List.of("AWAY", "SETNAME", "ACCOUNT", "CHGHOST").contains(m.command()));
        assertThat(partial.sync()).as("extended-monitor carries only what the client also asked for")
                .noneMatch(m -> List.of("SETNAME", "ACCOUNT", "CHGHOST").contains(m.command()));
    }

    @Test
    void aWatcherSharingAChannelHearsOnce() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#both");
        TestClient ext = withCaps(s, "ext", "extended-monitor away-notify setname");
        ext.send("JOIN #both");
        ext.expect("366");
        ext.send("MONITOR + alice");
        ext.expect("730");
        alice.send("AWAY :busy");
        alice.expect("306");
        alice.send("SETNAME :Alice B");
        alice.sync();
        List<IrcMessage> got = ext.sync();
        assertThat(got.stream().filter(m -> m.command().equals("AWAY"))).hasSize(1);
        assertThat(got.stream().filter(m -> m.command().equals("SETNAME"))).hasSize(1);
    }

    @Test
    void aWatcherOfItselfIsNotToldItsOwnAway() throws IOException {
        ParleyServer s = start();
        TestClient me = withCaps(s, "me", "extended-monitor away-notify setname");
        me.send("MONITOR + me");
        assertThat(me.expect("730").last()).startsWith("me!");
        me.send("AWAY :gone");
        me.expect("306");
        me.send("SETNAME :New Me");
        assertThat(me.expect("SETNAME").params()).containsExactly("New Me");
        List<IrcMessage> got = me.sync();
        assertThat(got).noneMatch(m -> m.command().equals("AWAY"));
        assertThat(got).noneMatch(m -> m.command().equals("SETNAME"));
    }
}
