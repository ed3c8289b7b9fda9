package dev.parley.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One scan loop: starts connection attempts up to its share of the concurrency bound (and of
 * the rate limit), gives up on attempts whose deadline passed, retries unanswered ones, and
 * hands finished ports to the {@link Scanner} in batches.
 *
 * <p>Everything here runs on the lane's own thread; its {@link Connector} does the socket work
 * without blocking it and reports outcomes only from {@link Connector#poll}.
 *
 * <p>Timeouts: the first try of a port waits the host's adaptive timeout (the full
 * {@code --timeout} until the host has answered a few times), each retry twice as long, never
 * more than {@code --timeout}. A refusal is final; only silence is retried.
 */
final class Lane {
    /** The loop never sleeps longer than this, so output stays fresh. */
    static final long MAX_WAIT_NANOS = 100_000_000L;
    /** A port that fails to start this many times for local reasons ends the scan. */
    static final int MAX_LOCAL_FAILURES = 8;
    /** Untried ports taken from the scanner at once, at most. */
    static final int BATCH = 256;

    final int index;
    private final Scanner scan;
    private final ScanSettings settings;
    private final int maxLimit;
    private final RateLimiter rate;

    private final ArrayDeque<Attempt> fresh = new ArrayDeque<>();
    private final ArrayDeque<Attempt> retryQueue = new ArrayDeque<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>(Comparator.comparingLong(Timer::deadline));
    private final List<Attempt> finished = new ArrayList<>();
    private final Connector.Events events = new LaneEvents();
    private Connector connector;
    private int inFlight;
    private int limit;
    private int maxInFlight;
    private long pauseUntil;
    private long now;

