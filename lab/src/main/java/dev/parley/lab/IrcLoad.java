package dev.parley.lab;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * A small, bounded IRC load on loopback: {@code clients} connections register and join one
 * channel, the first {@code senders} of them each send {@code messages} lines to it, and every
 * delivery is counted and timed (send to receive, both clocks in this JVM). The load ends when all
 * deliveries arrived or the timeout passed.
 *
 * <p>Each client has one virtual thread that reads its socket; senders write from their own
 * virtual threads.
 */
final class IrcLoad {
    static final String CHANNEL = "#lab";

    /** What one load run measured. Latencies are in microseconds. */
    record Result(long expected, long delivered, long firstSendNanos, long lastDeliveryNanos, Histogram latencyMicros,
            int dropped) {
        boolean complete() {
            return delivered == expected;
        }

        double seconds() {
            return Math.max(1, lastDeliveryNanos - firstSendNanos) / 1e9;
        }

        double deliveriesPerSecond() {
            return delivered / seconds();
        }
    }

    private IrcLoad() {
    }

    static Result run(InetSocketAddress server, int clients, int senders, int messages, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        CountDownLatch joined = new CountDownLatch(clients);
        CountDownLatch done = new CountDownLatch(clients);
        LongAdder delivered = new LongAdder();
        AtomicLong lastDelivery = new AtomicLong();
        Histogram latency = new ConcurrentHistogram(3);      // microseconds, resizes as needed
        Counters counters = new Counters(joined, done, delivered, lastDelivery, latency);
        List<Client> all = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                long expect = (long) (i < senders ? senders - 1 : senders) * messages;
                Client c = new Client(server, "lab" + i, expect, counters);
                all.add(c);
                c.startReading();
                c.send("NICK lab" + i + "\r\nUSER lab" + i + " 0 * :parley lab\r\nJOIN " + CHANNEL + "\r\n");
            }
            if (!joined.await(left(deadline), TimeUnit.NANOSECONDS)) {
                throw new IOException("only " + (clients - joined.getCount()) + " of " + clients
                        + " clients registered and joined " + CHANNEL + " in time");
            }
            long firstSend = System.nanoTime();
            List<Thread> sending = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                Client c = all.get(s);
                sending.add(Thread.ofVirtual().name("lab-sender-" + s).start(() -> {
                    for (int m = 0; m < messages; m++) {
                        if (!c.send("PRIVMSG " + CHANNEL + " :t=" + System.nanoTime() + " m=" + m + "\r\n")) {
                            return;
                        }
                    }
                }));
            }
            done.await(left(deadline), TimeUnit.NANOSECONDS);
            for (Thread t : sending) {
                t.join(Duration.ofNanos(Math.max(1, left(deadline))));
            }
            int dropped = 0;
            for (Client c : all) {
                dropped += c.closedEarly ? 1 : 0;
            }
            long expected = (long) senders * messages * (clients - 1);
            return new Result(expected, delivered.sum(), firstSend, lastDelivery.get(), latency.copy(), dropped);
        } finally {
            all.forEach(Client::close);
        }
    }

    private static long left(long deadline) {
        return Math.max(0, deadline - System.nanoTime());
    }

    /** What every client's reader reports into. */
    private record Counters(CountDownLatch joined, CountDownLatch done, LongAdder delivered, AtomicLong lastDelivery,
            Histogram latency) {
    }

    /** One connection: a virtual thread reads and times deliveries; {@link #send} writes. */
    private static final class Client {
        private final Socket socket;
        private final Writer out;
        private final String nick;
        private final long expect;
        private final Counters counters;
        volatile boolean closedEarly;
        private long received;        // reader thread only

        Client(InetSocketAddress server, String nick, long expect, Counters counters) throws IOException {
            this.socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(server, 10_000);
            this.out = new BufferedWriter(new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8));
            this.nick = nick;
            this.expect = expect;
            this.counters = counters;
        }

        void startReading() {
            if (expect == 0) {
                counters.done().countDown();
            }
            Thread.ofVirtual().name("lab-reader-" + nick).start(this::read);
        }

        /** Writes raw protocol text; false once the connection is gone. */
        synchronized boolean send(String text) {
            try {
                out.write(text);
                out.flush();
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        private void read() {
            boolean isJoined = false;
            try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    int t = line.indexOf(" PRIVMSG " + CHANNEL + " :t=");
                    if (t >= 0) {
                        int from = t + 13 + CHANNEL.length();
                        int to = line.indexOf(' ', from);
                        long sent = Long.parseLong(line, from, to < 0 ? line.length() : to, 10);
                        long now = System.nanoTime();
                        counters.latency().recordValue(Math.max(0, (now - sent) / 1000));
                        counters.delivered().increment();
                        counters.lastDelivery().accumulateAndGet(now, Math::max);
                        if (++received == expect) {
                            counters.done().countDown();
                        }
                    } else if (line.startsWith("PING ")) {
                        send("PONG " + line.substring(5) + "\r\n");
                    } else if (!isJoined && line.contains(" 366 ")) {    // RPL_ENDOFNAMES after our JOIN
                        isJoined = true;
                        counters.joined().countDown();
                    } else if (line.startsWith("ERROR ")) {
                        closedEarly = true;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // connection closed: counted below
            }
            if (received < expect) {
                closedEarly = true;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing is best effort
            }
        }
    }
}
