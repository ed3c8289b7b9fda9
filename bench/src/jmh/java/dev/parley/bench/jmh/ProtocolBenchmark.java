package dev.parley.bench.jmh;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/** The protocol layer's per-line costs: parsing, formatting and CRLF framing. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ProtocolBenchmark {
    private static final String PRIVMSG =
            ":bab12!~bab12@127.0.0.1 PRIVMSG #bench0 :PB 3 12345 678901234 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    private static final String TAGGED =
            "@time=2026-01-01T00:00:00.000Z;msgid=a1b2c3;+draft/reply=xyz :nick!user@host PRIVMSG #chan :hello, world";
    private static final String CLIENT_LINE = "PRIVMSG #bench0 :PB 3 12345 678901234 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";

    private final IrcMessage relayed = parse(PRIVMSG);
    private final IrcMessage tagged = parse(TAGGED);
    /** 64 KiB of client lines, as one read would bring them. */
    private final byte[] burst = burst();
    private final LineDecoder decoder = new LineDecoder(512);

    private static IrcMessage parse(String line) {
        try {
            return IrcParser.parseLine(line);
        } catch (IrcParseException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] burst() {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < 64 * 1024 - 100) {
            sb.append(CLIENT_LINE).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public IrcMessage parsePrivmsg() throws IrcParseException {
        return IrcParser.parseLine(PRIVMSG);
    }

    @Benchmark
    public IrcMessage parseTaggedPrivmsg() throws IrcParseException {
        return IrcParser.parseLine(TAGGED);
    }

    @Benchmark
    public byte[] formatPrivmsg() {
        return IrcFormatter.toBytes(relayed);
    }

    @Benchmark
    public byte[] formatTaggedPrivmsg() {
        return IrcFormatter.toBytes(tagged);
    }

    /** Frames a 64 KiB read into lines (about 800 of them). */
    @Benchmark
    public void decode64KiB(Blackhole bh) {
        decoder.feed(burst, 0, burst.length, bh::consume);
    }
}