    /**
     * @param concurrency this lane's share of the attempts in flight
     * @param rate        this lane's share of the attempts per second; 0 for no limit
     */
    Lane(Scanner scan, int index, int concurrency, long rate) {
        this.scan = scan;
        this.index = index;
        this.settings = scan.settings;
        this.maxLimit = Math.max(1, concurrency);
        this.limit = maxLimit;
        this.rate = rate > 0 ? new RateLimiter(rate, scan.clock.getAsLong()) : null;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    void run(Connector connector) throws IOException {
        this.connector = connector;
        while (!scan.failed()) {
            now = scan.clock.getAsLong();
            expire();
            startAttempts();
            if (!finished.isEmpty()) {
                scan.commit(finished);
                finished.clear();
            }
            if (inFlight == 0 && retryQueue.isEmpty() && fresh.isEmpty() && !scan.freshLeft()) {
                return;
            }
            long wait = waitNanos();
            if (wait > 0) {
                scan.flush();
            }
            connector.poll(wait, events);
        }
    }

    private void expire() {
        while (!timers.isEmpty() && timers.peek().deadline() <= now) {
            Timer t = timers.poll();
            Attempt a = t.attempt();
            if (t.generation() != a.generation) {
                continue;
            }
            a.generation++;
            if (a.readingBanner) {
                finishBanner(a);
            } else {
                connector.close(a);
                inFlight--;
                unanswered(a);
            }
        }
    }

    private void startAttempts() {
        while (inFlight < limit && now >= pauseUntil && !scan.failed()) {
            boolean retry = !retryQueue.isEmpty();
            if (!retry && fresh.isEmpty()
                    && scan.takeFresh(fresh, Math.max(16, Math.min(BATCH, limit - inFlight))) == 0) {
                return;
            }
            if (rate != null && !rate.tryAcquire(now)) {
                return;
            }
            begin(retry ? retryQueue.pollFirst() : fresh.pollFirst());
        }
    }

    private void begin(Attempt a) {
        a.tries++;
        a.generation++;
        a.readingBanner = false;
        a.startedNanos = now;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        if (connector.connect(a)) {
            return;
        }
        long timeout = a.host.rtt[index].timeout(a.tries - 1, settings.minTimeoutNanos(), settings.timeoutNanos());
        if (timers.size() > 4 * (inFlight + 1024)) {
            timers.removeIf(t -> t.generation() != t.attempt().generation);
        }
        timers.add(new Timer(now + timeout, a, a.generation));
    }

    private long waitNanos() {
        while (!timers.isEmpty() && timers.peek().generation() != timers.peek().attempt().generation) {
            timers.poll();
        }
        long t = scan.clock.getAsLong();
        long wait = MAX_WAIT_NANOS;
        if (!timers.isEmpty()) {
            wait = Math.min(wait, timers.peek().deadline() - t);
        }
        boolean work = !retryQueue.isEmpty() || !fresh.isEmpty() || scan.freshLeft();
        if (work && inFlight < limit) {
            if (t < pauseUntil) {
                wait = Math.min(wait, pauseUntil - t);
            } else if (rate != null) {
                wait = Math.min(wait, rate.nanosUntilNext(t));
            } else {
                wait = 0;
            }
        }
        return Math.max(0, wait);
    }

    private void unanswered(Attempt a) {
        if (a.tries <= settings.retries()) {
            retryQueue.addLast(a);
        } else {
            resolve(a, Reason.NO_RESPONSE);
        }
    }

    private void answered(Attempt a) {
        a.host.rtt[index].sample(now - a.startedNanos);
        if (limit < maxLimit) {
            limit++;
        }
    }

    private void finishBanner(Attempt a) {
        connector.close(a);
        inFlight--;
        a.bannerText = a.banner == null ? null : Banner.clean(a.banner.toByteArray());
        a.banner = null;
        a.readingBanner = false;
        resolve(a, Reason.CONNECTED);
    }

    private void resolve(Attempt a, Reason reason) {
        a.result = reason;
        finished.add(a);
    }

    private record Timer(long deadline, Attempt attempt, int generation) {
    }

    /** Outcomes from the connector, handled on the lane's thread during {@link Connector#poll}. */
    private final class LaneEvents implements Connector.Events {
        @Override
        public void connected(Attempt a) {
            now = scan.clock.getAsLong();
            a.generation++;
            answered(a);
            if (settings.banner()) {
                a.readingBanner = true;
                a.banner = new ByteArrayOutputStream();
                timers.add(new Timer(now + settings.bannerTimeoutNanos(), a, a.generation));
                connector.awaitData(a);
            } else {
                connector.close(a);
                inFlight--;
                resolve(a, Reason.CONNECTED);
            }
        }

        @Override
        public void selfConnected(Attempt a) {
            a.generation++;
            connector.close(a);
            inFlight--;
            a.tries--;
            if (++a.localFailures > MAX_LOCAL_FAILURES) {
                // never reached anything but itself: there is no listener to be found
                resolve(a, Reason.REFUSED);
            } else {
                retryQueue.addFirst(a);
            }
        }

        @Override
        public void refused(Attempt a) {
            now = scan.clock.getAsLong();
            a.generation++;
            answered(a);
            connector.close(a);
            inFlight--;
            resolve(a, Reason.REFUSED);
        }

        @Override
        public void unreachable(Attempt a) {
            a.generation++;
            connector.close(a);
            inFlight--;
            resolve(a, Reason.UNREACHABLE);
        }

        @Override
        public void noAnswer(Attempt a) {
            a.generation++;
            connector.close(a);
            inFlight--;
            unanswered(a);
        }

        @Override
        public void localFailure(Attempt a, IOException cause) {
            now = scan.clock.getAsLong();
            a.generation++;
            connector.close(a);
            inFlight--;
            a.tries--;
            a.localFailures++;
            if (a.localFailures > MAX_LOCAL_FAILURES) {
                scan.fail(new ScanFailedException("cannot open connections: " + cause.getMessage()));
                return;
            }
            limit = Math.max(1, Math.min(limit, inFlight));
            pauseUntil = now + (10_000_000L << Math.min(a.localFailures, 7));
            retryQueue.addFirst(a);
        }

        @Override
        public void data(Attempt a, byte[] bytes, int length, boolean end) {
            if (!a.readingBanner) {
                return;
            }
            a.banner.write(bytes, 0, length);
            if (end || Banner.complete(a.banner)) {
                a.generation++;
                finishBanner(a);
            }
        }
    }
}
