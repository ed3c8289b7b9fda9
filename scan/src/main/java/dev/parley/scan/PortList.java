package dev.parley.scan;

import java.util.Arrays;
import java.util.BitSet;
import java.util.OptionalInt;

/**
 * The ports to scan, ascending and without duplicates.
 *
 * <p>Syntax (as nmap's {@code -p}): a comma-separated list of ports ({@code 22}), ranges
 * ({@code 8000-8100}), open ranges ({@code -1024} is 1-1024, {@code 60000-} is 60000-65535)
 * and service names from the bundled table ({@code ssh}). A lone {@code -} means every port.
 */
final class PortList {
    static final int MIN_PORT = 1;
    static final int MAX_PORT = 65535;

    private final int[] ports;

    private PortList(int[] ports) {
        this.ports = ports;
    }

    /** Every port, 1-65535. */
    static PortList all() {
        int[] p = new int[MAX_PORT];
        for (int i = 0; i < p.length; i++) {
            p[i] = i + 1;
        }
        return new PortList(p);
    }

    static PortList of(int... ports) {
        BitSet set = new BitSet(MAX_PORT + 1);
        for (int p : ports) {
            checkRange(p, String.valueOf(p));
            set.set(p);
        }
        return new PortList(set.stream().toArray());
    }

    /**
     * Parses a port specification.
     *
     * @throws BadInputException with a one-line explanation when the text is malformed
     */
    static PortList parse(String spec, Services services) {
        String text = spec.strip();
        if (text.isEmpty()) {
            throw new BadInputException("empty port list");
        }
        if (text.equals("-")) {
            return all();
        }
        BitSet set = new BitSet(MAX_PORT + 1);
        for (String raw : text.split(",", -1)) {
            String token = raw.strip();
            if (token.isEmpty()) {
                throw new BadInputException("empty item in port list '" + spec + "'");
            }
            int dash = token.indexOf('-');
            if (dash < 0) {
                int p = single(token, services);
                set.set(p);
                continue;
            }
            String left = token.substring(0, dash).strip();
            String right = token.substring(dash + 1).strip();
            int from = left.isEmpty() ? MIN_PORT : number(left, token);
            int to = right.isEmpty() ? MAX_PORT : number(right, token);
            if (from > to) {
                throw new BadInputException("backwards port range '" + token + "'");
            }
            set.set(from, to + 1);
        }
        return new PortList(set.stream().toArray());
    }

    private static int single(String token, Services services) {
        if (Character.isDigit(token.charAt(0))) {
            return number(token, token);
        }
        OptionalInt named = services.port(token);
        if (named.isEmpty()) {
            throw new BadInputException("unknown port or service '" + token + "'");
        }
        return named.getAsInt();
    }

    private static int number(String digits, String token) {
        if (!digits.chars().allMatch(c -> c >= '0' && c <= '9') || digits.length() > 9) {
            throw new BadInputException("bad port '" + token + "'");
        }
        int p = Integer.parseInt(digits);
        checkRange(p, token);
        return p;
    }

    private static void checkRange(int p, String token) {
        if (p < MIN_PORT || p > MAX_PORT) {
            throw new BadInputException("port " + p + " out of range " + MIN_PORT + "-" + MAX_PORT
                    + (token.equals(String.valueOf(p)) ? "" : " in '" + token + "'"));
        }
    }

    int size() {
        return ports.length;
    }

    int get(int index) {
        return ports[index];
    }

    int[] toArray() {
        return ports.clone();
    }

    boolean contains(int port) {
        for (int p : ports) {
            if (p == port) {
                return true;
            }
        }
        return false;
    }

    /** The ports as a list for people: {@code 22,80,443}. */
    String text() {
        if (ports.length == MAX_PORT) {
            return "1-65535";
        }
        StringBuilder b = new StringBuilder();
        for (int p : ports) {
            b.append(b.isEmpty() ? "" : ",").append(p);
        }
        return b.toString();
    }

    @Override
    public String toString() {
        return ports.length == MAX_PORT ? "1-65535" : Arrays.toString(ports);
    }
}
