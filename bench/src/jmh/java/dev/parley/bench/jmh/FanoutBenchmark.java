package dev.parley.bench.jmh;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.session.Transport;
import java.net.InetAddress;
import java.nio.ByteBuffer;
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
 * The channel fan-out path without sockets: format one PRIVMSG once, hand the same bytes to
 * every member's SendQ (what the server does per message), then drain each SendQ as a writer
 * would. Time per operation divided by the member count is the per-delivery cost.
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
    private Client[] clients;
    private final ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
    private final IrcMessage message = IrcMessage.from("bab12!~bab12@127.0.0.1", "PRIVMSG", "#bench0",
            "PB 3 12345 678901234 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");

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
        hub = new Hub(ServerConfig.builder().dataDir(Path.of("target", "jmh-data")).build());
        clients = new Client[members];
        for (int i = 0; i < members; i++) {
            clients[i] = hub.connect(NOWHERE, () -> { });
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        hub.close();
    }

    /** Format once, queue for every member, drain every member's queue. */
    @Benchmark
    public long formatFanoutAndDrain() {
        Hub.fanout(clients, IrcFormatter.toBytes(message), null);
        long moved = 0;
        for (Client c : clients) {
            sink.clear();
            moved += c.sendQ().drainTo(sink);
        }
        return moved;
    }
}
