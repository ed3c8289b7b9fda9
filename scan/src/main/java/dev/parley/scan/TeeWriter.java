package dev.parley.scan;

import java.util.List;

/**
 * Sends every event to several writers, in order: the output on stdout and the files asked
 * for with {@code -oX}/{@code -oG}. Called on the scan's reporting thread.
 */
final class TeeWriter extends ResultWriter {
    private final List<ResultWriter> writers;

    TeeWriter(List<ResultWriter> writers) {
        this.writers = List.copyOf(writers);
    }

    @Override
    void begin(List<TargetError> errors) {
        writers.forEach(w -> w.begin(errors));
    }

    @Override
    public void hostStarted(ScanHost host) {
        writers.forEach(w -> w.hostStarted(host));
    }

    @Override
    public void port(ScanHost host, int port, Reason reason, String banner) {
        for (ResultWriter w : writers) {
            w.port(host, port, reason, banner);
        }
    }

    @Override
    public void service(ScanHost host, int port, ServiceInfo info) {
        writers.forEach(w -> w.service(host, port, info));
    }

    @Override
    public void hostTiming(ScanHost host, HostTiming timing) {
        writers.forEach(w -> w.hostTiming(host, timing));
    }

    @Override
    public void hostFinished(ScanHost host, long open, long closed, long filtered) {
        writers.forEach(w -> w.hostFinished(host, open, closed, filtered));
    }

    @Override
    void end(ScanSummary summary) {
        writers.forEach(w -> w.end(summary));
    }

    @Override
    public void flush() {
        writers.forEach(ResultWriter::flush);
    }
}
