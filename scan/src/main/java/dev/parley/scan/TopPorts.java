package dev.parley.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.Arrays;

/**
 * The ports most often found open, most common first, from the bundled {@code top-ports.txt}
 * (one port a line, {@code #} starts a comment; the file says how it was compiled). Without
 * {@code -p} a scan tries the first {@link #DEFAULT} of them; {@code --top-ports N} the first N.
 * Immutable once loaded; safe from any thread.
 */
final class TopPorts {
    /** How many of the ranked ports a scan tries when no ports are given. */
    static final int DEFAULT = 1000;
    private static final String RESOURCE = "top-ports.txt";

    private TopPorts() {
    }

    /** Every ranked port, most common first. */
    static int[] ranked() {
        return Holder.RANKED.clone();
    }

    /** The first {@code n} ranked ports (ascending, as every port list).
     *
     * @throws BadInputException when {@code n} is not between 1 and the size of the list
     */
    static PortList first(int n) {
        if (n < 1 || n > Holder.RANKED.length) {
            throw new BadInputException("--top-ports must be between 1 and " + Holder.RANKED.length);
        }
        return PortList.of(Arrays.copyOf(Holder.RANKED, n));
    }

    static int[] parse(BufferedReader reader) throws IOException {
        int[] ports = new int[PortList.MAX_PORT];
        boolean[] seen = new boolean[PortList.MAX_PORT + 1];
        int[] n = new int[1];
        BundledTable.read(reader, (text, lineNo) -> {
            int port;
            try {
                port = Integer.parseInt(text);
            } catch (NumberFormatException e) {
                throw new IOException("top ports line " + lineNo + ": bad port '" + text + "'");
            }
            if (port < PortList.MIN_PORT || port > PortList.MAX_PORT || seen[port]) {
                throw new IOException("top ports line " + lineNo + ": port " + port + " out of range or repeated");
            }
            seen[port] = true;
            ports[n[0]++] = port;
        });
        return Arrays.copyOf(ports, n[0]);
    }

    private static final class Holder {
        static final int[] RANKED = BundledTable.load(RESOURCE, TopPorts::parse);
    }
}
