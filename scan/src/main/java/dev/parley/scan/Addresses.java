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

    /** Whether {@code s} can only be a whole address: a dotted quad of digits, or anything with a colon. */
    static boolean isFullLiteral(String s) {
        return (isDottedDigits(s) && s.chars().filter(c -> c == '.').count() == 3) || s.indexOf(':') >= 0;
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
        int percent = v6.indexOf('%');
        String bare = percent >= 0 ? v6.substring(0, percent) : v6;
        String scope = percent >= 0 ? v6.substring(percent + 1) : "";
        // only hex digits, colons and dots: getByName then parses a literal and never asks DNS
        boolean plausible = !bare.isEmpty() && bare.chars().allMatch(c -> c == ':' || c == '.'
                || Character.digit(c, 16) >= 0)
                && (percent < 0 || (!scope.isEmpty()
                && scope.chars().allMatch(c -> c == '_' || c == '-' || c == '.' || (c < 128 && Character.isLetterOrDigit(c)))));
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

    /** An address as text; IPv6 in the short form of RFC 5952 ({@code 2001:db8::1}). */
    static String text(InetAddress a) {
        if (!(a instanceof Inet6Address v6)) {
            return a.getHostAddress();
        }
        byte[] b = v6.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(groups[i]));
        }
        if (v6.getScopedInterface() != null) {
            sb.append('%').append(v6.getScopedInterface().getName());
        } else if (v6.getScopeId() != 0) {
            sb.append('%').append(v6.getScopeId());
        }
        return sb.toString();
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
