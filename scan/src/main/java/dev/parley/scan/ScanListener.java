package dev.parley.scan;

/**
 * Receives a scan's results from the scan loop's thread, in order: hosts in the order they
 * were given, each host's ports ascending, every port exactly once.
 */
interface ScanListener {
    /** A host's results begin. */
    default void hostStarted(ScanHost host) {
    }

    /** Just before an open port's {@link #port}: what service detection ({@code -sV}) found there. */
    default void service(ScanHost host, int port, ServiceInfo info) {
    }

    /** One port's result; {@code banner} is {@code null} unless one was read. */
    void port(ScanHost host, int port, Reason reason, String banner);

    /**
     * Just before {@link #hostFinished}: the host's round trip and the connect timeout the scan
     * ended up choosing for its first tries.
     */
    default void hostTiming(ScanHost host, HostTiming timing) {
    }

    /** All of a host's ports have been reported. */
    default void hostFinished(ScanHost host, long open, long closed, long filtered) {
    }

    /** The loop is about to wait: push out what is buffered. */
    default void flush() {
    }
}
