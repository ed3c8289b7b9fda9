package dev.parley.scan;

/** Why a port got its state; shown in JSON and CSV output. */
enum Reason {
    CONNECTED(PortState.OPEN, "connected"),
    REFUSED(PortState.CLOSED, "refused"),
    NO_RESPONSE(PortState.FILTERED, "no-response"),
    UNREACHABLE(PortState.FILTERED, "unreachable");

    private final PortState state;
    private final String label;

    Reason(PortState state, String label) {
        this.state = state;
        this.label = label;
    }

    PortState state() {
        return state;
    }

    String label() {
        return label;
    }
}
