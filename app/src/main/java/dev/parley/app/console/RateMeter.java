package dev.parley.app.console;

import java.util.ArrayDeque;

/**
 * Messages in and out per second over a sliding window, from samples of the server's running
 * totals. Samples may come from any thread.
 */
final class RateMeter {
    /** Lines per second in and out over {@code seconds}. */
    record Rates(double in, double out, double seconds) {
    }

    private record Sample(long nanos, long in, long out) {
    }

    private final long windowNanos;
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    RateMeter(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Records the totals seen at {@code nanos} (a monotonic clock). */
    synchronized void sample(long nanos, long in, long out) {
        samples.addLast(new Sample(nanos, in, out));
        // keep one sample at or beyond the window's start, so the window stays covered
        while (samples.size() > 2) {
            var it = samples.iterator();
            it.next();
            if (nanos - it.next().nanos() >= windowNanos) {
                samples.removeFirst();
            } else {
                break;
            }
        }
    }

    /** Rates between the oldest kept sample and the newest; zero before two samples. */
    synchronized Rates rates() {
        if (samples.size() < 2) {
            return new Rates(0, 0, 0);
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        double seconds = (last.nanos() - first.nanos()) / 1e9;
        if (seconds <= 0) {
            return new Rates(0, 0, 0);
        }
        return new Rates((last.in() - first.in()) / seconds, (last.out() - first.out()) / seconds, seconds);
    }
}
