package dev.parley.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Faults of a three-node network: a node killed in the middle of traffic (its users quit for
 * everyone within the lease, survivors lose and repeat nothing), a node restarted (it catches up
 * and serves), and a randomized storm across the nodes after which every node holds the same state.
 */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ClusterFaultsTest {
    private static TestNats nats;
    private final ServerFixture fx = new ServerFixture();
    private final Duration lease = Duration.ofSeconds(2);

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
        Networks.forget(nats);
    }

    private ParleyServer node(String name) throws IOException {
        ServerConfig config = ServerFixture.config(EngineKind.VIRTUAL)
                .serverName(name + ".parley.test")
                .cluster(ServerConfig.Cluster.OFF.withUrls(nats.urls()).withNodeName(name).withLease(lease).withReplicas(3))
                .build();
        return fx.start(config);
    }

    /** A node whose machine dies: no QUIT reaches the network, its connections drop. */
    private static void kill(ParleyServer node) {
        node.cluster().crash();
        node.close();
    }

    @Test
    void aNodeKilledMidTrafficLeavesTheSurvivorsEveryMessageOnceAndItsNicksFree() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        ParleyServer n3 = node("n3");
        TestClient sender = fx.register(n1, "sender");
        TestClient watcher = fx.register(n2, "watcher");
        TestClient victim = fx.register(n3, "victim");
        for (TestClient c : List.of(sender, watcher, victim)) {
            c.send("JOIN #busy");
            c.expect("366");
        }
        sender.expect(m -> m.command().equals("JOIN") && m.source().startsWith("victim!"));
        watcher.expect(m -> m.command().equals("JOIN") && m.source().startsWith("victim!"));
        int total = 400;
        Thread traffic = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < total; i++) {
                sender.send("PRIVMSG #busy :" + i);
                if (i % 20 == 19) {
                    sender.sync(); // paced, so the flood control never holds the sender back
                }
            }
        });
        // the victim's node dies while the messages flow
        victim.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("50"));
        kill(n3);
        traffic.join();
        int next = 0;
        boolean quitSeen = false;
        while (next < total || !quitSeen) {
            IrcMessage m = watcher.expect(x -> x.command().equals("PRIVMSG") || x.command().equals("QUIT"),
                    Duration.ofSeconds(30));
            if (m.command().equals("QUIT")) {
                assertThat(m.source()).startsWith("victim!");
                assertThat(m.last()).isEqualTo("Node lost: n3");
                quitSeen = true;
            } else {
                assertThat(m.last()).as("the next message, once").isEqualTo(Integer.toString(next));
                next++;
            }
        }
        // the victim's nick is free on every surviving node
        TestClient back = fx.register(n2, "victim");
        back.send("JOIN #busy");
        back.expect("366");
        sender.send("NAMES #busy");
        assertThat(sender.expect("353").last().split(" ")).containsExactlyInAnyOrder("@sender", "watcher", "victim");
    }

    @Test
    void aRestartedNodeCatchesUpAndServes() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        TestClient a = fx.register(n1, "a");
        a.send("JOIN #keep");
        a.expect("366");
        a.send("TOPIC #keep :kept across restarts");
        a.expect("TOPIC");
        TestClient b = fx.register(n2, "b");
        b.send("JOIN #keep");
        b.expect("366");
        kill(n2);
        a.expect(m -> m.command().equals("QUIT") && m.source().startsWith("b!"), Duration.ofSeconds(30));
        ParleyServer again = node("n2");
        TestClient b2 = fx.register(again, "b");
        b2.send("JOIN #keep");
        b2.expect("366");
        b2.send("TOPIC #keep");
        assertThat(b2.expect("332").last()).isEqualTo("kept across restarts");
        a.expect(m -> m.command().equals("JOIN") && m.source().startsWith("b!"));
        a.send("PRIVMSG #keep :welcome back");
        assertThat(b2.expect("PRIVMSG").last()).isEqualTo("welcome back");
        assertThat(again.hub().describeState()).isEqualTo(n1.hub().describeState());
    }

    @Test
    void afterARandomStormWithANodeKilledAndRestartedEveryNodeHoldsTheSameState() throws Exception {
        List<ParleyServer> nodes = new CopyOnWriteArrayList<>(List.of(node("n1"), node("n2"), node("n3")));
        Random random = new Random(2026);
        String[] channels = {"#a", "#b", "#c", "#d"};
        String[] nicks = {"ash", "birch", "cedar", "elm", "fir", "hazel", "oak", "pine", "rowan", "yew"};
        int perNode = 6;
        List<TestClient> clients = new CopyOnWriteArrayList<>();
        for (int n = 0; n < nodes.size(); n++) {
            for (int i = 0; i < perNode; i++) {
                clients.add(fx.register(nodes.get(n), "u" + n + "x" + i));
            }
        }
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentHashMap<TestClient, Boolean> dead = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        for (TestClient c : clients) {
            long seed = random.nextLong();
            threads.add(Thread.ofVirtual().start(() -> storm(c, new Random(seed), channels, nicks, stop, dead)));
        }
        Thread.sleep(2500);
        ParleyServer doomed = nodes.remove(2);
        kill(doomed);
        Thread.sleep(1500);
        nodes.add(node("n3"));
        for (int i = 0; i < perNode; i++) {
            TestClient c = fx.register(nodes.get(2), "v" + i);
            long seed = random.nextLong();
            threads.add(Thread.ofVirtual().start(() -> storm(c, new Random(seed), channels, nicks, stop, dead)));
        }
        Thread.sleep(3000);
        stop.set(true);
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(30));
        }
        // quiet now: once every node has applied the whole stream, they agree
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            long a = nodes.get(0).cluster().appliedSequence();
            return a > 0 && nodes.stream().allMatch(n -> n.cluster().appliedSequence() == a);
        });
        String state = nodes.get(0).hub().describeState();
        assertThat(state).contains("#a"); // the storm left something to compare
        for (ParleyServer n : nodes) {
            assertThat(n.hub().describeState()).as("state of %s", n.cluster().name()).isEqualTo(state);
        }
    }

    @Test
    @org.junit.jupiter.api.Order(100) // last: it stops every NATS server
    void nodesCutOffFromNatsTellTheirUsersToReconnectStopListeningAndServeAgainWhenNatsIsBack() throws Exception {
        ParleyServer n1 = node("n1");
        ParleyServer n2 = node("n2");
        TestClient a = fx.register(n1, "a");
        TestClient b = fx.register(n2, "b");
        a.send("JOIN #up");
        a.expect("366");
        b.send("JOIN #up");
        b.expect("366");
        for (int i = 0; i < nats.size(); i++) {
            nats.kill(i);
        }
        // within a lease or two, each node gives up: its users are told to reconnect
        for (TestClient c : List.of(a, b)) {
            IrcMessage error = c.expect(m -> m.command().equals("ERROR"), Duration.ofSeconds(30));
            assertThat(error.last()).contains("Lost contact with the network; please reconnect");
            c.expectClosed();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !n1.isReady() && !n2.isReady());
        assertThat(n1.isPaused()).as("n1 stopped listening").isTrue();

        nats.restartAll();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> n1.isReady() && n2.isReady());
        TestClient a2 = fx.register(n1, "a"); // the old a is gone everywhere: its nick is free
        TestClient b2 = fx.register(n2, "b");
        a2.send("JOIN #up");
        a2.expect("366");
        b2.send("JOIN #up");
        b2.expect("366");
        a2.expect(m -> m.command().equals("JOIN") && m.source().startsWith("b!"), Duration.ofSeconds(20));
        a2.send("PRIVMSG #up :back again");
        assertThat(b2.expect("PRIVMSG").last()).isEqualTo("back again");
        a2.send("NAMES #up");
        assertThat(a2.expect("353").last().split(" ")).containsExactlyInAnyOrder("@a", "b");
    }

    /** One user's random walk: joins, parts, nick fights, messages, topics, until stopped. */
    private static void storm(TestClient c, Random r, String[] channels, String[] nicks, AtomicBoolean stop,
                              ConcurrentHashMap<TestClient, Boolean> dead) {
        try {
            while (!stop.get() && !c.isClosed()) {
                String ch = channels[r.nextInt(channels.length)];
                switch (r.nextInt(10)) {
                    case 0, 1, 2 -> c.send("JOIN " + ch);
                    case 3 -> c.send("PART " + ch + " :walk");
                    case 4 -> c.send("NICK " + nicks[r.nextInt(nicks.length)] + r.nextInt(3));
                    case 5 -> c.send("TOPIC " + ch + " :t" + r.nextInt(100));
                    case 6 -> c.send("MODE " + ch + " " + (r.nextBoolean() ? "+" : "-") + "t");
                    default -> c.send("PRIVMSG " + ch + " :hello " + r.nextInt(1000));
                }
                Thread.sleep(20 + r.nextInt(40));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            dead.put(c, true); // its node was killed
        }
    }
}
