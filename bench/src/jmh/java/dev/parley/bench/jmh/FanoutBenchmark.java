package dev.parley.bench.jmh;

import dev.parley.server.command.CommandTable;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Session;
import dev.parley.server.session.Sessions;
import dev.parley.server.session.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A channel message the way the server handles one, without sockets: the sender's session
 * decodes and parses a PRIVMSG line, the command table runs it, the handler reads the
 * channel's view and hands the formatted line to every member's session and SendQ; then each
 * SendQ is drained as an engine's writer would. Time per operation divided by the member count
 * is the per-delivery cost.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FanoutBenchmark {
    @Param({"200", "1000", "10000"})
    int members;

    private Hub hub;
    private Session[] sessions;
    private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    private final byte[] line = "PRIVMSG #bench0 :PB 3 12345 678901234 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\r\n"
            .getBytes(StandardCharsets.UTF_8);

    private static final Transport NOWHERE = new Transport() {
        @Override
        public InetAddress remoteAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public void abort() {
            // no socket behind it
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        hub = new Hub(ServerConfig.builder().dataDir(Path.of("target", "jmh-data"))
                .maxChannelsPerUser(10).sendQBytes(64 << 20).build());
        Sessions open = new Sessions(hub, CommandTable.standard());
        sessions = new Session[members];
        for (int i = 0; i < members; i++) {
            sessions[i] = open.open(NOWHERE, () -> { });
            feed(sessions[i], "NICK b" + i + "\r\nUSER b 0 * :b\r\nJOIN #bench0\r\n");
            if (i % 100 == 99) {
                drainAll(i + 1); // each JOIN is told to every member: keep the queues short
            }
        }
        drainAll(members);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    private static void feed(Session s, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        s.onBytes(b, 0, b.length);
    }

    private long drainAll(int upTo) {
        long moved = 0;
        for (int i = 0; i < upTo; i++) {
            Session s = sessions[i];
            int n;
            do {
                sink.clear();
                n = s.sendQ().drainTo(sink);
                moved += n;
            } while (n > 0);
        }
        return moved;
    }

    /** One PRIVMSG from the first member: parse, dispatch, fan out to every other member, drain every queue. */
    @Benchmark
    public long messageToChannel() {
        sessions[0].onBytes(line, 0, line.length);
        return drainAll(members);
    }
}
