package dev.parley.server.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The unit per-address limits count in: an IPv4 address, or an IPv6 address's /64 network,
 * since one IPv6 user is normally given a whole /64 and could otherwise rotate through it.
 */
public final class AddressGroup {
    private AddressGroup() {
    }

    /** {@code address} itself (IPv4), or its /64 network (IPv6). */
    public static InetAddress of(InetAddress address) {
        if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
            return address;
        }
        byte[] b = address.getAddress();
        for (int i = 8; i < 16; i++) {
            b[i] = 0;
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // sixteen bytes are always an address
        }
    }

    /** The group as text: {@code 192.0.2.7}, or {@code 2001:db8:1:2:0:0:0:0/64}. */
    public static String key(InetAddress address) {
        InetAddress g = of(address);
        return g == address ? address.getHostAddress() : g.getHostAddress() + "/64";
    }
}
