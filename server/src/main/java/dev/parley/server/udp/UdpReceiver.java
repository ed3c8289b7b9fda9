package dev.parley.server.udp;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.session.TokenBucket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The receiving side of the door: blocks in {@code receive}, applies each source address's
 * rate limit and hands accepted datagrams to the door thread through a bounded count of
 * pending ones. A flood costs the flooder its own datagrams and nobody else's.
 *
 * <p>Threading: {@link #run} is the {@code parley-udp-receive} thread and the only one to
 * touch the rate buckets; the counters are read from anywhere.
 */
final class UdpReceiver implements Runnable {
    /** Datagrams accepted but not yet handled, at most; more are dropped as a full socket buffer would. */
    static final int MAX_PENDING = 4096;
    /** Rate buckets kept before idle ones are forgotten. */
    private static final int MAX_TRACKED_ADDRESSES = 65_536;
    private static final long SLOW_DOWN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final UdpDoor door;
    private final DatagramChannel channel;
    private final ServerConfig.Udp cfg;
    private final AtomicInteger pending = new AtomicInteger();
    final LongAdder received = new LongAdder();
    final LongAdder dropped = new LongAdder();
    /** Receiver thread only. */
    private final Map<InetAddress, RateBucket> buckets = new HashMap<>();

    UdpReceiver(UdpDoor door, DatagramChannel channel, ServerConfig.Udp cfg) {
        this.door = door;
        this.channel = channel;
        this.cfg = cfg;
    }

    @Override
    public void run() {
        ByteBuffer buf = ByteBuffer.allocate(cfg.maxDatagram() + 1);
        while (door.isOpen()) {
            SocketAddress from;
            buf.clear();
            try {
                from = channel.receive(buf);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                if (door.isOpen()) {
                    UdpRoom.LOG.warn("UDP receive failed: {}", e.getMessage());
                }
                continue;
            }
            if (!(from instanceof InetSocketAddress sender)) {
                continue;
            }
            received.increment();
            buf.flip();
            door.budget().received(sender, buf.remaining());
            if (!admit(sender)) {
                dropped.increment();
                continue;
            }
            if (pending.incrementAndGet() > MAX_PENDING) {
                pending.decrementAndGet();
                dropped.increment();
                continue;
            }
            byte[] copy = new byte[buf.remaining()];
            buf.get(copy);
            if (!door.execute(() -> {
                pending.decrementAndGet();
                door.handle(sender, copy);
            })) {
                return; // closing
            }
        }
    }

    /** The source address's rate limit; tells a flooder to slow down at most once a second. */
    private boolean admit(InetSocketAddress sender) {
        long now = System.nanoTime();
        if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
            buckets.values().removeIf(b -> b.tokens.isFull(now));
            if (buckets.size() >= MAX_TRACKED_ADDRESSES) {
                buckets.clear();
            }
        }
        RateBucket b = buckets.computeIfAbsent(sender.getAddress(), a -> new RateBucket(cfg.rate(), cfg.burst(), now));
        if (b.tokens.tryTake(now)) {
            return true;
        }
        if (now - b.warnedAtNanos > SLOW_DOWN_EVERY_NANOS) {
            b.warnedAtNanos = now;
            door.send(sender, "! slow down: too many datagrams (at most " + cfg.rate() + " a second)");
        }
        return false;
    }

    /** One source address's token bucket and when it was last told to slow down. Receiver thread only. */
    private static final class RateBucket {
        final TokenBucket tokens;
        long warnedAtNanos = Long.MIN_VALUE / 2;

        RateBucket(int rate, int burst, long now) {
            tokens = new TokenBucket(rate, burst, now);
        }
    }
}
