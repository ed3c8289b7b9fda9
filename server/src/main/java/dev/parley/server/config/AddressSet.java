package dev.parley.server.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of addresses written as single addresses or CIDR blocks ({@code 127.0.0.0/8},
 * {@code ::1}, {@code 2001:db8::/32}). Immutable; any thread.
 */
public final class AddressSet {
    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] a) {
            if (a.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (a[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (a[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;

    private AddressSet(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Reads entries like {@code 10.0.0.0/8} or {@code ::1}; only literal addresses (no host names).
     *
     * @throws IllegalArgumentException naming the entry that is not an address or block
     */
    public static AddressSet parse(List<String> entries) {
        List<Block> out = new ArrayList<>();
        for (String raw : entries) {
            String e = raw.strip();
            int slash = e.indexOf('/');
            String addr = slash < 0 ? e : e.substring(0, slash);
            if (addr.isEmpty() || !(addr.contains(":") || isDottedQuad(addr))) {
                throw new IllegalArgumentException("trusted address '" + raw + "' is not an IP address or CIDR block");
            }
            byte[] bytes;
            try {
                bytes = InetAddress.getByName(addr).getAddress(); // a literal: no lookup is made
            } catch (UnknownHostException | SecurityException ex) {
                throw new IllegalArgumentException("trusted address '" + raw + "' is not an IP address or CIDR block");
            }
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(e.substring(slash + 1));
                } catch (NumberFormatException ex) {
                    prefix = -1;
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("trusted address '" + raw + "' has a bad prefix length");
                }
            }
            out.add(new Block(bytes, prefix));
        }
        return new AddressSet(List.copyOf(out));
    }

    /** Four decimal numbers of 0–255: the only IPv4 form taken (so nothing is ever looked up). */
    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (!p.matches("[0-9]{1,3}") || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    public boolean contains(InetAddress a) {
        byte[] bytes = a.getAddress();
        for (Block b : blocks) {
            if (b.contains(bytes)) {
                return true;
            }
        }
        return false;
    }
}
