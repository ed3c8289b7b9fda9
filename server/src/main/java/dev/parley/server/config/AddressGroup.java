package dev.parley.server.config;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The units limits count in. An "address" is an IPv4 address, or an IPv6 address's network of a
 * configured prefix length (a /64 by default), since one IPv6 user is normally given a whole /64
 * and could otherwise rotate through it. A "range" is a wider network of either family, for
 * limits on many addresses of one provider or attacker at once.
 */
public final class AddressGroup {
    /** The prefix length an IPv6 address counts by unless configured otherwise. */
    public static final int IPV6_GROUP = 64;

    private AddressGroup() {
    }

    /** {@code address} itself (IPv4, loopback), or its /64 network (IPv6). */
    public static InetAddress of(InetAddress address) {
        return of(address, IPV6_GROUP);
    }

    /** {@code address} itself (IPv4, loopback), or its network of {@code ipv6Bits} (IPv6). */
    public static InetAddress of(InetAddress address, int ipv6Bits) {
        if (!(address instanceof Inet6Address) || address.isLoopbackAddress()) {
            return address;
        }
        return network(address, ipv6Bits);
    }

    /** {@code address}'s network of {@code ipv4Bits} or {@code ipv6Bits}, by its family. */
    public static InetAddress range(InetAddress address, int ipv4Bits, int ipv6Bits) {
        return network(address, address instanceof Inet6Address ? ipv6Bits : ipv4Bits);
    }

    private static InetAddress network(InetAddress address, int bits) {
        byte[] b = address.getAddress();
        if (bits >= b.length * 8) {
            return address;
        }
        for (int i = 0; i < b.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            b[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // four or sixteen bytes are always an address
        }
    }

    /** The group as text: {@code 192.0.2.7}, or {@code 2001:db8:1:2:0:0:0:0/64}. */
    public static String key(InetAddress address) {
        InetAddress g = of(address);
        return g == address ? address.getHostAddress() : g.getHostAddress() + "/" + IPV6_GROUP;
    }
}
