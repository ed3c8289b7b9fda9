package dev.parley.server.service;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.Masks;
import dev.parley.server.config.AddressSet;
import dev.parley.server.store.Store;
import dev.parley.server.store.Store.ServerBan;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Server bans: K-lines ({@code user@host} masks, matched against a client's real address and
 * its cloak) and D-lines (an address or CIDR block, matched at connect time). Kept in the store,
 * so they survive a restart, and in memory as an immutable list that lookups read without a lock.
 * A ban past its expiry no longer matches, by the injected clock, and is removed from the store
 * at the next change. Adding and removing write the store: call them off any reader or loop
 * that must not block. Lookups: any thread.
 */
public final class ServerBans {
    public static final char KLINE = 'K';
    public static final char DLINE = 'D';
    private static final Pattern DURATION = Pattern.compile("(?:[0-9]+[smhdwy]?)+", Pattern.CASE_INSENSITIVE);
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]+)([smhdwy]?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern USER_HOST = Pattern.compile("[^@\\s,!]{1,64}@[^@\\s,!]{1,128}");

    private final Store store;
    private final LongSupplier clock;
    private final CaseMapping caseMapping;
    private volatile List<Entry> bans;

    /** One ban, with its D-line block parsed once. */
    private record Entry(ServerBan ban, AddressSet block) {
    }

    public ServerBans(Store store, LongSupplier clock, CaseMapping caseMapping) {
        this.store = store;
        this.clock = clock;
        this.caseMapping = caseMapping;
        List<Entry> loaded = new ArrayList<>();
        for (ServerBan b : store.serverBans()) {
            loaded.add(entry(b));
        }
        this.bans = List.copyOf(loaded);
    }

    private static Entry entry(ServerBan b) {
        return new Entry(b, b.kind() == DLINE ? AddressSet.parse(List.of(b.mask())) : null);
    }

    /**
     * True when {@code text} is a ban duration: {@code 30m}, {@code 2h}, {@code 7d}, {@code 1w},
     * combinations like {@code 1h30m}, or bare minutes ({@code 90}).
     */
    public static boolean isDuration(String text) {
        return DURATION.matcher(text).matches();
    }

    /** The length of {@code text} (see {@link #isDuration}); zero means permanent. */
    public static Duration parseDuration(String text) {
        if (!isDuration(text)) {
            throw new IllegalArgumentException("'" + text + "' is not a duration such as 30m, 2h, 7d or a number of minutes");
        }
        Matcher m = DURATION_PART.matcher(text);
        long seconds = 0;
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                long unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
                    case "s" -> 1;
                    case "", "m" -> 60;
                    case "h" -> 3600;
                    case "d" -> 86_400;
                    case "w" -> 604_800;
                    case "y" -> 31_536_000;
                    default -> throw new IllegalArgumentException(text);
                };
                seconds = Math.addExact(seconds, Math.multiplyExact(n, unit));
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new IllegalArgumentException("the duration '" + text + "' is too long");
        }
        if (seconds > 100L * 31_536_000) {
            throw new IllegalArgumentException("the duration '" + text + "' is too long");
        }
        return Duration.ofSeconds(seconds);
    }

    /** The canonical form of a K-line mask, or an exception saying what is wrong with it. */
    public static String kMask(String mask) {
        if (!USER_HOST.matcher(mask).matches()) {
            throw new IllegalArgumentException("'" + mask + "' is not a user@host mask");
        }
        return mask.toLowerCase(Locale.ROOT);
    }

    /** The canonical form of a D-line address or CIDR block, or an exception saying what is wrong with it. */
    public static String dMask(String mask) {
        String addr = mask;
        int prefix = -1;
        int slash = mask.indexOf('/');
        if (slash >= 0) {
            addr = mask.substring(0, slash);
            try {
                prefix = Integer.parseInt(mask.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + mask + "' has a bad prefix length");
            }
        }
        try {
            AddressSet.parse(List.of(mask));
            InetAddress a = InetAddress.getByName(addr); // a literal, checked by AddressSet: no lookup
            int bits = a.getAddress().length * 8;
            if (prefix < 0 || prefix == bits) {
                return a.getHostAddress();
            }
            return a.getHostAddress() + "/" + prefix;
        } catch (IllegalArgumentException | UnknownHostException e) {
            throw new IllegalArgumentException("'" + mask + "' is not an IP address or CIDR block");
        }
    }

    /** Adds (or replaces) a ban; {@code length} zero for a permanent one. Writes the store. */
    public ServerBan add(char kind, String mask, Duration length, String reason, String setBy) {
        String canonical = kind == KLINE ? kMask(mask) : dMask(mask);
        long now = clock.getAsLong();
        ServerBan b = new ServerBan(kind, canonical, reason, setBy, now, length.isZero() ? 0 : now + length.toMillis());
        synchronized (this) {
            store.putServerBan(b);
            List<Entry> next = new ArrayList<>();
            for (Entry e : bans) {
                if (expired(e.ban(), now)) {
                    store.removeServerBan(e.ban().kind(), e.ban().mask()); // forgotten at the next change
                } else if (!(e.ban().kind() == kind && e.ban().mask().equals(canonical))) {
                    next.add(e);
                }
            }
            next.add(entry(b));
            bans = List.copyOf(next);
        }
        return b;
    }

    /** Removes a ban; false when none of {@code kind} on {@code mask} is in force. Writes the store. */
    public boolean remove(char kind, String mask) {
        String canonical = kind == KLINE ? kMask(mask) : dMask(mask);
        synchronized (this) {
            boolean found = false;
            List<Entry> next = new ArrayList<>();
            for (Entry e : bans) {
                if (e.ban().kind() == kind && e.ban().mask().equals(canonical)) {
                    found = !expired(e.ban(), clock.getAsLong());
                } else {
                    next.add(e);
                }
            }
            store.removeServerBan(kind, canonical);
            bans = List.copyOf(next);
            return found;
        }
    }

    /** The bans of {@code kind} in force now, oldest first. */
    public List<ServerBan> list(char kind) {
        long now = clock.getAsLong();
        return bans.stream().map(Entry::ban).filter(b -> b.kind() == kind && !expired(b, now)).toList();
    }

    /** The D-line in force on {@code address}, if any. Lock-free. */
    public Optional<ServerBan> dline(InetAddress address) {
        long now = clock.getAsLong();
        for (Entry e : bans) {
            if (e.block() != null && !expired(e.ban(), now) && e.block().contains(address)) {
                return Optional.of(e.ban());
            }
        }
        return Optional.empty();
    }

    /** The K-line in force on {@code user} at any of {@code hosts} (the real address, the cloak), if any. Lock-free. */
    public Optional<ServerBan> kline(String user, String... hosts) {
        long now = clock.getAsLong();
        for (Entry e : bans) {
            if (e.ban().kind() != KLINE || expired(e.ban(), now)) {
                continue;
            }
            for (String host : hosts) {
                if (host != null && Masks.matches(e.ban().mask(), (user == null ? "*" : user) + "@" + host, caseMapping)) {
                    return Optional.of(e.ban());
                }
            }
        }
        return Optional.empty();
    }

    private static boolean expired(ServerBan b, long now) {
        return b.expiresAtMillis() != 0 && now >= b.expiresAtMillis();
    }
}
