package dev.parley.server.udp;

import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Anti-amplification, as QUIC does it before an address is validated: to a source that has
 * not proved it receives what the door sends (that is, one not in the room), the door sends
 * at most {@value #FACTOR} times the bytes it received from that source (address and port);
 * what does not fit is not sent. A forged datagram therefore gets the forged address at most
 * three times its own size. Sources in the room proved their address with a token
 * ({@link UdpCookie}) and are not limited here.
 *
 * <p>Thread-safe: the receiving thread credits, the door thread (and the receiving thread's
 * "slow down") spend.
 */
final class UdpBudget {
    /** Bytes the door may send an unproven source per byte received from it. */
    static final int FACTOR = 3;
    /** Unproven sources tracked before the oldest credit is forgotten (all at once: nobody gains by it). */
    static final int MAX_TRACKED = 65_536;

    private final Set<InetSocketAddress> proven = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<InetSocketAddress, long[]> credit = new ConcurrentHashMap<>();

    /** {@code bytes} arrived from {@code from}. */
    void received(InetSocketAddress from, int bytes) {
        if (proven.contains(from)) {
            return;
        }
        if (credit.size() >= MAX_TRACKED && !credit.containsKey(from)) {
            credit.clear(); // received and sent are forgotten together: the ratio holds over each period
        }
        credit.compute(from, (a, c) -> {
            long[] now = c == null ? new long[2] : c;
            now[0] += bytes;
            return now;
        });
    }

    /** May {@code bytes} go to {@code to} now? Counts them when they may. */
    boolean trySend(InetSocketAddress to, int bytes) {
        if (proven.contains(to)) {
            return true;
        }
        boolean[] ok = new boolean[1];
        credit.computeIfPresent(to, (a, c) -> {
            if (c[1] + bytes <= FACTOR * c[0]) {
                c[1] += bytes;
                ok[0] = true;
            }
            return c;
        });
        return ok[0];
    }

    /** Bytes {@code to} may still be sent before it proves its address. */
    long remaining(InetSocketAddress to) {
        if (proven.contains(to)) {
            return Long.MAX_VALUE;
        }
        long[] c = credit.get(to);
        return c == null ? 0 : Math.max(0, FACTOR * c[0] - c[1]);
    }

    /** {@code who} echoed a valid token and is in the room: no limit while it stays. */
    void prove(InetSocketAddress who) {
        proven.add(who);
        credit.remove(who);
    }

    /** {@code who} left the room: it starts over, with no credit. */
    void forget(InetSocketAddress who) {
        proven.remove(who);
    }
}
