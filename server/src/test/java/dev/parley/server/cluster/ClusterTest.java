package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.store.TestPostgres;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three Parley nodes on a three-server NATS cluster (JetStream, loopback) form one network:
 * users on different nodes share channels, nicks, modes and private messages; a lost node's
 * users are removed; a NATS server's failure is survived.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterTest {
    private static TestNats nats;
    private static final String OPER_HASH = dev.parley.server.service.PasswordHasher.hash("s3cret");
    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dataDir;
    private final ServerFixture fx = new ServerFixture();
    private final List<ParleyServer> nodes = new ArrayList<>();
    /** Changes between snapshots for the nodes a test starts. */
    private int snapshotEvery = ServerConfig.Cluster.OFF.snapshotEvery();

    @BeforeAll
    static void startNats() {
        TestNats.assumeAvailable();
        nats = TestNats.start(3);
    }

    @AfterAll
    static void stopNats() {
        if (nats != null) {
            nats.close();
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
        Networks.forget(nats); // each test starts from an empty network
    }

    private ParleyServer node(String name) throws Exception {
        return node(name, Duration.ofSeconds(2));
    }

    private ParleyServer node(String name, Duration lease) throws Exception {
        return node(name, lease, null);
    }

    /** A node; with {@code db}, on that PostgreSQL store (null: its own memory store). */
    private ParleyServer node(String name, Duration lease, TestPostgres.Database db) throws Exception {
        ServerConfig.Builder b = ServerFixture.config(EngineKind.VIRTUAL);
        if (db != null) {
            b.store(db.urlText()).storePasswordFile(db.writePasswordFile(dataDir));
        }
        ServerConfig config = b
                .loginMaxFailuresPerAccount(3)
                .operators(List.of(new ServerConfig.Operator("root", OPER_HASH, List.of("*@127.0.0.1"), null)))
                .httpPort(0)
                .serverName(name + ".parley.test")
                .cluster(ServerConfig.Cluster.OFF.withUrls(nats.urls()).withNodeName(name)
                        .withLease(lease).withReplicas(3).withSnapshotEvery(snapshotEvery))
                .build();
        ParleyServer s = fx.start(config);
        nodes.add(s);
        return s;
    }

    @Test
    void usersOnThreeNodesChatInAChannelAndPrivatelyEachMessageOnceInOrder() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        ParleyServer n3 = node("n3");
        TestClient ann = fx.register(n1, "ann");
        TestClient bob = fx.register(n2, "bob");
        TestClient cat = fx.register(n3, "cat");
        for (TestClient c : List.of(ann, bob, cat)) {
            c.send("JOIN #net");
            c.expect("366");
        }
        // everyone sees everyone in NAMES, on every node
        cat.send("NAMES #net");
        IrcMessage names = cat.expect("353");
        assertThat(names.last().split(" ")).containsExactlyInAnyOrder("@ann", "bob", "cat");
        cat.send("LUSERS");
        assertThat(cat.expect("251").last()).isEqualTo("There are 3 users and 0 invisible on 3 servers");
        assertThat(cat.expect("255").last()).isEqualTo("I have 1 clients and 2 servers");
        // bob saw cat join after him, from another node
        bob.expect(m -> m.command().equals("JOIN") && m.source().startsWith("cat!"));

        int count = 50;
        for (int i = 0; i < count; i++) {
            ann.send("PRIVMSG #net :line " + i);
        }
        for (TestClient c : List.of(bob, cat)) {
            for (int i = 0; i < count; i++) {
                IrcMessage m = c.expect("PRIVMSG");
                assertThat(m.source()).startsWith("ann!");
                assertThat(m.last()).isEqualTo("line " + i);
            }
        }
        // and nothing twice
        bob.send("PING :end");
        for (IrcMessage m : bob.sync()) {
            assertThat(m.command()).isNotEqualTo("PRIVMSG");
        }

        bob.send("PRIVMSG ann :hello from n2");
        IrcMessage pm = ann.expect("PRIVMSG");
        assertThat(pm.source()).startsWith("bob!");
        assertThat(pm.param(0)).isEqualTo("ann");
        assertThat(pm.last()).isEqualTo("hello from n2");

        // a nick held on one node is held on all
        TestClient dup = fx.connect(n3);
        dup.send("NICK ann");
        dup.send("USER d 0 * :d");
        assertThat(dup.expect("433").param(1)).isEqualTo("ann");

        // a nick change travels with its owner
        cat.send("NICK kit");
        ann.expect(m -> m.command().equals("NICK") && m.source().startsWith("cat!") && m.last().equals("kit"));
        ann.send("PRIVMSG kit :renamed?");
        assertThat(cat.expect("PRIVMSG").last()).isEqualTo("renamed?");

        // WHOIS and WHO name the server each user is on
        ann.send("WHOIS bob");
        assertThat(ann.expect("312").param(2)).isEqualTo("n2.parley.test");
        ann.send("WHO bob");
        assertThat(ann.expect("352").param(4)).isEqualTo("n2.parley.test");

        // MONITOR and WHOWAS see users of other nodes
        cat.send("MONITOR + bob");
        assertThat(cat.expect("730").last()).startsWith("bob!");
        ann.send("WHOWAS cat");
        assertThat(ann.expect("314").param(1)).isEqualTo("cat");

        // a quit is seen on the other nodes
        bob.send("QUIT :bye now");
        IrcMessage quit = ann.expect("QUIT");
        assertThat(quit.source()).startsWith("bob!");
        assertThat(quit.last()).isEqualTo("Quit: bye now");
        assertThat(cat.expect("731").last()).isEqualTo("bob");

        assertThat(n1.cluster().describe()).contains("n2 0 users", "n3 1 users", "n1 (this node) 1 users");
        // each node's /metrics says how it sees the network
        var http = java.net.http.HttpClient.newHttpClient();
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + n2.httpDoor().httpPort() + "/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertThat(metrics.lines()).anyMatch(l -> l.matches("parley_cluster_nodes\\{.*\\} 3\\.0"))
                .anyMatch(l -> l.matches("parley_cluster_serving\\{.*\\} 1\\.0"))
                .anyMatch(l -> l.matches("parley_cluster_applied_changes\\{.*\\} [1-9][0-9]*\\.0"));

        // an operator on one node KILLs a user of another: the victim's own node closes its connection
        ann.send("OPER root s3cret");
        ann.expect("381");
        ann.send("KILL kit :enough");
        IrcMessage error = cat.expect("ERROR");
        assertThat(error.last()).contains("enough");
        cat.expectClosed();
        IrcMessage killed = ann.expect(m -> m.command().equals("QUIT") && m.source().startsWith("kit!"));
        assertThat(killed.last()).contains("enough");
        TestClient again = fx.register(n3, "kit"); // and the nick is free
        again.send("WHOIS kit");
        again.expect("311");
    }

    @Test
    void aNodeShuttingDownTellsThePeersOfItsUsersOnTheOtherNodes() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        TestClient stays = fx.register(n1, "stays");
        TestClient leaves = fx.register(n2, "leaves");
        stays.send("JOIN #c");
        stays.expect("366");
        leaves.send("JOIN #c");
        leaves.expect("366");
        stays.expect(m -> m.command().equals("JOIN") && m.source().startsWith("leaves!"));
        n2.shutdown("maintenance");
        IrcMessage quit = stays.expect(m -> m.command().equals("QUIT"));
        assertThat(quit.source()).startsWith("leaves!");
        assertThat(quit.last()).isEqualTo("maintenance");
        stays.send("NAMES #c");
        assertThat(stays.expect("353").last()).isEqualTo("@stays");
    }

    @Test
    void twoNodesAskingForOneNickAtOnceGiveItToOne() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        for (int round = 0; round < 5; round++) {
            TestClient x = fx.register(n1, "x" + round);
            TestClient y = fx.register(n2, "y" + round);
            String wanted = "alice" + round;
            CountDownLatch go = new CountDownLatch(1);
            Thread tx = Thread.ofVirtual().start(() -> {
                await(go);
                x.send("NICK " + wanted);
            });
            Thread ty = Thread.ofVirtual().start(() -> {
                await(go);
                y.send("NICK " + wanted);
            });
            go.countDown();
            tx.join();
            ty.join();
            String xs = "x" + round + "!";
            String ys = "y" + round + "!";
            IrcMessage ax = x.expect(m -> m.command().equals("433") || m.command().equals("NICK") && m.source().startsWith(xs));
            IrcMessage ay = y.expect(m -> m.command().equals("433") || m.command().equals("NICK") && m.source().startsWith(ys));
            assertThat(List.of(ax.command(), ay.command())).as("round %d", round).containsExactlyInAnyOrder("NICK", "433");
            // and both nodes agree who holds it
            TestClient w1 = fx.register(n1, "w1r" + round);
            TestClient w2 = fx.register(n2, "w2r" + round);
            w1.send("WHOIS " + wanted);
            w2.send("WHOIS " + wanted);
            String user1 = w1.expect("311").param(2);
            String user2 = w2.expect("311").param(2);
            assertThat(user1).isEqualTo(user2);
            for (TestClient c : List.of(x, y, w1, w2)) {
                c.close();
            }
        }
    }

    @Test
    void modesTopicsAndBansAgreeOnEveryNode() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        TestClient op = fx.register(n1, "op");
        TestClient guest = fx.register(n2, "guest");
        op.send("JOIN #rules");
        op.expect("366");
        guest.send("JOIN #rules");
        guest.expect("366");
        op.send("TOPIC #rules :be kind");
        guest.expect(m -> m.command().equals("TOPIC") && m.last().equals("be kind"));
        op.send("MODE #rules +m");
        guest.expect(m -> m.command().equals("MODE") && m.param(1).equals("+m"));
        guest.send("PRIVMSG #rules :can I talk?");
        assertThat(guest.expect("404").param(1)).isEqualTo("#rules");
        op.send("MODE #rules +v guest");
        guest.expect(m -> m.command().equals("MODE") && m.param(1).equals("+v"));
        guest.send("PRIVMSG #rules :now I can");
        assertThat(op.expect("PRIVMSG").last()).isEqualTo("now I can");
        op.send("MODE #rules +b guest!*@*");
        op.send("KICK #rules guest :out");
        guest.expect(m -> m.command().equals("KICK") && m.param(1).equals("guest"));
        guest.send("JOIN #rules");
        assertThat(guest.expect("474").param(1)).isEqualTo("#rules");
        // a third node, started later, catches up with all of it
        ParleyServer n3 = node("n3");
        TestClient late = fx.register(n3, "late");
        late.send("JOIN #rules");
        late.expect("366");
        late.send("TOPIC #rules");
        assertThat(late.expect("332").last()).isEqualTo("be kind");
        late.send("MODE #rules b");
        assertThat(late.expect("367").param(2)).isEqualTo("guest!*@*");
    }

    @Test
    @Order(100) // last: it stops a NATS server
    void aLostNodesUsersAreRemovedAndTheNetworkGoesOnWhenANatsServerFails() throws Exception {
        // a lease longer than JetStream takes to elect new leaders when a NATS server fails (4 to 9 s)
        Duration lease = Duration.ofSeconds(12);
        ParleyServer n1 = node("n1", lease);
        ParleyServer n2 = node("n2", lease);
        TestClient stay = fx.register(n1, "stay");
        TestClient doomed = fx.register(n2, "doomed");
        stay.send("JOIN #x");
        stay.expect("366");
        doomed.send("JOIN #x");
        doomed.expect("366");
        stay.expect(m -> m.command().equals("JOIN") && m.source().startsWith("doomed!"));

        // n2 stops talking to the network without a word (as if its machine died)
        n2.cluster().crash();
        IrcMessage quit = stay.expect(m -> m.command().equals("QUIT"), Duration.ofSeconds(40));
        assertThat(quit.source()).startsWith("doomed!");
        assertThat(quit.last()).isEqualTo("Node lost: n2");
        TestClient again = fx.register(n1, "doomed"); // the nick is free again
        again.send("JOIN #x");
        again.expect("366");

        // one NATS server of three fails: changes and messages still go through
        nats.kill(0);
        ParleyServer n3 = node("n3", lease);
        TestClient third = fx.register(n3, "third");
        third.send("JOIN #x");
        third.expect("366");
        // once stay's node has applied the JOIN (it may be finding a new JetStream leader meanwhile)
        stay.expect(m -> m.command().equals("JOIN") && m.source().startsWith("third!"), Duration.ofSeconds(30));
        stay.send("PRIVMSG #x :still here");
        assertThat(third.expect("PRIVMSG").last()).isEqualTo("still here");
        nats.restart(0);
    }

    @Test
    void nodesOnOnePostgresqlStoreShareAccountsAndHistory() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Duration lease = Duration.ofSeconds(2);
        ParleyServer n1 = node("n1", lease, db);
        ParleyServer n2 = node("n2", lease, db);
        TestClient ann = fx.register(n1, "ann");
        ann.send("CAP REQ :draft/chathistory batch server-time message-tags");
        ann.send("PRIVMSG NickServ :REGISTER wonderland");
        ann.expect("900");
        ann.send("JOIN #log");
        ann.expect("366");
        TestClient bob = fx.register(n2, "bob");
        bob.send("PRIVMSG NickServ :REGISTER looking-glass");
        bob.expect("900");
        bob.send("JOIN #log");
        bob.expect("366");
        ann.expect(m -> m.command().equals("JOIN") && m.source().startsWith("bob!"));
        for (int i = 0; i < 4; i++) { // each after the last has arrived: one order for all to agree on
            (i % 2 == 0 ? ann : bob).send("PRIVMSG #log :entry " + i);
            String text = "entry " + i;
            (i % 2 == 0 ? bob : ann).expect(m -> m.command().equals("PRIVMSG") && m.last().equals(text));
        }
        bob.send("PRIVMSG ann :just between us");
        ann.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("just between us"));
        // the same lines, in the same order, from either node
        List<String> fromN1 = latest(ann, "#log", 4);
        TestClient ann2 = fx.register(n2, "ann2");
        ann2.send("CAP REQ :draft/chathistory batch server-time message-tags draft/read-marker");
        ann2.send("PRIVMSG NickServ :IDENTIFY ann wonderland"); // the account made on n1, used on n2
        ann2.expect("900");
        // a read marker set on one node reaches the account's connection on the other
        ann.send("MARKREAD #log timestamp=2026-01-02T03:04:05.678Z");
        IrcMessage marker = ann2.expect(m -> m.command().equals("MARKREAD"));
        assertThat(marker.params()).containsExactly("#log", "timestamp=2026-01-02T03:04:05.678Z");
        ann2.send("JOIN #log");
        ann2.expect("366");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> latest(ann2, "#log", 4).equals(fromN1));
        assertThat(fromN1).extracting(line -> line.substring(line.indexOf(' ') + 1))
                .containsExactly("ann entry 0", "bob entry 1", "ann entry 2", "bob entry 3");
        // and the private conversation of two accounts, from the node neither sent it on
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10))
                .until(() -> latest(ann2, "bob", 10).stream().anyMatch(l -> l.endsWith("bob just between us")));

        // a channel registered with ChanServ on one node, its access list changed there, is obeyed on the other
        ann.send("PRIVMSG ChanServ :REGISTER #log");
        ann.expect(m -> m.command().equals("NOTICE") && m.source().startsWith("ChanServ") && m.last().contains("registered"));
        ann.send("PRIVMSG ChanServ :ACCESS #log ADD bob op");
        ann.expect(m -> m.command().equals("NOTICE") && m.source().startsWith("ChanServ") && m.last().contains("added"));
        bob.send("PART #log");
        bob.expect("PART");
        bob.send("JOIN #log");
        IrcMessage op = bob.expect(m -> m.command().equals("MODE") && m.param(0).equals("#log")); // right after the JOIN
        assertThat(op.source()).startsWith("ChanServ");
        assertThat(op.param(1)).isEqualTo("+o");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                n1.cluster().appliedSequence() == n2.cluster().appliedSequence());
        assertThat(n2.hub().describeState()).isEqualTo(n1.hub().describeState());
    }

    @Test
    void failedLoginsCountOnEveryNodeSoGuessesCannotBeSpreadOverThem() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        ParleyServer n1 = node("n1", Duration.ofSeconds(2), db);
        ParleyServer n2 = node("n2", Duration.ofSeconds(2), db);
        TestClient owner = fx.register(n1, "owner");
        owner.send("PRIVMSG NickServ :REGISTER right-password");
        owner.expect("900");
        TestClient g1 = fx.register(n1, "guess1");
        TestClient g2 = fx.register(n2, "guess2");
        for (TestClient g : List.of(g1, g1, g2)) { // three wrong guesses, over two nodes: the account's limit
            g.send("PRIVMSG NickServ :IDENTIFY owner wrong-password");
            assertThat(g.expect(m -> m.command().equals("NOTICE") && m.source().startsWith("NickServ")).last())
                    .isEqualTo("Invalid account or password.");
        }
        // n2 saw only one of them, yet refuses even the right password now
        g2.send("PRIVMSG NickServ :IDENTIFY owner right-password");
        assertThat(g2.expect(m -> m.command().equals("NOTICE") && m.source().startsWith("NickServ")).last())
                .startsWith("Too many failed attempts.");
    }

    @Test
    void accountsAndHistorySurviveADatabaseRestartAndTheNodesCarryOn() throws Exception {
        TestPostgres.Database db = TestPostgres.newDatabase();
        Duration lease = Duration.ofSeconds(2);
        ParleyServer n1 = node("n1", lease, db);
        ParleyServer n2 = node("n2", lease, db);
        TestClient ann = fx.register(n1, "ann");
        ann.send("PRIVMSG NickServ :REGISTER wonderland");
        ann.expect("900");
        ann.send("JOIN #kept");
        ann.expect("366");
        ann.send("PRIVMSG #kept :before");
        TestPostgres.whileStopped(() -> {
            // the database is down: chat goes on, history waits to be stored
            ann.send("PRIVMSG #kept :while the database was down");
            ann.sync();
        });
        ann.send("PRIVMSG #kept :after");
        TestClient again = fx.register(n2, "ann2");
        again.send("CAP REQ :draft/chathistory batch server-time message-tags");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
            again.send("PRIVMSG NickServ :IDENTIFY ann wonderland");
            IrcMessage m = again.expect(x -> x.command().equals("900") || x.command().equals("NOTICE")
                    && x.source().startsWith("NickServ"));
            return m.command().equals("900");
        });
        again.send("JOIN #kept");
        again.expect("366");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(90)).until(() ->
                latest(again, "#kept", 10).stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList()
                        .equals(List.of("ann before", "ann while the database was down", "ann after")));
    }

    @Test
    void aStartingNodeCatchesUpFromASnapshotAndTheChangesAfterIt() throws Exception {
        snapshotEvery = 10;
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        TestClient a = fx.register(n1, "a");
        TestClient b = fx.register(n2, "b");
        for (int i = 0; i < 8; i++) {
            a.send("JOIN #s" + i);
            a.expect("366");
            a.send("TOPIC #s" + i + " :topic " + i);
            a.expect("TOPIC");
            b.send("JOIN #s" + i);
            b.expect("366");
        }
        a.send("MODE #s0 +b nobody!*@*");
        a.expect("MODE");
        // a snapshot was stored and the changes a snapshot ago and older dropped
        try (io.nats.client.Connection c = io.nats.client.Nats.connect(
                io.nats.client.Options.builder().servers(nats.urlArray()).build())) {
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
                    c.jetStreamManagement().getStreamInfo(ClusterNode.STREAM).getStreamState().getFirstSequence() > 1);
        }
        ParleyServer n3 = node("n3");
        assertThat(n3.cluster().startedFrom()).as("the change n3 started from").isGreaterThan(0);
        TestClient c = fx.register(n3, "c");
        c.send("JOIN #s7");
        c.expect("366");
        c.send("TOPIC #s7");
        assertThat(c.expect("332").last()).isEqualTo("topic 7");
        c.send("MODE #s0 b");
        assertThat(c.expect("367").param(2)).isEqualTo("nobody!*@*");
        a.expect(m -> m.command().equals("JOIN") && m.source().startsWith("c!") && m.param(0).equals("#s7"));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
                n3.cluster().appliedSequence() == n1.cluster().appliedSequence()
                        && n2.cluster().appliedSequence() == n1.cluster().appliedSequence());
        assertThat(n3.hub().describeState()).isEqualTo(n1.hub().describeState());
        assertThat(n2.hub().describeState()).isEqualTo(n1.hub().describeState());
    }

    /** CHATHISTORY LATEST of {@code target}: each line as "msgid nick text". */
    private static List<String> latest(TestClient c, String target, int limit) {
        c.sync(); // what came before (a JOIN's replay) is not the answer
        c.send("CHATHISTORY LATEST " + target + " * " + limit);
        List<String> lines = new ArrayList<>();
        c.expect(m -> m.command().equals("BATCH") && m.param(0).startsWith("+"));
        while (true) {
            IrcMessage m = c.next();
            if (m.command().equals("BATCH")) {
                return lines;
            }
            if (m.command().equals("PRIVMSG")) {
                String nick = m.source().substring(0, m.source().indexOf('!'));
                lines.add(m.tags().get("msgid") + " " + nick + " " + m.last());
            }
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
