package dev.parley.scan;

import java.util.ArrayList;
import java.util.List;

/** Collects what a scan reports, in the order it is reported. */
final class RecordingListener implements ScanListener {
    record Result(String host, int port, Reason reason, String banner) {
    }

    final List<Result> results = new ArrayList<>();
    final List<String> hostEvents = new ArrayList<>();

    @Override
    public synchronized void hostStarted(ScanHost host) {
        hostEvents.add("start " + host.addressText());
    }

    @Override
    public synchronized void port(ScanHost host, int port, Reason reason, String banner) {
        results.add(new Result(host.addressText(), port, reason, banner));
    }

    @Override
    public synchronized void hostFinished(ScanHost host, long open, long closed, long filtered) {
        hostEvents.add("end " + host.addressText() + " " + open + "/" + closed + "/" + filtered);
    }

    synchronized Result result(int port) {
        return results.stream().filter(r -> r.port() == port).findFirst().orElseThrow();
    }
}
