package dev.parley.server;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.HistoryService;
import dev.parley.server.service.PasswordHasher;
import dev.parley.server.service.StoredHostMemory;
import dev.parley.server.session.Session;
import dev.parley.server.session.Transport;
import dev.parley.server.store.Account;
import dev.parley.server.store.HistoryEntry;
import dev.parley.server.store.SqlStore;
import dev.parley.server.store.Store;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Fuzzes the whole command table: bytes from a few clients go into real {@link Client}s on a
 * real {@link Hub} (store: in-memory SQLite) through an in-memory {@link Transport}. Three
 * clients start registered and in {@code #a} (so fan-out runs), a fourth starts unregistered.
 *
 * <p>Invariants: no exception escapes {@link Client#onBytes}; no handler fails
 * (ERR_UNKNOWNERROR); every line queued for any client is one well-formed line (CRLF at the end,
 * no other CR, LF or NUL, and it parses); the hub stays consistent (channel members and
 * client channel sets agree, no empty channel stays, nobody who left is still listed) and is
 * empty once every client has quit.
 *
 * <p>Run: {@code JAZZER_FUZZ=1 mvn -pl server -am -Pfuzz test -Dtest=ServerFuzzTest}
 */
class ServerFuzzTest {
    private static final IrcParser UNLIMITED = new IrcParser(1 << 24, 1 << 24);
    private static final String[] NICKS = {"alice", "bob", "carol", "dave"};
    private static final String[] CAPS = {"multi-prefix", "message-tags", "server-time", "echo-message", "batch",
            "labeled-response", "away-notify", "account-notify", "account-tag", "extended-join", "userhost-in-names",
            "invite-notify", "setname", "chghost", "draft/chathistory", "cap-notify"};
    private static Store sharedStore;
    private static ServerConfig config;

    @FuzzTest
    // libFuzzer dictionary syntax: \\xNN is a byte
    @DictionaryEntries({"\\x0D\\x0A", "\\x0A", "\\x00", " :", ",", "*", "#a", "#b", "&c", "alice", "bob", "carol", "dave", "NickServ",
            "PASS ", "NICK ", "USER ", "CAP ", "LS 302", "REQ :", "END", "LIST", "JOIN ", "PART ", "TOPIC ",
            "NAMES ", "KICK ", "INVITE ", "MODE ", "PRIVMSG ", "NOTICE ", "TAGMSG ", "AWAY ", "WHO ", "WHOIS ",
            "WHOWAS ", "USERHOST ", "ISON ", "SETNAME ", "MOTD", "LUSERS", "VERSION", "TIME", "INFO", "ADMIN",
            "PING ", "PONG ", "QUIT ", "OPER op secretpw", "KILL ", "WALLOPS ", "REHASH", "REGISTER ", "IDENTIFY ",
            "NS ", "NICKSERV ", "AUTHENTICATE ", "PLAIN", "CHATHISTORY ", "LATEST", "BEFORE", "AFTER", "AROUND",
            "BETWEEN", "TARGETS", "timestamp=", "msgid=", "+o", "-o", "+v", "+b", "-b", "+I", "+k", "+l", "+i",
            "+m", "+n", "+s", "+t", "*!*@*", "%tnuhfar,42", "@label=", "@+draft/reply=", "+typing=active",
            "batch", "labeled-response", "echo-message", "message-tags", "password1"})
    void clientsTalkToAHub(FuzzedDataProvider data) {
        int[] caps = new int[NICKS.length];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = data.consumeInt();
        }
        Session s = new Session();
        try {
            for (int i = 0; i < 3; i++) {
                s.feed(i, setup(NICKS[i], caps[i]));
            }
            s.feed(0, "JOIN #a,#b\r\n");
            s.feed(1, "JOIN #a\r\n");
            s.feed(2, "JOIN #a\r\n");
            s.feed(3, caps[3] < 0 ? "CAP LS 302\r\n" : "");
            s.check();
            while (data.remainingBytes() > 0) {
                int who = data.consumeInt(0, NICKS.length - 1);
                byte[] bytes = data.consumeBytes(data.consumeInt(1, 700));
                s.clients.get(who).onBytes(bytes, 0, bytes.length);
                s.check();
            }
            s.finish();
        } finally {
            s.close();
        }
    }

    /** Registration for one of the pre-registered clients, with the capabilities chosen by {@code mask}. */
    private static String setup(String nick, int mask) {
        StringBuilder sb = new StringBuilder("CAP LS 302\r\n");
        List<String> wanted = new ArrayList<>();
        for (int i = 0; i < CAPS.length; i++) {
            if ((mask & (1 << i)) != 0) {
                wanted.add(CAPS[i]);
            }
        }
        if (!wanted.isEmpty()) {
            sb.append("CAP REQ :").append(String.join(" ", wanted)).append("\r\n");
        }
        return sb.append("NICK ").append(nick).append("\r\nUSER ").append(nick).append(" 0 * :Real ").append(nick)
                .append("\r\nCAP END\r\n").toString();
    }

    private static synchronized ServerConfig config() {
        if (config == null) {
            config = ServerConfig.builder()
                    .host("127.0.0.1")
                    .port(0).tlsPort(-1)
                    .version("fuzz")
                    .serverName("irc.fuzz")
                    .dataDir(Path.of("target", "fuzz-data"))
                    .store(ServerConfig.StoreKind.MEMORY)
                    .sendQBytes(16 << 20)
                    .operators(List.of(new ServerConfig.Operator("op", PasswordHasher.hash("secretpw"),
                            List.of("*@*"), null)))
                    .clock(Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC))
                    .build();
            sharedStore = new CleanableStore(SqlStore.openInMemory());
        }
        return config;
    }

    /** One hub and its clients for one fuzz input. */
    static final class Session {
        final Hub hub = new Hub(config());
        final CleanableStore store = (CleanableStore) sharedStore;
        final List<Client> clients = new ArrayList<>();
        private final Set<String> nicksSeen = new HashSet<>();

        Session() {
            hub.attachStore(store);
            for (int i = 0; i < NICKS.length; i++) {
                Client[] self = new Client[1];
                self[0] = hub.connect(new MemoryTransport(i), () -> drain(self[0]));
                clients.add(self[0]);
            }
        }

        void feed(int who, String text) {
            byte[] b = text.getBytes(StandardCharsets.UTF_8);
            clients.get(who).onBytes(b, 0, b.length);
        }

        /** Runs on whichever thread queued a line; the queue was empty, so this takes exactly that line. */
        private void drain(Client c) {
            if (c == null) {
                return;
            }
            ByteBuffer out = ByteBuffer.allocate((int) Math.max(1, c.sendQ().queuedBytes()));
            int n = c.sendQ().drainTo(out);
            if (n > 0) {
                checkLine(c, java.util.Arrays.copyOf(out.array(), n));
            }
        }

        private static void checkLine(Client to, byte[] wire) {
            int n = wire.length;
            if (n < 2 || wire[n - 2] != '\r' || wire[n - 1] != '\n') {
                throw new AssertionError("line for " + to + " does not end with CRLF: " + show(wire));
            }
            for (int i = 0; i < n - 2; i++) {
                if (wire[i] == '\r' || wire[i] == '\n' || wire[i] == 0) {
                    throw new AssertionError("CR, LF or NUL inside a line for " + to + ": " + show(wire));
                }
            }
            IrcMessage m;
            try {
                m = UNLIMITED.parse(new String(wire, 0, n - 2, StandardCharsets.UTF_8));
            } catch (IrcParseException e) {
                throw new AssertionError("line for " + to + " does not parse (" + e.getMessage() + "): " + show(wire));
            }
            if (m.command().equals("400")) {
                throw new AssertionError("a handler failed (see the log for its stack trace): " + show(wire));
            }
        }

        /** Channel membership as both sides see it, under the hub lock. */
        void check() {
            hub.lock().lock();
            try {
                Set<Client> live = Collections.newSetFromMap(new IdentityHashMap<>());
                live.addAll(hub.clients());
                Set<Channel> listed = Collections.newSetFromMap(new IdentityHashMap<>());
                for (Channel ch : hub.channels()) {
                    listed.add(ch);
                    Client[] members = ch.members();
                    require(members.length > 0, "empty channel " + ch.name() + " is still listed");
                    require(hub.findChannel(ch.name()) == ch, "channel " + ch.name() + " not found by its name");
                    require(List.of(members).equals(new ArrayList<>(ch.membershipsCopy().keySet())),
                            "member snapshot of " + ch.name() + " differs from its member map");
                    for (Client m : members) {
                        require(live.contains(m), m + " left but is still in " + ch.name());
                        require(m.channels.contains(ch), m + " is in " + ch.name() + " but does not list it");
                        require(ch.membershipLocked(m) != null, m + " has no membership in " + ch.name());
                    }
                    for (Client inv : ch.invited) {
                        require(live.contains(inv), inv + " left but is still invited to " + ch.name());
                    }
                }
                for (Client c : clients) {
                    if (c.nick() != null) {
                        nicksSeen.add(c.nick());
                    }
                    if (!live.contains(c)) {
                        require(c.isClosing(), c + " is gone from the hub but not closing");
                        require(c.channels.isEmpty(), c + " left but still lists channels " + c.channels);
                        continue;
                    }
                    for (Channel ch : c.channels) {
                        require(listed.contains(ch), c + " lists " + ch.name() + " which the hub no longer has");
                        require(ch.containsLocked(c), c + " lists " + ch.name() + " but is not a member");
                    }
                    if (c.nick() != null) {
                        require(hub.findNick(c.nick()) == c, c + " does not own its nick " + c.nick());
                    }
                }
            } finally {
                hub.lock().unlock();
            }
        }

        /** Everyone quits: the hub must end up empty. */
        void finish() {
            for (Client c : clients) {
                c.quit("fuzz done");
            }
            check();
            require(hub.clients().isEmpty(), "clients left after everyone quit: " + hub.clients());
            require(hub.channels().isEmpty(), "channels left after everyone quit");
            for (String nick : nicksSeen) {
                require(hub.findNick(nick) == null, "nick " + nick + " still taken after everyone quit");
            }
        }

        void close() {
            for (Client c : clients) {
                c.close("fuzz done", false, true);
            }
            HistoryService history = hub.history();
            if (history != null) {
                history.close();
            }
            if (hub.hostMemory() instanceof StoredHostMemory hosts) {
                hosts.close();
            }
            hub.close();
            store.wipe();
        }
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }

    static String show(byte[] wire) {
        return new String(wire, StandardCharsets.UTF_8).replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
    }

    /** A connection with no socket: output is taken by {@link Session#drain}, blocking work runs in place. */
    static final class MemoryTransport implements Transport {
        private final InetAddress address;
        volatile boolean aborted;

        MemoryTransport(int i) {
            try {
                address = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 1)});
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public InetAddress remoteAddress() {
            return address;
        }

        @Override
        public void abort() {
            aborted = true;
        }
    }

    /** The shared in-memory store, emptied after each input so inputs do not see each other's accounts or history. */
    static final class CleanableStore implements Store {
        private final Store d;
        private final Set<String> historyTargets = java.util.concurrent.ConcurrentHashMap.newKeySet();

        CleanableStore(Store d) {
            this.d = d;
        }

        void wipe() {
            for (String name : d.accountNames()) {
                d.deleteAccount(name);
            }
            for (String t : historyTargets) {
                d.pruneHistory(t, 0, Long.MAX_VALUE);
            }
            historyTargets.clear();
            d.clearHosts();
        }

        @Override public Optional<Account> findAccount(String name) { return d.findAccount(name); }
        @Override public boolean createAccount(Account account) { return d.createAccount(account); }
        @Override public boolean updatePassword(String name, String hash) { return d.updatePassword(name, hash); }
        @Override public boolean updateScram(String name, String scram) { return d.updateScram(name, scram); }
        @Override public boolean deleteAccount(String name) { return d.deleteAccount(name); }
        @Override public boolean addCert(String account, String fp, long at) { return d.addCert(account, fp, at); }
        @Override public boolean deleteCert(String account, String fp) { return d.deleteCert(account, fp); }
        @Override public List<String> certs(String account) { return d.certs(account); }
        @Override public java.util.Optional<String> accountForCert(String fp) { return d.accountForCert(fp); }
        @Override public List<String> accountNames() { return d.accountNames(); }
        @Override public List<ChannelRegistration> channelRegistrations() { return d.channelRegistrations(); }
        @Override public void putChannelRegistration(ChannelRegistration r) { d.putChannelRegistration(r); }
        @Override public boolean deleteChannelRegistration(String name) { return d.deleteChannelRegistration(name); }

        @Override
        public void appendHistory(List<HistoryEntry> batch) {
            batch.forEach(e -> historyTargets.add(e.target()));
            d.appendHistory(batch);
        }

        @Override public long maxHistorySeq() { return d.maxHistorySeq(); }
        @Override public Optional<HistoryEntry> findByMsgid(String msgid) { return d.findByMsgid(msgid); }

        @Override
        public List<HistoryEntry> history(String target, boolean bySeq, long from, long to, int limit,
                                          boolean newestFirst) {
            return d.history(target, bySeq, from, to, limit, newestFirst);
        }

        @Override
        public List<TargetActivity> targets(List<String> targets, long from, long to, int limit) {
            return d.targets(targets, from, to, limit);
        }

        @Override public int pruneHistory(String target, int keep, long before) { return d.pruneHistory(target, keep, before); }
        @Override public Optional<RememberedHost> lookupHost(String address) { return d.lookupHost(address); }
        @Override public void rememberHost(String address, String nick, long at) { d.rememberHost(address, nick, at); }
        @Override public int clearHosts() { return d.clearHosts(); }
        @Override public List<RememberedHost> hosts() { return d.hosts(); }
        @Override public int hostCount() { return d.hostCount(); }
        @Override public List<ServerBan> serverBans() { return d.serverBans(); }
        @Override public void putServerBan(ServerBan ban) { d.putServerBan(ban); }
        @Override public boolean removeServerBan(char kind, String mask) { return d.removeServerBan(kind, mask); }
        @Override public boolean deleteHistoryMessage(String msgid) { return d.deleteHistoryMessage(msgid); }
        @Override public List<ReadMarker> readMarkers() { return d.readMarkers(); }
        @Override public void putReadMarker(String account, String target, long at) { d.putReadMarker(account, target, at); }
        @Override public void deleteReadMarker(String account, String target) { d.deleteReadMarker(account, target); }
        @Override public int deleteReadMarkers(String account) { return d.deleteReadMarkers(account); }

        @Override
        public void close() {
            // shared by every input; lives as long as the fuzzing JVM
        }
    }
}
