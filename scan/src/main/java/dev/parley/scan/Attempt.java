package dev.parley.scan;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;

/**
 * One port being probed: created when the scan first tries the port and reused for its
 * retries. Owned by one lane's thread; a {@link Connector} keeps its socket in
 * {@link #handle}.
 */
final class Attempt {
    final Scanner.HostRun host;
    final int portIndex;
    final InetSocketAddress target;

    /** Connection attempts started so far, this one included. */
    int tries;
    /** Starts that failed for local reasons (no descriptor, no local address); they do not count as tries. */
    int localFailures;
    long startedNanos;
    /** Bumped whenever a deadline stops applying; a timer entry with an older value is stale. */
    int generation;
    boolean readingBanner;
    ByteArrayOutputStream banner;
    /** The connector's socket state for the current try. */
    Object handle;
    /** The port's result, once known; handed to the shared results with {@link #bannerText}. */
    Reason result;
    String bannerText;

    Attempt(Scanner.HostRun host, int portIndex, InetSocketAddress target) {
        this.host = host;
        this.portIndex = portIndex;
        this.target = target;
    }

    int port() {
        return target.getPort();
    }

    @Override
    public String toString() {
        return target + " try " + tries;
    }
}
