package dev.parley.scan;

import java.util.List;

/** Writes a scan's results in one output format; {@link ScanListener} events arrive between {@link #begin} and {@link #end}. */
abstract class ResultWriter implements ScanListener {
    /** A target that could not be scanned, and why. */
    record TargetError(String target, String message) {
    }

    /** Before any host: the targets that will not be scanned. */
    abstract void begin(List<TargetError> errors);

    /** After the last host. */
    abstract void end(ScanSummary summary);

    /** Thrown from {@link #flush} when the output is gone (a closed pipe): the scan stops. */
    static final class OutputClosedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        OutputClosedException() {
            super("output closed");
        }
    }

    /** Stops the scan once nobody reads its output any more ({@code parley scan … | head -3}). */
    static void checkOpen(java.io.PrintWriter out) {
        if (out.checkError()) {
            throw new OutputClosedException();
        }
    }

    /** Writes what {@code pending} holds to {@code out}, empties it, and fails when the output is closed. */
    static void writeOut(java.io.PrintWriter out, StringBuilder pending) {
        if (pending.isEmpty()) {
            return;
        }
        out.write(pending.toString());
        out.flush();
        pending.setLength(0);
        checkOpen(out);
    }

    /** Whether a port in {@code state} is written, given {@code --show}. */
    static boolean shown(PortState state, boolean showAll) {
        return showAll || state == PortState.OPEN;
    }
}
