package dev.parley.scan;

/** What a scan concludes about one port. */
public enum PortState {
    /** The connection completed. */
    OPEN,
    /** The host refused the connection (or reset it). */
    CLOSED,
    /** No answer within the timeout after every retry, or the host is unreachable. */
    FILTERED;

    /** The lower-case name used in every output format. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
