package dev.parley.bench;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --servers}: a comma-separated list of {@code HOST:PORT} (an IPv6 address in
 * brackets, {@code [::1]:6667}), e.g. the nodes of one network. The same server may be named
 * twice; the bench then treats the two as different servers.
 */
final class ServerList {
    /** Upper bound on the servers one run spreads its clients over. */
    static final int MAX_SERVERS = 256;

    private ServerList() {
    }

    static List<InetSocketAddress> parse(String spec) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String part : spec.split(",", -1)) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("--servers: empty entry in '" + spec + "'");
            }
            out.add(one(p));
            if (out.size() > MAX_SERVERS) {
                throw new IllegalArgumentException("--servers: at most " + MAX_SERVERS + " servers");
            }
        }
        return List.copyOf(out);
    }

    private static InetSocketAddress one(String p) {
        String host;
        String port;
        if (p.startsWith("[")) {
            int close = p.indexOf(']');
            if (close < 0 || close + 1 >= p.length() || p.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("--servers: '" + p + "' is not [IPV6]:PORT");
            }
            host = p.substring(1, close);
            port = p.substring(close + 2);
        } else {
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || p.indexOf(':') != colon) {
                throw new IllegalArgumentException("--servers: '" + p + "' is not HOST:PORT (e.g. 127.0.0.1:6667)");
            }
            host = p.substring(0, colon);
            port = p.substring(colon + 1);
        }
        int n;
        try {
            n = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > 65535) {
            throw new IllegalArgumentException("--servers: port in '" + p + "' must be between 1 and 65535");
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), n);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--servers: unknown host '" + host + "'");
        }
    }
}
