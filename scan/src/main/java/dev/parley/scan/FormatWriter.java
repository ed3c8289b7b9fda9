package dev.parley.scan;

/**
 * A writer of one output format (text, CSV, JSON, XML, greppable): takes each open port's
 * {@link #service} event and hands it to the port's own event that follows, and leaves out
 * the ports {@code --show} does not ask for, so a format only writes what it is given.
 * Called on the scan's reporting thread.
 */
abstract class FormatWriter extends ResultWriter {
    /** {@code --show all}: every port's state, not only the open ones. */
    final boolean showAll;
    private ServiceInfo detected;

    FormatWriter(boolean showAll) {
        this.showAll = showAll;
    }

    @Override
    public final void service(ScanHost host, int port, ServiceInfo info) {
        detected = info;
    }

    @Override
    public final void port(ScanHost host, int port, Reason reason, String banner) {
        ServiceInfo info = detected;
        detected = null;
        if (shown(reason.state(), showAll)) {
            shownPort(host, port, reason, banner, info);
        }
    }

    /**
     * One port that {@code --show} asks for; {@code info} is what service detection found,
     * {@code null} without {@code -sV} or when nothing answered.
     */
    abstract void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info);
}
