package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.server.config.EngineKind;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Membership;
import dev.parley.server.session.Session;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hundreds of clients at once on each engine: they join, part, change nick (sometimes racing
 * for the same one), talk in channels, quit and come back (politely or by dropping the
 * connection). Afterwards the server's state must be consistent (channels and members agree,
 * NAMES says the same, nobody left behind once everyone is gone), observers who stayed in one
 * channel the whole time must have received every message sent there exactly once and in
 * each sender's order, no thread may be deadlocked, and a newcomer must still be served.
 *
 * <p>Each simulated client is a virtual thread that writes, plus one that reads; they pace
 * themselves at {@link #STEP} so a flood limit would delay them, never disconnect them.
 */
class StressTest {
    /**
     * A client's pause between two commands, drawn from STEP/2 to 3·STEP/2: about four lines a
     * second each (reconnecting adds NICK and USER), under a flood limit of 5 lines/s with a
     * burst of 10.
     */
    static final Duration STEP = Duration.ofMillis(250);
    /** How long the clients keep at it. */
    static final Duration LOAD = Duration.ofSeconds(8);
    /** Clients that stay in {@link #OBSERVED} from start to end and count what arrives there. */
    static final int OBSERVERS = 3;
    static final String OBSERVED = "#observed";
    static final List<String> OTHER_CHANNELS = List.of("#c0", "#c1", "#c2", "#c3", "#c4", "#c5", "#c6", "#c7");
    /** Nicks several clients may want at once. */
    static final int CONTESTED_NICKS = 10;
    /**
     * How often, during the load, one client is disconnected from another thread, as the
     * console's {@code kick} and an operator's KILL do, whatever its own reader is doing.
     */
    static final Duration KICK_EVERY = Duration.ofMillis(50);
    /** Longest wait for one reply; only reached when something is wrong. */
    static final Duration REPLY_TIMEOUT = Duration.ofSeconds(20);

    private final ServerFixture fx = new ServerFixture();
    private final Queue<Socket> sockets = new ConcurrentLinkedQueue<>();

    static int clientsFor(EngineKind engine) {
        return engine == EngineKind.THREADS ? 200 : 300;
    }

    @AfterEach
    void tearDown() {
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        fx.close();
    }

    @ParameterizedTest
    @EnumSource(EngineKind.class)
    void racingClientsLeaveConsistentStateAndGetEveryMessageExactlyOnce(EngineKind engine) throws Exception {
        ParleyServer server = fx.start(ServerFixture.config(engine).build());
        Hub hub = server.hub();
        Run run = new Run(server.port(), clientsFor(engine));

        List<Bot> observers = new ArrayList<>();
        for (int i = 0; i < OBSERVERS; i++) {
            Bot o = new Bot(run, i, true);
            o.connect();
            o.send("JOIN " + OBSERVED);
            o.channels.add(OBSERVED);
            assertThat(o.sync()).as("observer %d joined", i).isTrue();
            observers.add(o);
        }
        List<Bot> bots = new ArrayList<>();
        for (int i = 0; i < clientsFor(engine); i++) {
            bots.add(new Bot(run, OBSERVERS + i, false));
        }
        long deadline = System.nanoTime() + LOAD.toNanos();
        List<Thread> drivers = new ArrayList<>();
        for (Bot b : bots) {
            drivers.add(Thread.ofVirtual().name("stress-bot-" + b.id).start(() -> b.drive(deadline)));
        }
        Thread kicker = Thread.ofVirtual().name("stress-kicker").start(() -> kickUntil(deadline, hub, bots, run));

        if (!run.settled.await(LOAD.plus(REPLY_TIMEOUT).plusSeconds(10).toMillis(), TimeUnit.MILLISECONDS)) {
            fail("clients did not settle; problems: " + run.problemsSummary() + "\n" + deadlocks());
        }
        assertThat(kicker.join(REPLY_TIMEOUT)).isTrue();
        assertThat(run.problems).as("what the clients saw go wrong").isEmpty();
        await().atMost(REPLY_TIMEOUT).untilAsserted(() ->
                assertThat(hub.connectionCount()).as("connections once dropped ones are cleaned up")
                        .isEqualTo(bots.size() + OBSERVERS));

        assertHubConsistent(hub);
        assertClientsSeeWhatTheHubHolds(hub, bots, observers);
        assertNamesMatch(server, hub);

        for (Bot o : observers) {
            assertThat(o.sync()).isTrue();
        }
        assertDeliveredExactlyOnce(run, observers);
        // what the run did, for whoever reads the test output (not asserted)
        System.out.printf(Locale.ROOT, "stress %s: %d clients, %d connections, %d kicked, %d lines in, %d out; to %s: %s%n",
                engine.label(), bots.size(), hub.stats().connectionsAccepted(), run.kicks.get(), hub.stats().linesIn(),
                hub.stats().linesOut(), OBSERVED, run.sent.values().stream()
                        .collect(Collectors.groupingBy(k -> k, java.util.TreeMap::new, Collectors.counting())));

        run.quit.countDown();
        for (Thread t : drivers) {
            assertThat(t.join(REPLY_TIMEOUT)).as("%s finished", t.getName()).isTrue();
        }
        for (Bot o : observers) {
            o.quit();
        }
        assertThat(run.problems).as("what the clients saw go wrong while quitting").isEmpty();
        await().atMost(REPLY_TIMEOUT).untilAsserted(() -> {
            assertThat(hub.connectionCount()).as("connections left").isZero();
            assertThat(hub.channelCount()).as("channels left: %s", hub.channels().stream().map(Channel::name).toList())
                    .isZero();
        });
        assertThat(run.nicksUsed).as("nicks still registered").allSatisfy(n -> assertThat(hub.findNick(n)).isNull());

        assertThat(ManagementFactory.getThreadMXBean().findDeadlockedThreads()).as(deadlocks()).isNull();
        TestClient fresh = fx.register(server, "newcomer");
        fresh.send("JOIN #after");
        fresh.expect(m -> m.command().equals("366"));
        fresh.close();
    }

    /** Until {@code deadline}, disconnects a random client every {@link #KICK_EVERY} from this thread. */
    private static void kickUntil(long deadline, Hub hub, List<Bot> bots, Run run) {
        try {
            while (true) {
                Thread.sleep(KICK_EVERY); // pacing
                if (System.nanoTime() >= deadline) {
                    break;
                }
                List<Client> candidates = hub.clients().stream()
                        .filter(c -> c.isRegistered() && c.realname() != null && c.realname().startsWith("Stress "))
                        .toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                Client c = candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
                String[] who = c.realname().split(" ");
                Bot b = bots.get(Integer.parseInt(who[1]) - OBSERVERS);
                Bot.Session s = b.current;
                if (s != null && s.number == Integer.parseInt(who[2])) {
                    s.kicked = true;
                    c.quit("Kicked by the stress test");
                    run.kicks.incrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            run.kickerDone.countDown();
        }
    }

    /** Every channel and every client agree on who is where; nicks point at their holders. */
    private static void assertHubConsistent(Hub hub) {
        hub.lock().lock();
        try {
            for (Channel ch : hub.channels()) {
                assertThat(hub.findChannel(ch.name())).as("%s is the registered channel of its name", ch.name()).isSameAs(ch);
                Map<Client, Membership> members = ch.membershipsCopy();
                assertThat(members).as("%s has members", ch.name()).isNotEmpty();
                assertThat(List.of(ch.members())).as("%s member snapshot", ch.name())
                        .containsExactlyElementsOf(members.keySet());
                for (Client c : members.keySet()) {
                    assertThat(c.isClosing()).as("%s in %s is closing", c, ch.name()).isFalse();
                    assertThat(hub.clients()).as("%s in %s is connected", c, ch.name()).contains(c);
                    assertThat(c.channels()).as("channels of %s, a member of %s", c, ch.name()).contains(ch);
                }
            }
            for (Client c : hub.clients()) {
                assertThat(hub.findNick(c.nick())).as("holder of %s", c.nick()).isSameAs(c);
                for (Channel ch : c.channels()) {
                    assertThat(hub.findChannel(ch.name())).as("%s's channel %s is registered", c, ch.name()).isSameAs(ch);
                    assertThat(ch.membershipsCopy()).as("members of %s, a channel of %s", ch.name(), c).containsKey(c);
                }
            }
        } finally {
            hub.lock().unlock();
        }
    }

    /** What each client believes (its nick, its channels) is what the hub holds for it. */
    private static void assertClientsSeeWhatTheHubHolds(Hub hub, List<Bot> bots, List<Bot> observers) {
        List<Bot> all = new ArrayList<>(observers);
        all.addAll(bots);
        Set<Client> seen = new HashSet<>();
        for (Bot b : all) {
            Client c = hub.findNick(b.nick);
            assertThat(c).as("the server knows %s (client %d)", b.nick, b.id).isNotNull();
            assertThat(seen.add(c)).as("%s is one client", b.nick).isTrue();
            assertThat(c.channels().stream().map(ch -> ch.name().toLowerCase(Locale.ROOT)).collect(Collectors.toSet()))
                    .as("channels of %s", b.nick).isEqualTo(b.channels);
        }
        assertThat(seen).as("every connected client is one of ours").containsExactlyInAnyOrderElementsOf(hub.clients());
    }

    /** NAMES, asked by a newcomer, lists exactly each channel's members. */
    private void assertNamesMatch(ParleyServer server, Hub hub) throws IOException {
        TestClient checker = fx.register(server, "checker");
        for (Channel ch : hub.channels()) {
            Set<String> expected = new TreeSet<>();
            ch.membershipsCopy().keySet().forEach(c -> expected.add(c.nick()));
            checker.send("NAMES " + ch.name());
            Set<String> listed = new TreeSet<>();
            while (true) {
                IrcMessage m = checker.expect(x -> (x.command().equals("353") || x.command().equals("366"))
                        && x.params().contains(ch.name()));
                if (m.command().equals("366")) {
                    break;
                }
                for (String n : m.last().split(" ")) {
                    if (!n.isEmpty()) {
                        listed.add(n.replaceFirst("^[@+]+", ""));
                    }
                }
            }
            assertThat(listed).as("NAMES %s", ch.name()).isEqualTo(expected);
        }
        checker.close();
        await().atMost(REPLY_TIMEOUT).until(() -> hub.findNick("checker") == null);
    }

    /** Each observer got each in-channel message once, none from outside, in each sender's order. */
    private static void assertDeliveredExactlyOnce(Run run, List<Bot> observers) {
        int confirmed = 0;
        for (Map.Entry<String, Kind> e : run.sent.entrySet()) {
            assertThat(e.getValue()).as("%s was settled", e.getKey()).isNotEqualTo(Kind.PENDING);
            if (e.getValue() == Kind.IN) {
                confirmed++;
            }
        }
        assertThat(confirmed).as("messages sent to %s from inside", OBSERVED).isPositive();
        for (Bot o : observers) {
            List<String> wrong = new ArrayList<>();
            for (Map.Entry<String, Kind> e : run.sent.entrySet()) {
                int n = o.received.getOrDefault(e.getKey(), 0);
                boolean ok = switch (e.getValue()) {
                    case IN -> n == 1;
                    case OUT -> n == 0;
                    case UNCERTAIN, PENDING -> n <= 1;
                };
                if (!ok) {
                    wrong.add(e.getKey() + " (" + e.getValue() + ") x" + n);
                }
            }
            for (String key : o.received.keySet()) {
                if (!run.sent.containsKey(key)) {
                    wrong.add(key + " never sent");
                }
            }
            assertThat(wrong).as("observer %s: deliveries of %d messages", o.nick, run.sent.size()).isEmpty();
            assertThat(o.outOfOrder).as("observer %s: out of order", o.nick).isEmpty();
        }
    }

    private static String deadlocks() {
        long[] ids = ManagementFactory.getThreadMXBean().findDeadlockedThreads();
        if (ids == null) {
            return "no deadlocked threads";
        }
        StringBuilder sb = new StringBuilder("deadlocked threads:\n");
        for (var info : ManagementFactory.getThreadMXBean().getThreadInfo(ids, true, true)) {
            sb.append(info);
        }
        return sb.toString();
    }

    // ---- the simulated clients ----

    /** What became of a message sent to {@link #OBSERVED}. */
    enum Kind {
        /** Sent from inside the channel and known to have been read by the server. */
        IN,
        /** Sent from outside the channel: must reach nobody. */
        OUT,
        /** Sent from inside just before the connection was dropped or kicked: at most once. */
        UNCERTAIN,
        /** Sent from inside, not yet confirmed. */
        PENDING
    }

    /** What all clients of one run share. */
    final class Run {
        final int port;
        final Queue<String> problems = new ConcurrentLinkedQueue<>();
        final Set<String> nicksUsed = ConcurrentHashMap.newKeySet();
        final Map<String, Kind> sent = new ConcurrentHashMap<>();
        final java.util.concurrent.atomic.AtomicInteger kicks = new java.util.concurrent.atomic.AtomicInteger();
        final CountDownLatch settled;
        final CountDownLatch quit = new CountDownLatch(1);
        /** Clients settle only once nobody kicks them any more. */
        final CountDownLatch kickerDone = new CountDownLatch(1);

        Run(int port, int clients) {
            this.port = port;
            this.settled = new CountDownLatch(clients);
            for (int i = 0; i < CONTESTED_NICKS; i++) {
                nicksUsed.add("p" + i);
            }
        }

        String problemsSummary() {
            return problems.stream().limit(20).toList() + (problems.size() > 20 ? " and " + (problems.size() - 20) + " more" : "");
        }
    }

    /**
     * One simulated user: a driver (the caller of {@link #drive}) sends commands; a reader
     * thread per connection answers PING, notes PONGs, its own nick changes and, for
     * observers, the messages arriving in {@link #OBSERVED}.
     */
    final class Bot {
        final Run run;
        final int id;
        final boolean observer;
        /** Channels this client is in, as its own commands put it (lower case). Driver only. */
        final Set<String> channels = new HashSet<>();
        /** Messages to {@link #OBSERVED} sent since the server last confirmed it read everything. */
        private final List<String> unconfirmed = new ArrayList<>();
        final Map<String, Integer> received = new ConcurrentHashMap<>();
        final Queue<String> outOfOrder = new ConcurrentLinkedQueue<>();
        private final Map<String, Integer> lastSeq = new ConcurrentHashMap<>();
        volatile String nick;
        private int generation;
        private int session;
        private int seq;
        volatile Session current;

        Bot(Run run, int id, boolean observer) {
            this.run = run;
            this.id = id;
            this.observer = observer;
        }

        /** The driver: act until {@code deadline}, settle, wait for the signal to quit, quit. */
        void drive(long deadline) {
            boolean counted = false;
            try {
                pace();
                connect();
                while (System.nanoTime() < deadline) {
                    pace();
                    if (current.kicked) {
                        reconnectAfterKick();
                    }
                    act();
                }
                run.kickerDone.await();
                while (!sync()) {
                    if (!current.kicked) {
                        return;
                    }
                    reconnectAfterKick();
                }
                run.settled.countDown();
                counted = true;
                run.quit.await();
                quit();
            } catch (Exception | AssertionError e) {
                problem("failed: " + e);
            } finally {
                if (!counted) {
                    run.settled.countDown();
                }
            }
        }

        private static ThreadLocalRandom random() {
            return ThreadLocalRandom.current();
        }

        /** Pacing, not waiting for a condition: a client sends at most one command per step. */
        private void pace() throws InterruptedException {
            long step = STEP.toMillis();
            Thread.sleep(step / 2 + random().nextLong(step + 1));
        }

        private void reconnectAfterKick() throws IOException, InterruptedException {
            confirm(Kind.UNCERTAIN);
            close(current, false);
            connect();
        }

        private void act() throws IOException, InterruptedException {
            int r = random().nextInt(100);
            if (r < 18) {
                join();
            } else if (r < 30) {
                part();
            } else if (r < 42) {
                changeNick();
            } else if (r < 86) {
                talk();
            } else if (r < 93) {
                sync();
            } else if (r < 97) {
                quit();
                connect();
            } else {
                drop();
                connect();
            }
        }

        private void join() {
            List<String> out = new ArrayList<>(OTHER_CHANNELS);
            out.add(OBSERVED);
            out.add(OBSERVED);
            out.removeAll(channels);
            if (out.isEmpty()) {
                part();
                return;
            }
            String ch = out.get(random().nextInt(out.size()));
            send("JOIN " + ch);
            channels.add(ch);
        }

        private void part() {
            if (channels.isEmpty()) {
                join();
                return;
            }
            List<String> in = new ArrayList<>(channels);
            String ch = in.get(random().nextInt(in.size()));
            send("PART " + ch + " :bye");
            channels.remove(ch);
        }

        private void changeNick() {
            send("NICK " + (random().nextInt(5) == 0 ? "p" + random().nextInt(CONTESTED_NICKS) : freshNick()));
        }

        private String freshNick() {
            String n = "b" + id + "g" + generation++;
            run.nicksUsed.add(n);
            return n;
        }

        private void talk() {
            boolean inside = channels.contains(OBSERVED);
            if (inside ? random().nextInt(5) < 3 : random().nextInt(20) == 0) {
                String key = "m" + id + "." + session + "." + seq++;
                run.sent.put(key, inside ? Kind.PENDING : Kind.OUT);
                if (inside) {
                    unconfirmed.add(key);
                }
                send("PRIVMSG " + OBSERVED + " :" + key);
            } else if (!channels.isEmpty()) {
                List<String> in = new ArrayList<>(channels);
                send("PRIVMSG " + in.get(random().nextInt(in.size())) + " :chatter from " + id);
            }
        }

        /** Connects and registers with a fresh nick; returns once the welcome burst is over. */
        void connect() throws IOException, InterruptedException {
            session++;
            Socket s = new Socket();
            sockets.add(s);
            s.connect(new InetSocketAddress("127.0.0.1", run.port), 10_000);
            Session next = new Session(s, session);
            current = next;
            Thread.ofVirtual().name("stress-read-" + id).start(() -> read(next));
            String n = observer ? "obs" + id : freshNick();
            run.nicksUsed.add(n);
            send("NICK " + n);
            send("USER u" + id + " 0 * :" + (observer ? "Observer" : "Stress " + id + " " + session));
            await(next, next.welcomed, "welcome");
        }

        /** PING and wait for its PONG: everything sent before has been handled. */
        boolean sync() {
            Session s = current;
            String token = "t" + id + "." + System.nanoTime();
            CompletableFuture<Void> pong = new CompletableFuture<>();
            s.pongs.put(token, pong);
            send("PING " + token);
            if (!await(s, pong, "PONG")) {
                return false;
            }
            confirm(Kind.IN);
            return true;
        }

        /** Sends QUIT and waits for the server to close the connection. */
        void quit() {
            Session s = current;
            s.quitting = true;
            send("QUIT :see you");
            if (await(s, s.closed, "close after QUIT")) {
                confirm(s.kicked ? Kind.UNCERTAIN : Kind.IN);
            }
            close(s, false);
        }

        /** Drops the connection with a reset, whatever the server was doing with it. */
        private void drop() {
            Session s = current;
            s.quitting = true;
            // commands the server may still be handling when it notices the reset
            String join = "JOIN " + OTHER_CHANNELS.get(random().nextInt(OTHER_CHANNELS.size()));
            String nickChange = "NICK " + freshNick();
            if (random().nextBoolean()) {
                send(nickChange);
                send(join);
            } else {
                send(join);
                send(nickChange);
            }
            close(s, true);
            confirm(Kind.UNCERTAIN);
        }

        private void close(Session s, boolean reset) {
            try {
                if (reset) {
                    s.socket.setSoLinger(true, 0);
                }
                s.socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
            sockets.remove(s.socket);
            channels.clear();
        }

        private void confirm(Kind kind) {
            for (String key : unconfirmed) {
                run.sent.put(key, kind);
            }
            unconfirmed.clear();
        }

        /** Waits for {@code f}; a failure is a problem unless the test kicked this session. */
        private boolean await(Session s, CompletableFuture<Void> f, String what) {
            try {
                f.get(REPLY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                return true;
            } catch (java.util.concurrent.ExecutionException e) {
                if (!s.kicked) {
                    problem("connection ended waiting for " + what);
                }
            } catch (TimeoutException e) {
                problem("no " + what + " within " + REPLY_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                problem("interrupted waiting for " + what);
            }
            return false;
        }

        void send(String line) {
            current.write(line);
        }

        private void problem(String what) {
            run.problems.add("client " + id + " (" + nick + "): " + what);
        }

        /** The reader of one connection. */
        private void read(Session s) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(s.socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    onLine(s, line);
                }
            } catch (IOException ignored) {
                // the connection ended
            } catch (RuntimeException e) {
                problem("reader failed: " + e);
            } finally {
                s.welcomed.completeExceptionally(new IOException("closed"));
                s.pongs.values().forEach(p -> p.completeExceptionally(new IOException("closed")));
                s.closed.complete(null);
            }
        }

        private void onLine(Session s, String line) {
            int at = 0;
            if (line.startsWith(":")) {
                at = line.indexOf(' ') + 1;
            }
            int end = line.indexOf(' ', at);
            String command = end < 0 ? line.substring(at) : line.substring(at, end);
            switch (command) {
                case "PRIVMSG" -> {
                    if (observer) {
                        observe(parse(line));
                    }
                }
                case "PING" -> s.write("PONG :" + parse(line).last());
                case "PONG" -> {
                    CompletableFuture<Void> f = s.pongs.remove(parse(line).last());
                    if (f != null) {
                        f.complete(null);
                    }
                }
                case "NICK" -> {
                    IrcMessage m = parse(line);
                    String from = m.source().substring(0, m.source().indexOf('!'));
                    if (from.equalsIgnoreCase(nick)) {
                        nick = m.param(0);
                    }
                }
                case "001" -> nick = parse(line).param(0);
                case "376", "422" -> s.welcomed.complete(null);
                case "ERROR" -> {
                    if (!s.quitting && !s.kicked) {
                        problem("unexpected " + line);
                    }
                }
                case "405", "432", "437" -> problem("unexpected reply " + line);
                default -> {
                    // joins, parts, names, history replays, other people's chatter
                }
            }
        }

        private static IrcMessage parse(String line) {
            try {
                return IrcParser.parseLine(line);
            } catch (dev.parley.protocol.IrcParseException e) {
                throw new IllegalStateException("unparseable line from the server: " + line, e);
            }
        }

        private void observe(IrcMessage m) {
            if (!m.param(0).equalsIgnoreCase(OBSERVED) || !m.last().startsWith("m")) {
                return;
            }
            String key = m.last();
            received.merge(key, 1, Integer::sum);
            int dot = key.lastIndexOf('.');
            String senderSession = key.substring(0, dot);
            int n = Integer.parseInt(key.substring(dot + 1));
            Integer before = lastSeq.put(senderSession, n);
            if (before != null && before >= n) {
                outOfOrder.add(key + " after " + senderSession + "." + before);
            }
        }

        /** One connection of this client. */
        final class Session {
            final Socket socket;
            final int number;
            final OutputStream out;
            final CompletableFuture<Void> welcomed = new CompletableFuture<>();
            final CompletableFuture<Void> closed = new CompletableFuture<>();
            final Map<String, CompletableFuture<Void>> pongs = new ConcurrentHashMap<>();
            private final ReentrantLock writing = new ReentrantLock();
            volatile boolean quitting;
            /** Set by the kicker just before it disconnects this session. */
            volatile boolean kicked;

            Session(Socket socket, int number) throws IOException {
                this.socket = socket;
                this.number = number;
                this.out = socket.getOutputStream();
            }

            void write(String line) {
                writing.lock();
                try {
                    out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                } catch (IOException e) {
                    if (!quitting && !kicked) {
                        problem("write failed: " + e.getMessage());
                    }
                } finally {
                    writing.unlock();
                }
            }
        }
    }
}
