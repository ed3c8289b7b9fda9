package dev.parley.scan;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parsing and arithmetic of IP address literals, without ever asking DNS. */
final class Addresses {
    private Addresses() {
    }

    /** Whether {@code s} is meant as an address: digits and dots (IPv4), or anything with a colon (IPv6). */
    static boolean isLiteral(String s) {
        return isDottedDigits(s) || s.indexOf(':') >= 0;
    }

    private static boolean isDottedDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9'));
    }

    /**
     * Parses an IPv4 dotted quad (exactly four decimal octets) or an IPv6 literal (optionally in
     * brackets, optionally with a {@code %scope}).
     */
    static InetAddress literal(String s) {
        if (s.indexOf(':') < 0) {
            return ipv4(s);
        }
        String v6 = s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
        boolean plausible = !v6.isEmpty() && v6.chars().allMatch(c -> c == ':' || c == '.' || c == '%'
                || c == '_' || c == '-' || Character.isLetterOrDigit(c));
        if (plausible) {
            try {
                InetAddress a = InetAddress.getByName(v6);
                if (a instanceof Inet6Address) {
                    return a;
                }
            } catch (UnknownHostException e) {
                // fall through to the error below
            }
        }
        throw new BadInputException("bad IPv6 address '" + s + "'");
    }

    private static InetAddress ipv4(String s) {
        String[] parts = s.split("\\.", -1);
        byte[] b = new byte[4];
        boolean ok = parts.length == 4;
        for (int i = 0; ok && i < 4; i++) {
            String p = parts[i];
            ok = !p.isEmpty() && p.length() <= 3 && Integer.parseInt(p) <= 255;
            if (ok) {
                b[i] = (byte) Integer.parseInt(p);
            }
        }
        if (!ok) {
            throw new BadInputException("bad IPv4 address '" + s + "'");
        }
        return fromBytes(b, null);
    }

    /** Checks a host name's characters so that a typo fails here, not as a slow DNS miss. */
    static String hostName(String s) {
        boolean ok = s.length() <= 253 && !s.startsWith("-") && !s.startsWith(".")
                && s.chars().allMatch(c -> c == '-' || c == '.' || c == '_'
                        || (c < 128 && Character.isLetterOrDigit(c)));
        if (!ok) {
            throw new BadInputException("bad host name '" + s + "'");
        }
        return s;
    }

    static BigInteger toNumber(InetAddress a) {
        return new BigInteger(1, a.getAddress());
    }

    /** The address with number {@code n}, of the same family (and IPv6 scope) as {@code like}. */
    static InetAddress fromNumber(BigInteger n, InetAddress like) {
        int len = like.getAddress().length;
        byte[] raw = n.toByteArray();
        byte[] b = new byte[len];
        int copy = Math.min(len, raw.length);
        System.arraycopy(raw, raw.length - copy, b, len - copy, copy);
        return fromBytes(b, like);
    }

    static InetAddress fromBytes(byte[] b, InetAddress like) {
        try {
            if (like instanceof Inet6Address v6 && v6.getScopeId() != 0) {
                return Inet6Address.getByAddress(null, b, v6.getScopeId());
            }
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static InetAddress add(InetAddress a, long offset) {
        return fromNumber(toNumber(a).add(BigInteger.valueOf(offset)), a);
    }
}
