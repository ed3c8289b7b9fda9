package dev.parley.chat;

/**
 * Where to connect: a host name or address and a port. Parsed from {@code HOST},
 * {@code HOST:PORT}, {@code [IPv6]:PORT} or a bare IPv6 address. Immutable; any thread.
 */
public record Endpoint(String host, int port) {
    /** The usual IRC port. */
    public static final int DEFAULT_PORT = 6667;
    /** The usual IRC-over-TLS port. */
    public static final int DEFAULT_TLS_PORT = 6697;

    public Endpoint {
        String problem = hostProblem(host);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, not " + port);
        }
    }

    /** Parses {@code text}; a missing port becomes {@code defaultPort}. */
    public static Endpoint parse(String text, int defaultPort) {
        String s = text == null ? "" : text.strip();
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("missing ']' in address '" + s + "'");
            }
            String rest = s.substring(close + 1);
            if (!rest.isEmpty() && !rest.startsWith(":")) {
                throw new IllegalArgumentException("unexpected text after ']' in '" + s + "'");
            }
            return new Endpoint(s.substring(1, close), rest.isEmpty() ? defaultPort : parsePort(rest.substring(1)));
        }
        int colon = s.indexOf(':');
        if (colon >= 0 && colon == s.lastIndexOf(':')) {
            return new Endpoint(s.substring(0, colon), parsePort(s.substring(colon + 1)));
        }
        return new Endpoint(s, defaultPort); // no colon, or a bare IPv6 address
    }

    /** True when {@code text} names a port: {@code HOST:PORT} or {@code [IPv6]:PORT}. */
    public static boolean hasPort(String text) {
        String s = text == null ? "" : text.strip();
        return s.startsWith("[") ? s.contains("]:") : s.indexOf(':') >= 0 && s.indexOf(':') == s.lastIndexOf(':');
    }

    /** A port number with a one-line explanation when it is not one. */
    public static int parsePort(String text) {
        String s = text.strip();
        if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("port must be a number between 1 and 65535, not '" + s + "'");
        }
        return Integer.parseInt(s);
    }

    /** Why {@code host} cannot be an address, or null when it looks like one. */
    static String hostProblem(String host) {
        if (host == null || host.isEmpty()) {
            return "the server address is empty";
        }
        boolean ipv6 = host.indexOf(':') >= 0;
        for (int i = 0; i < host.length(); i++) {
            char c = Character.toLowerCase(host.charAt(i));
            boolean ok = ipv6 ? (Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%')
                    : (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
            if (!ok) {
                return "'" + host + "' is not a host name or IP address";
            }
        }
        if (!ipv6 && (host.startsWith(".") || host.startsWith("-") || host.contains(".."))) {
            return "'" + host + "' is not a host name or IP address";
        }
        return null;
    }

    @Override
    public String toString() {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
