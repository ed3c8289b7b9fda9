package dev.parley.scan;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One TARGET argument, parsed. Either a host name (resolved later, optionally with a CIDR
 * prefix) or a block of consecutive addresses.
 *
 * <p>Accepted forms: {@code example.org}, {@code 192.0.2.7}, {@code 2001:db8::1} (also in
 * brackets, and with a {@code %scope}), CIDR blocks {@code 192.0.2.0/24},
 * {@code 2001:db8::/120} and {@code example.org/28}, ranges of the last IPv4 octet
 * {@code 10.0.0.1-20}, full ranges {@code 10.0.0.250-10.0.1.5} and {@code 2001:db8::1-2001:db8::ff},
 * and ranges of the last IPv6 group {@code 2001:db8::1-ff}.
 */
sealed interface Target {
    /** The argument as the user wrote it. */
    String text();

    /** A host name to resolve; {@code prefix} is the CIDR prefix length, or -1 for the one address. */
    record Name(String text, String host, int prefix) implements Target {
    }

    /** {@code count} consecutive addresses starting at {@code first}. */
    record Block(String text, String name, InetAddress first, long count) implements Target {
        /** The {@code i}-th address of the block, 0-based. */
        ScanHost host(long i) {
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException(i);
            }
            if (i == 0) {
                return new ScanHost(name, first);
            }
            return new ScanHost(null, Addresses.add(first, i));
        }
    }

    /** Resolves names to addresses; {@link InetAddress#getByName} in the product. */
    @FunctionalInterface
    interface Resolver {
        InetAddress resolve(String host) throws UnknownHostException;
    }

    /**
     * Parses one TARGET argument.
     *
     * @throws BadInputException when the text is no valid target or holds more than {@code maxHosts} addresses
     */
    static Target parse(String text, long maxHosts) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new BadInputException("empty target");
        }
        int slash = t.lastIndexOf('/');
        if (slash >= 0) {
            return cidr(text, t.substring(0, slash), t.substring(slash + 1), maxHosts);
        }
        int dash = t.indexOf('-');
        if (dash > 0 && Addresses.isFullLiteral(t.substring(0, dash))) {
            return range(text, t.substring(0, dash), t.substring(dash + 1), maxHosts);
        }
        if (dash >= 0 && t.chars().allMatch(c -> c == '.' || c == '-' || (c >= '0' && c <= '9'))) {
            throw new BadInputException("bad address range '" + text + "'");
        }
        if (Addresses.isLiteral(t)) {
            return new Block(text, null, Addresses.literal(t), 1);
        }
        return new Name(text, Addresses.hostName(t), -1);
    }

    /**
     * Turns a parsed target into a block of addresses, resolving a name.
     *
     * @throws UnknownHostException when the name does not resolve
     * @throws BadInputException    when a resolved CIDR block is too large
     */
    static Block resolve(Target target, Resolver resolver, long maxHosts) throws UnknownHostException {
        return switch (target) {
            case Block b -> b;
            case Name n -> {
                InetAddress a = resolver.resolve(n.host());
                if (n.prefix() < 0) {
                    yield new Block(n.text(), n.host(), a, 1);
                }
                yield network(n.text(), a, n.prefix(), maxHosts);
            }
        };
    }

    private static Target cidr(String text, String left, String prefixText, long maxHosts) {
        if (prefixText.isEmpty() || prefixText.length() > 3 || !prefixText.chars().allMatch(Character::isDigit)) {
            throw new BadInputException("bad prefix length in '" + text + "'");
        }
        int prefix = Integer.parseInt(prefixText);
        if (Addresses.isLiteral(left)) {
            return network(text, Addresses.literal(left), prefix, maxHosts);
        }
        if (prefix > 128) {
            throw new BadInputException("bad prefix length in '" + text + "'");
        }
        return new Name(text, Addresses.hostName(left), prefix);
    }

    private static Block network(String text, InetAddress a, int prefix, long maxHosts) {
        int bits = a.getAddress().length * 8;
        if (prefix > bits) {
            throw new BadInputException("bad prefix length in '" + text + "' (at most " + bits + ")");
        }
        BigInteger count = BigInteger.ONE.shiftLeft(bits - prefix);
        checkSize(text, count, maxHosts);
        BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(count);
        BigInteger first = Addresses.toNumber(a).and(mask);
        return new Block(text, null, Addresses.fromNumber(first, a), count.longValueExact());
    }

    private static Block range(String text, String left, String right, long maxHosts) {
        InetAddress start = Addresses.literal(left);
        InetAddress end;
        if (start instanceof Inet4Address && !right.isEmpty() && right.length() <= 3
                && right.chars().allMatch(Character::isDigit)) {
            int last = Integer.parseInt(right);
            if (last > 255) {
                throw new BadInputException("bad address range '" + text + "': " + last + " is no octet");
            }
            byte[] b = start.getAddress();
            b[3] = (byte) last;
            end = Addresses.fromBytes(b, start);
        } else if (start instanceof Inet6Address && !right.isEmpty() && right.length() <= 4
                && right.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            int last = Integer.parseInt(right, 16);
            byte[] b = start.getAddress();
            b[14] = (byte) (last >> 8);
            b[15] = (byte) last;
            end = Addresses.fromBytes(b, start);
        } else if (Addresses.isLiteral(right)) {
            end = Addresses.literal(right);
            if (end.getClass() != start.getClass()) {
                throw new BadInputException("address range '" + text + "' mixes IPv4 and IPv6");
            }
        } else {
            throw new BadInputException("bad address range '" + text + "'");
        }
        BigInteger count = Addresses.toNumber(end).subtract(Addresses.toNumber(start)).add(BigInteger.ONE);
        if (count.signum() <= 0) {
            throw new BadInputException("backwards address range '" + text + "'");
        }
        checkSize(text, count, maxHosts);
        return new Block(text, null, start, count.longValueExact());
    }

    private static void checkSize(String text, BigInteger count, long maxHosts) {
        if (count.compareTo(BigInteger.valueOf(maxHosts)) > 0) {
            throw new BadInputException("'" + text + "' holds " + count + " addresses, more than --max-hosts "
                    + maxHosts);
        }
    }
}
