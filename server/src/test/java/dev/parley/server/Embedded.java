package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.server.command.CommandTable;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import dev.parley.server.store.SqlStore;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A whole server core with no socket and no thread of its own, in the spirit of Netty's
 * {@code EmbeddedChannel}: a real {@link Hub} (in-memory store), the real command table and
 * real {@link Session}s, fed and read by the test on its own thread. Blocking work runs in
 * place, so every reply has been queued by the time {@link Conn#send} returns.
 *
 * <pre>{@code
 * try (Embedded e = new Embedded()) {
 *     Conn alice = e.register("alice");
 *     alice.send("JOIN #a");
 *     assertThat(alice.take()).extracting(IrcMessage::command).contains("JOIN", "353", "366");
 * }
 * }</pre>
 */
public final class Embedded implements AutoCloseable {
    private final Hub hub;
    private final SqlStore store;
    private final Sessions sessions;
    private int next;

    /** A server with the test defaults (see {@link ServerFixture#config}). */
    public Embedded() {
        this(ServerFixture.config(EngineKind.VIRTUAL).build());
    }

    public Embedded(ServerConfig config) {
        this(config, false);
    }

    /** With {@code persistent}, the store is the SQLite database in the configuration's data directory. */
    public Embedded(ServerConfig config, boolean persistent) {
        hub = new Hub(config);
        store = persistent ? SqlStore.openSqlite(config.dataDir()) : SqlStore.openInMemory();
        hub.attachStore(store);
        sessions = new Sessions(hub, CommandTable.standard());
    }

    public Hub hub() {
        return hub;
    }

    /** The server's (in-memory) store, to set up what a test needs directly. */
    public SqlStore store() {
        return store;
    }

    /** A new connection from 127.0.0.{n}, each from an address of its own. */
    public Conn connect() {
        return connectWithCert(null);
    }

    /**
     * A new connection from an address of its own whose transport presents a client certificate
     * with this fingerprint (lower-case hex SHA-256), as a TLS listener's would; null for none.
     */
    public Conn connectWithCert(String certFingerprint) {
        next++;
        try {
            return new Conn(InetAddress.getByAddress(new byte[] {127, 0, (byte) (next >> 8), (byte) next}),
                    certFingerprint);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public Conn connect(InetAddress from) {
        return new Conn(from, null);
    }

    /** A connection registered as {@code nick} (user {@code nick}), with its welcome already taken. */
    public Conn register(String nick) {
        Conn c = connect();
        c.send("NICK " + nick, "USER " + nick + " 0 * :" + nick);
        assertThat(c.take()).as("welcome of " + nick).extracting(IrcMessage::command).contains("001");
        return c;
    }

    /** The commands of {@code messages}, in order. */
    public static List<String> commands(List<IrcMessage> messages) {
        return messages.stream().map(IrcMessage::command).toList();
    }

    @Override
    public void close() {
        hub.disconnectAll("test over");
        hub.closeStore();
        hub.close();
    }

    /** One connection: lines in with {@link #send}, queued output out with {@link #take}. */
    public final class Conn implements Transport {
        private final InetAddress address;
        private final String certFingerprint;
        private final Session session;
        private volatile boolean aborted;

        private Conn(InetAddress address, String certFingerprint) {
            this.address = address;
            this.certFingerprint = certFingerprint;
            this.session = sessions.open(this, () -> { });
        }

        public Session session() {
            return session;
        }

        public Client client() {
            return session.client();
        }

        /** Feeds each line (CRLF added) to the session, as its reader. */
        public Conn send(String... lines) {
            for (String line : lines) {
                byte[] b = (line + "\r\n").getBytes(StandardCharsets.UTF_8);
                session.onBytes(b, 0, b.length);
            }
            return this;
        }

        /** Everything queued for this connection since the last call, parsed. */
        public List<IrcMessage> take() {
            List<IrcMessage> out = new ArrayList<>();
            for (String line : takeLines()) {
                try {
                    out.add(IrcParser.standard().parse(line));
                } catch (IrcParseException e) {
                    throw new AssertionError("the server sent a line that does not parse: " + line, e);
                }
            }
            return out;
        }

        /** Everything queued since the last call, as raw lines without CRLF. */
        public List<String> takeLines() {
            ByteBuffer buf = ByteBuffer.allocate((int) Math.max(1, session.sendQ().queuedBytes()));
            int n = session.sendQ().drainTo(buf);
            String text = new String(buf.array(), 0, n, StandardCharsets.UTF_8);
            List<String> lines = new ArrayList<>();
            for (String line : text.split("\r\n", -1)) {
                if (!line.isEmpty()) {
                    lines.add(line);
                }
            }
            return lines;
        }

        /** The first queued message with {@code command}; what came before it is dropped. */
        public IrcMessage expect(String command) {
            return expect(m -> m.command().equals(command), command);
        }

        public IrcMessage expect(Predicate<IrcMessage> wanted, String what) {
            for (IrcMessage m : take()) {
                if (wanted.test(m)) {
                    return m;
                }
            }
            throw new AssertionError("no " + what + " queued");
        }

        /** True once the connection was dropped. */
        public boolean isAborted() {
            return aborted;
        }

        @Override
        public InetAddress remoteAddress() {
            return address;
        }

        @Override
        public void abort() {
            aborted = true;
        }

        @Override
        public boolean isSecure() {
            return certFingerprint != null;
        }

        @Override
        public String certFingerprint() {
            return certFingerprint;
        }
    }
}
