package dev.parley.bench;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses {@code --source-addresses}: a comma-separated list of IPv4 addresses or ranges
 * ({@code 127.0.0.1-127.0.0.8}). Each local address has its own ~28 000 ephemeral ports, so
 * spreading clients over several lets one process hold more connections than one address can.
 */
final class SourceAddresses {
    /** Upper bound on how many addresses a list may expand to. */
    static final int MAX_ADDRESSES = 1024;

    private SourceAddresses() {
    }

    static List<InetAddress> parse(String spec) {
        List<InetAddress> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.strip();
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty entry in source address list '" + spec + "'");
            }
            int dash = p.indexOf('-');
            if (dash < 0) {
                out.add(ipv4(p));
            } else {
                long from = toLong(ipv4(p.substring(0, dash).strip()));
                long to = toLong(ipv4(p.substring(dash + 1).strip()));
                if (to < from) {
                    throw new IllegalArgumentException("source address range runs backwards: " + p);
                }
                if (to - from + 1 + out.size() > MAX_ADDRESSES) {
                    throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " source addresses");
                }
                for (long a = from; a <= to; a++) {
                    out.add(fromLong(a));
                }
            }
            if (out.size() > MAX_ADDRESSES) {
                throw new IllegalArgumentException("at most " + MAX_ADDRESSES + " source addresses");
            }
        }
        return List.copyOf(out);
    }

    private static InetAddress ipv4(String s) {
        if (!s.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
        }
        try {
            InetAddress a = InetAddress.getByName(s);
            if (!(a instanceof Inet4Address)) {
                throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
        }
    }

    private static long toLong(InetAddress a) {
        byte[] b = a.getAddress();
        return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFFL) << 16) | ((b[2] & 0xFFL) << 8) | (b[3] & 0xFFL);
    }

    private static InetAddress fromLong(long v) {
        byte[] b = {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
