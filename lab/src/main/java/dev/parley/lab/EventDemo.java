package dev.parley.lab;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code parley lab event}: a start signal, and a bounded hand-off between two threads. */
@Command(name = "event",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Workers wait for one start signal (a latch); a producer and a slow consumer hand work "
                + "through a bounded queue: order kept, producer held back (back-pressure).")
final class EventDemo extends Demo {
    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "Workers waiting for the start signal (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--wait-ms", paramLabel = "MS", defaultValue = "200",
            description = "How long the workers are kept waiting before the signal (default: ${DEFAULT-VALUE}).")
    int waitMs;

    @Option(names = "--items", paramLabel = "N", defaultValue = "200",
            description = "Items the producer hands to the consumer (default: ${DEFAULT-VALUE}).")
    int items;

    @Option(names = "--capacity", paramLabel = "C", defaultValue = "8",
            description = "Capacity of the bounded queue (default: ${DEFAULT-VALUE}).")
    int capacity;

    @Option(names = "--consume-ms", paramLabel = "MS", defaultValue = "2",
            description = "Time the consumer spends on each item (default: ${DEFAULT-VALUE}).")
    int consumeMs;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "Give up on a run after this long (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /**
     * The start-signal run. {@code startedEarly} counts workers that began before the signal;
     * {@code wakeOrder} lists worker numbers in the order they got going; {@code wakeMicros}, how long
     * after the signal each did (by worker number).
     */
    record StartRun(int workers, int startedEarly, List<Integer> wakeOrder, long[] wakeMicros) {
    }

    /**
     * A hand-off run. {@code capacity} 0 means an unbounded queue. {@code inOrder}: every item arrived
     * in the order it was produced; {@code producerWaits}: puts that found the queue full.
     */
    record HandoffRun(int items, int capacity, int received, boolean inOrder, int maxDepth, int producerWaits,
            long producerNanos, long consumerNanos) {
    }

    @Override
    String title() {
        return "waiting for a signal, handing work through a bounded queue";
    }

    @Override
    String shows() {
        return workers + " workers start and block on a CountDownLatch; after " + waitMs + " ms one countDown() "
                + "releases them all, and each records when it woke. Then a producer puts " + items
                + " numbered items into a queue of capacity " + capacity + " for a consumer that needs " + consumeMs
                + " ms per item, once bounded and once unbounded: the bounded queue keeps the order and makes "
                + "the producer wait for the consumer (back-pressure).";
    }

    @Override
    void validate() {
        require("--workers", workers, 1, 10_000);
        require("--wait-ms", waitMs, 0, 60_000);
        require("--items", items, 1, 1_000_000);
        require("--capacity", capacity, 1, 1_000_000);
        require("--consume-ms", consumeMs, 0, 1000);
        require("--timeout", timeoutSeconds, 1, 3600);
    }

    @Override
    void run(Report report) throws Exception {
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        report.progress(workers + " workers waiting on the latch for " + waitMs + " ms…");
        StartRun s = startSignal(workers, Duration.ofMillis(waitMs), timeout);
        long[] sorted = s.wakeMicros().clone();
        Arrays.sort(sorted);
        Table start = new Table("startSignal", "Start signal (" + workers + " workers):")
                .col("startedBeforeSignal", "started before signal")
                .col("firstWakeMicros", "first woke after (µs)").col("medianWakeMicros", "median (µs)")
                .col("lastWakeMicros", "last (µs)");
        start.row(s.startedEarly(), sorted[0], sorted[sorted.length / 2], sorted[sorted.length - 1]);
        report.table(start);
        report.put("wakeOrder", s.wakeOrder());
        report.say("Woke in this order (worker numbers, started 0 first): " + abbreviate(s.wakeOrder()));

        Table handoff = new Table("handoff", "Producer -> consumer, " + items + " items, consumer " + consumeMs
                + " ms each:")
                .col("queue", "queue").col("received", "received").col("inOrder", "in order")
                .col("maxDepth", "max depth").col("producerWaits", "producer waits")
                .col("producerDoneMs", "producer done (ms)").col("consumerDoneMs", "consumer done (ms)");
        report.progress("bounded queue, capacity " + capacity + "…");
        HandoffRun bounded = handoff(items, capacity, Duration.ofMillis(consumeMs), timeout);
        report.progress("unbounded queue…");
        HandoffRun unbounded = handoff(items, 0, Duration.ofMillis(consumeMs), timeout);
        for (HandoffRun h : List.of(bounded, unbounded)) {
            handoff.row(h.capacity() > 0 ? "bounded(" + h.capacity() + ")" : "unbounded", h.received(), h.inOrder(),
                    h.maxDepth(), h.producerWaits(), h.producerNanos() / 1e6, h.consumerNanos() / 1e6);
        }
        report.table(handoff);
        report.say(String.format("Bounded: the producer found the queue full %d times and finished only %.0f ms "
                + "before the consumer. Unbounded: it finished at once and up to %d items piled up.",
                bounded.producerWaits(), (bounded.consumerNanos() - bounded.producerNanos()) / 1e6,
                unbounded.maxDepth()));
        if (!bounded.inOrder() || !unbounded.inOrder() || bounded.received() != items || unbounded.received() != items) {
            report.failed();
        }
    }

    @Override
    String why() {
        return "A CountDownLatch is a one-shot event: await() blocks until the count reaches zero, and countDown() "
                + "that brings it there releases every waiter at once and happens-before their return, so no worker "
                + "can start early. 'At once' still means one after another on the CPU: the scheduler wakes "
                + "threads in turn, so the spread of wake-up times and their order are the machine's, not the "
                + "program's. A BlockingQueue is a channel between threads; with one producer and one consumer it "
                + "is first in, first out, so order holds. Bounded, put() blocks when it is full: the fast "
                + "producer is slowed to the consumer's pace and memory stays at C items. Unbounded, nothing "
                + "pushes back; the backlog (and the memory it takes) grows as long as the producer is faster.";
    }

    private static String abbreviate(List<Integer> order) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < order.size() && i < 24; i++) {
            parts.add(order.get(i).toString());
        }
        return String.join(" ", parts) + (order.size() > 24 ? " …" : "");
    }

    /** Starts {@code workers} threads that wait for one signal, fired after {@code wait}. */
    static StartRun startSignal(int workers, Duration wait, Duration timeout) throws InterruptedException {
        CountDownLatch ready = new CountDownLatch(workers);
        CountDownLatch go = new CountDownLatch(1);
        AtomicLong sequence = new AtomicLong();
        long[] wokeSeq = new long[workers];
        long[] wokeNanos = new long[workers];
        long[] signal = new long[2];
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            int n = i;
            threads.add(Thread.ofPlatform().name("event-worker-" + i).start(() -> {
                ready.countDown();
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                wokeSeq[n] = sequence.incrementAndGet();
                wokeNanos[n] = System.nanoTime();
            }));
        }
        try {
            if (!ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new RunFailed("workers did not start within " + timeout.toSeconds() + " s");
            }
            Thread.sleep(wait);
            signal[0] = sequence.incrementAndGet();
            signal[1] = System.nanoTime();
            go.countDown();
            joinAll(threads, timeout);
        } finally {
            threads.forEach(Thread::interrupt);
        }
        int early = 0;
        long[] micros = new long[workers];
        Integer[] order = new Integer[workers];
        for (int i = 0; i < workers; i++) {
            if (wokeSeq[i] < signal[0]) {
                early++;
            }
            micros[i] = (wokeNanos[i] - signal[1]) / 1000;
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(wokeSeq[a], wokeSeq[b]));
        return new StartRun(workers, early, List.of(order), micros);
    }

    /** A producer hands {@code items} numbered items to a consumer through a queue ({@code capacity} 0 = unbounded). */
    static HandoffRun handoff(int items, int capacity, Duration perItem, Duration timeout) throws InterruptedException {
        BlockingQueue<Integer> queue = capacity > 0 ? new ArrayBlockingQueue<>(capacity) : new LinkedBlockingQueue<>();
        int[] producer = new int[2];       // waits, max depth
        long[] doneAt = new long[2];       // producer, consumer
        int[] consumer = new int[2];       // received, out-of-order
        long start = System.nanoTime();
        Thread p = Thread.ofPlatform().name("event-producer").start(() -> {
            try {
                for (int i = 0; i <= items; i++) {
                    Integer item = i == items ? -1 : i;           // -1: no more items
                    if (!queue.offer(item)) {
                        producer[0]++;
                        queue.put(item);
                    }
                    producer[1] = Math.max(producer[1], queue.size());
                }
            } catch (InterruptedException e) {
                return;
            }
            doneAt[0] = System.nanoTime();
        });
        Thread c = Thread.ofPlatform().name("event-consumer").start(() -> {
            try {
                int expected = 0;
                for (Integer item = queue.take(); item >= 0; item = queue.take()) {
                    if (item != expected) {
                        consumer[1]++;
                    }
                    expected = item + 1;
                    consumer[0]++;
                    if (!perItem.isZero()) {
                        Thread.sleep(perItem);
                    }
                }
            } catch (InterruptedException e) {
                return;
            }
            doneAt[1] = System.nanoTime();
        });
        try {
            joinAll(List.of(p, c), timeout);
        } finally {
            p.interrupt();
            c.interrupt();
        }
        return new HandoffRun(items, capacity, consumer[0], consumer[1] == 0, producer[1], producer[0],
                doneAt[0] - start, doneAt[1] - start);
    }

    static void joinAll(List<Thread> threads, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (Thread t : threads) {
            long left = deadline - System.nanoTime();
            if (left <= 0 || !t.join(Duration.ofNanos(left))) {
                throw new RunFailed("run did not finish within " + timeout.toSeconds() + " s (--timeout)");
            }
        }
    }
}
