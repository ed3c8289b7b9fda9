package dev.parley.server.session;

import dev.parley.server.core.Hub;
import dev.parley.server.config.AddressGroup;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.ServerBans;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may connect: at most {@code max-connections} in all and {@code max-connections-per-address}
 * from one address — an IPv4 address or an IPv6 network of {@code ipv6-group} bits
 * ({@link AddressGroup}) — (trusted addresses are excused from the second); at most
 * {@code connect-rate} new connections from one address and {@code range-connect-rate} from one
 * range (an IPv4 /24, an IPv6 /48 by default) per {@code connect-window} (trusted addresses
 * excused). A D-lined address is refused first. Every engine asks the gate before it sets up a
 * connection and tells it when the connection is gone. A WEBIRC gateway's connection counts, once
 * accepted, for the user it connects ({@link #admitBehindGateway}). The limits are read from the
 * hub's configuration at each newcomer, so a REHASH changes them for the next one; a lowered limit
 * disconnects nobody, it refuses newcomers until enough have left ({@code ipv6-group} is read once,
 * at start). Thread-safe.
 */
public final class ConnectionGate {
    /** Why a newcomer was refused; an IRC connection is told {@link #line()} before its socket closes. */
    public enum Refusal {
        TOO_MANY("too many connections, try again later"),
        TOO_MANY_FROM_ADDRESS("too many connections from your address"),
        TOO_FAST_FROM_ADDRESS("too many new connections from your address, try again later"),
        TOO_FAST_FROM_RANGE("too many new connections from your network, try again later"),
        BANNED("D-Lined: your address is banned from this server");

        private final String reason;
        private final byte[] line;

        Refusal(String reason) {
            this.reason = reason;
            this.line = ("ERROR :Closing Link: " + reason + "\r\n").getBytes(StandardCharsets.US_ASCII);
        }

        public String reason() {
            return reason;
        }

        /** The ERROR line, CRLF included. */
        public byte[] line() {
            return line.clone();
        }
    }

    private final Hub hub;
    /** Connections admitted and not yet left, in all. */
    private final AtomicInteger total = new AtomicInteger();
    /** Open connections per address; an address with none has no entry. Changed only by atomic compute. */
    private final Map<InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    /** New connections per address in its current window; stale windows are swept as the map grows. */
    private final Map<InetAddress, Window> recent = new ConcurrentHashMap<>();
    /** The same per range. */
    private final Map<InetAddress, Window> recentRanges = new ConcurrentHashMap<>();
    /** The IPv6 prefix length of an address group; fixed, so a connection leaves the group it entered. */
    private final int ipv6Group;

    /** {@code count} connections since {@code startMillis}. Immutable; replaced by atomic compute. */
    private record Window(long startMillis, int count) {
    }

    public ConnectionGate(Hub hub) {
        this.hub = hub;
        this.ipv6Group = hub.config().ipv6Group();
    }

    private InetAddress group(InetAddress address) {
        return AddressGroup.of(address, ipv6Group);
    }

    /**
     * Lets {@code from} in (null), or says why not. Every admitted connection must be
     * {@linkplain #leave left} exactly once.
     */
    public Refusal tryEnter(InetAddress address) {
        Refusal refused = bannedOrTooFast(address);
        if (refused != null) {
            return refused;
        }
        InetAddress from = group(address);
        int max = hub.config().maxConnections();
        if (!admit(max)) {
            hub.stats().connectionRefused();
            return Refusal.TOO_MANY;
        }
        int now = perAddress.merge(from, 1, Integer::sum);
        if (now > hub.config().maxConnectionsPerAddress() && !hub.trusted().contains(address)) {
            leave(address);
            hub.stats().connectionRefused();
            return Refusal.TOO_MANY_FROM_ADDRESS;
        }
        return null;
    }

    /** Refuses a D-lined {@code address}; otherwise counts it in the connection rate ({@link #rate}). */
    private Refusal bannedOrTooFast(InetAddress address) {
        ServerBans bans = hub.bans();
        if (bans != null && bans.dline(address).isPresent()) {
            hub.stats().connectionRefused();
            hub.stats().banHit();
            return Refusal.BANNED;
        }
        return rate(address);
    }

    /** Counts a new connection from {@code address} in its address's and its range's windows, or says which is full. */
    private Refusal rate(InetAddress address) {
        if (hub.trusted().contains(address)) {
            return null;
        }
        ServerConfig config = hub.config();
        if (!withinRate(recent, group(address), config.connectRate())) {
            hub.stats().connectionRefused();
            return Refusal.TOO_FAST_FROM_ADDRESS;
        }
        if (config.rangeConnectRate() > 0 && !withinRate(recentRanges,
                AddressGroup.range(address, config.rangeIpv4Prefix(), config.rangeIpv6Prefix()), config.rangeConnectRate())) {
            hub.stats().connectionRefused();
            return Refusal.TOO_FAST_FROM_RANGE;
        }
        return null;
    }

    /**
     * Counts one more new connection from {@code key} in {@code windows} unless {@code rate} were
     * counted in its current {@code connect-window} (a fixed window starting at its first connection).
     */
    private boolean withinRate(Map<InetAddress, Window> windows, InetAddress key, int rate) {
        long now = hub.now();
        long window = hub.config().connectWindow().toMillis();
        if (windows.size() > 4096) {
            windows.values().removeIf(w -> now - w.startMillis() >= window);
        }
        boolean[] ok = new boolean[1];
        windows.compute(key, (a, w) -> {
            if (w == null || now - w.startMillis() >= window) {
                ok[0] = true;
                return new Window(now, 1);
            }
            if (w.count() >= rate) {
                return w;
            }
            ok[0] = true;
            return new Window(w.startMillis(), w.count() + 1);
        });
        return ok[0];
    }

    /**
     * The user a WEBIRC gateway at {@code gateway} connects for. From now on the connection counts
     * for {@code user}, whatever the answer ({@link #leave} it with {@code user}); it is refused
     * when the user's address is D-lined, opened too many connections lately or holds too many.
     */
    public Refusal admitBehindGateway(InetAddress gateway, InetAddress user) {
        perAddress.computeIfPresent(group(gateway), (a, n) -> n <= 1 ? null : n - 1);
        int held = perAddress.merge(group(user), 1, Integer::sum);
        Refusal refused = bannedOrTooFast(user);
        if (refused != null) {
            return refused;
        }
        if (held > hub.config().maxConnectionsPerAddress() && !hub.trusted().contains(user)) {
            hub.stats().connectionRefused();
            return Refusal.TOO_MANY_FROM_ADDRESS;
        }
        return null;
    }

    /** Counts one more connection unless {@code max} are held already. */
    private boolean admit(int max) {
        while (true) {
            int now = total.get();
            if (now >= max) {
                return false;
            }
            if (total.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /** A connection admitted by {@link #tryEnter} is gone. */
    public void leave(InetAddress address) {
        perAddress.computeIfPresent(group(address), (a, n) -> n <= 1 ? null : n - 1);
        total.decrementAndGet();
    }

    /** Connections held right now, in all. */
    public int connections() {
        return total.get();
    }

    /** Connections held from {@code from} right now. */
    public int connectionsFrom(InetAddress address) {
        return perAddress.getOrDefault(group(address), 0);
    }
}
