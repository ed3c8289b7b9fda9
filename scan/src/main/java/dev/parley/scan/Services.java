package dev.parley.scan;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Names of well-known TCP services, from the table bundled as {@code services.txt}
 * (lines of {@code port name}; {@code #} starts a comment).
 */
final class Services {
    private static final String RESOURCE = "services.txt";

    private final String[] byPort = new String[PortList.MAX_PORT + 1];
    private final Map<String, Integer> byName = new HashMap<>();

    private Services() {
    }

    /** The bundled table, loaded once. */
    static Services bundled() {
        return Holder.BUNDLED;
    }

    /** Parses a table in the bundled format. */
    static Services parse(BufferedReader reader) throws IOException {
        Services s = new Services();
        BundledTable.read(reader, (text, lineNo) -> {
            String[] parts = text.split("\\s+");
            if (parts.length != 2) {
                throw new IOException("services table line " + lineNo + ": expected 'port name'");
            }
            int port;
            try {
                port = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IOException("services table line " + lineNo + ": bad port '" + parts[0] + "'");
            }
            if (port < PortList.MIN_PORT || port > PortList.MAX_PORT) {
                throw new IOException("services table line " + lineNo + ": port out of range");
            }
            String name = parts[1].toLowerCase(Locale.ROOT);
            s.byPort[port] = name;
            s.byName.putIfAbsent(name, port);
        });
        return s;
    }

    /** The service usually found on {@code port}, or {@code null} when the table has none. */
    String name(int port) {
        return port >= 0 && port < byPort.length ? byPort[port] : null;
    }

    /** The port of a named service ({@code ssh} is 22), ignoring case. */
    OptionalInt port(String name) {
        Integer p = byName.get(name.toLowerCase(Locale.ROOT));
        return p == null ? OptionalInt.empty() : OptionalInt.of(p);
    }

    int size() {
        return byName.size();
    }

    private static final class Holder {
        static final Services BUNDLED = BundledTable.load(RESOURCE, Services::parse);
    }
}
