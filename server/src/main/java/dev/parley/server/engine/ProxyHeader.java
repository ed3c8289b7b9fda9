package dev.parley.server.engine;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;

/**
 * The HAProxy PROXY protocol header (versions 1 and 2) a proxy sends before the client's bytes:
 * who the client really is. Read byte-exact, so nothing after the header is consumed: a reader
 * asks {@link #more} how many bytes to read next, then {@link #source} for the address. No
 * sockets, no threads.
 */
final class ProxyHeader {
    /** The longest version 1 header, CRLF included. */
    static final int MAX_V1 = 107;
    /** The longest version 2 header accepted (16 bytes, addresses and a few TLVs). */
    static final int MAX_V2 = 16 + 512;
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};
    private static final byte[] V1_PREFIX = "PROXY ".getBytes(StandardCharsets.US_ASCII);

    /** A header that is not one, or not one we accept. */
    static final class Malformed extends Exception {
        Malformed(String why) {
            super(why);
        }
    }

    private ProxyHeader() {
    }

    /**
     * Bytes to read next given the first {@code n} bytes of {@code b}: 0 when the header is
     * complete. Never more than the header still needs.
     */
    static int more(byte[] b, int n) throws Malformed {
        if (n == 0) {
            return 1;
        }
        if (b[0] == 'P') {
            for (int i = 0; i < Math.min(n, V1_PREFIX.length); i++) {
                if (b[i] != V1_PREFIX[i]) {
                    throw new Malformed("not a PROXY header");
                }
            }
            if (n >= 2 && b[n - 2] == '\r' && b[n - 1] == '\n') {
                return 0;
            }
            if (n >= MAX_V1) {
                throw new Malformed("PROXY v1 header too long");
            }
            return 1;
        }
        for (int i = 0; i < Math.min(n, V2_SIGNATURE.length); i++) {
            if (b[i] != V2_SIGNATURE[i]) {
                throw new Malformed("not a PROXY header");
            }
        }
        if (n < 16) {
            return 16 - n;
        }
        int total = 16 + (((b[14] & 0xff) << 8) | (b[15] & 0xff));
        if (total > MAX_V2) {
            throw new Malformed("PROXY v2 header too long");
        }
        return total - n;
    }

    /**
     * The client's address from a complete header, or null when the header names none (v1
     * {@code UNKNOWN}, v2 {@code LOCAL} or an unspecified family): the connection's own
     * address stands.
     */
    static InetAddress source(byte[] b, int n) throws Malformed {
        return b[0] == 'P' ? v1(new String(b, 0, n - 2, StandardCharsets.US_ASCII)) : v2(b, n);
    }

    private static InetAddress v1(String line) throws Malformed {
        String[] f = line.split(" ", -1);
        if (f.length >= 2 && f[1].equals("UNKNOWN")) {
            return null;
        }
        if (f.length != 6 || !(f[1].equals("TCP4") || f[1].equals("TCP6"))) {
            throw new Malformed("PROXY v1 header malformed");
        }
        InetAddress src = literal(f[2]);
        literal(f[3]);
        port(f[4]);
        port(f[5]);
        boolean v4 = src instanceof java.net.Inet4Address;
        if (v4 != f[1].equals("TCP4")) {
            throw new Malformed("PROXY v1 address does not match its family");
        }
        return src;
    }

    /** An address literal; never a name (so never a DNS lookup). */
    private static InetAddress literal(String s) throws Malformed {
        boolean v4 = s.matches("(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}");
        boolean v6 = s.indexOf(':') >= 0 && s.matches("[0-9A-Fa-f:.]+");
        if (!v4 && !v6) {
            throw new Malformed("PROXY address malformed");
        }
        try {
            return InetAddress.getByName(s); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            throw new Malformed("PROXY address malformed");
        }
    }

    private static void port(String s) throws Malformed {
        if (!s.matches("[0-9]{1,5}") || Integer.parseInt(s) > 65535) {
            throw new Malformed("PROXY port malformed");
        }
    }

    private static InetAddress v2(byte[] b, int n) throws Malformed {
        int verCmd = b[12] & 0xff;
        if (verCmd >> 4 != 2) {
            throw new Malformed("PROXY v2 version unknown");
        }
        int cmd = verCmd & 0x0f;
        if (cmd == 0) {
            return null; // LOCAL: the proxy's own connection (a health check)
        }
        if (cmd != 1) {
            throw new Malformed("PROXY v2 command unknown");
        }
        int family = (b[13] & 0xff) >> 4;
        int len = n - 16;
        try {
            return switch (family) {
                case 0 -> null;
                case 1 -> {
                    if (len < 12) {
                        throw new Malformed("PROXY v2 IPv4 addresses cut short");
                    }
                    yield InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 16, 20));
                }
                case 2 -> {
                    if (len < 36) {
                        throw new Malformed("PROXY v2 IPv6 addresses cut short");
                    }
                    yield InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, 16, 32));
                }
                case 3 -> null; // unix sockets: no address to use
                default -> throw new Malformed("PROXY v2 family unknown");
            };
        } catch (UnknownHostException e) {
            throw new Malformed("PROXY v2 address malformed");
        }
    }
}
