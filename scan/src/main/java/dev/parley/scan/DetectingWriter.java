package dev.parley.scan;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.function.BiFunction;

/**
 * Service detection between the scan and a writer: each open port the scan reports starts a
 * detection on a virtual thread (at most {@link #PARALLEL} at a time), and every event is
 * passed on in the scan's order once the detections before it are done, each open port
 * preceded by its {@link ScanListener#service service} event. Output keeps streaming: whatever
 * is ready goes out whenever the scan {@link #flush flushes}; {@link #end} waits for the rest.
 *
 * <p>Threads: events arrive on the scan's reporting thread (one at a time, under the scanner's
 * lock) and are passed on from that thread or from the one that calls {@link #end}; detections
 * run on virtual threads and only compute their result.
 */
final class DetectingWriter extends ResultWriter {
    /** Detections running at once at most (each holds one socket). */
    static final int PARALLEL = 64;

    private final ResultWriter inner;
    private final BiFunction<ScanHost, Integer, ServiceInfo> detect;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Semaphore slots = new Semaphore(PARALLEL);
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();

    /** One event waiting its turn; {@code detection} is set for an open port. */
    private record Pending(Runnable event, ScanHost host, int port, CompletableFuture<ServiceInfo> detection) {
    }

    DetectingWriter(ResultWriter inner, BiFunction<ScanHost, Integer, ServiceInfo> detect) {
        this.inner = inner;
        this.detect = detect;
    }

    @Override
    void begin(List<TargetError> errors) {
        inner.begin(errors);
    }

    @Override
    public void hostStarted(ScanHost host) {
        queue.add(new Pending(() -> inner.hostStarted(host), null, 0, null));
    }

    @Override
    public void port(ScanHost host, int port, Reason reason, String banner) {
        CompletableFuture<ServiceInfo> detection = null;
        if (reason == Reason.CONNECTED) {
            detection = CompletableFuture.supplyAsync(() -> {
                slots.acquireUninterruptibly();
                try {
                    return detect.apply(host, port);
                } catch (RuntimeException e) {
                    return null;
                } finally {
                    slots.release();
                }
            }, threads);
        }
        queue.add(new Pending(() -> inner.port(host, port, reason, banner), host, port, detection));
    }

    @Override
    public void hostTiming(ScanHost host, HostTiming timing) {
        queue.add(new Pending(() -> inner.hostTiming(host, timing), null, 0, null));
    }

    @Override
    public void hostFinished(ScanHost host, long open, long closed, long filtered) {
        queue.add(new Pending(() -> inner.hostFinished(host, open, closed, filtered), null, 0, null));
    }

    /** Passes on every event whose detections are done (all of them when {@code wait}). */
    private void passOn(boolean wait) {
        while (!queue.isEmpty()) {
            Pending p = queue.peekFirst();
            if (p.detection() != null) {
                if (!wait && !p.detection().isDone()) {
                    return;
                }
                ServiceInfo info;
                try {
                    info = p.detection().get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    info = null;
                } catch (ExecutionException e) {
                    info = null;
                }
                if (info != null) {
                    inner.service(p.host(), p.port(), info);
                }
            }
            queue.pollFirst();
            p.event().run();
        }
    }

    @Override
    public void flush() {
        passOn(false);
        inner.flush();
    }

    @Override
    void end(ScanSummary summary) {
        passOn(true);
        threads.close();
        inner.end(summary);
    }
}
