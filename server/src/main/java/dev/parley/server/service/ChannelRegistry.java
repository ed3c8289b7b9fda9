package dev.parley.server.service;

import dev.parley.protocol.CaseMapping;
import dev.parley.server.store.Store;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Channels registered with ChanServ: for each (case-folded) channel name its founder account,
 * its access list (accounts given +o or +v when they join), and what it keeps while nobody is
 * in it — flag modes, key, limit, topic, ban and invite-exception lists.
 *
 * <p>Lookups read an in-memory copy loaded at start, with no lock and no disk, so the hub can
 * consult it under its own lock while a JOIN is applied. Every change replaces a channel's
 * {@link Registration} whole and marks the channel for writing; one writer thread
 * ({@code parley-channels-writer}) stores the latest copy of each marked channel in one
 * transaction, so a burst of MODE changes costs one write. {@link #flush} waits until what
 * was changed before it is stored: ChanServ answers a REGISTER, DROP or ACCESS change only
 * then (on an offloaded thread, never on a reader or under a lock).
 *
 * <p>Locking: this object's monitor guards the compound changes (the founder limit, the access
 * list limit). It is a leaf: it is taken under the hub lock, and nothing is taken or waited for
 * while it is held.
 */
public final class ChannelRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    /** What an account on a channel's access list gets; the founder ranks above both. */
    public enum Level {
        VOICE, OP, FOUNDER;

        /** The word ChanServ shows and reads: {@code voice}, {@code op}, {@code founder}. */
        public String word() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** {@code op} or {@code voice} (any case; {@code o}, {@code v}, {@code +o}, {@code +v} too), else null. */
        public static Level parse(String word) {
            return switch (word.toLowerCase(java.util.Locale.ROOT)) {
                case "op", "o", "+o", "aop", "sop" -> OP;
                case "voice", "v", "+v", "vop" -> VOICE;
                default -> null;
            };
        }
    }

    /** One account on the access list, as its owner spells it. */
    public record Access(String account, Level level, String setBy, long setAtMillis) {
    }

    /** A ban ({@code b}) or invite-exception ({@code I}) mask kept by a registered channel. */
    public record Mask(char list, String mask, String setBy, long setAtMillis) {
    }

    /**
     * What a registered channel keeps while it is empty: its flag modes as letters
     * ({@code "nt"}), key (null: none), limit (0: none), topic (null: none) and mask lists.
     */
    public record Kept(String flagModes, String key, int limit, String topic, String topicBy, long topicAtMillis,
                       List<Mask> masks) {
        public Kept {
            masks = List.copyOf(masks);
        }
    }

    /**
     * One registered channel. {@code name} is case-folded; {@code founder} and the accounts of
     * {@code access} are spelled as their owners registered them. {@code historyKey}: what the
     * channel's messages are stored under, for as long as it stays registered.
     */
    public record Registration(String name, String displayName, String founder, long registeredAtMillis,
                               String historyKey, List<Access> access, Kept kept) {
        public Registration {
            access = List.copyOf(access);
        }

        /** What {@code account} may do here: FOUNDER, its access level, or null (also for a null account). */
        public Level levelOf(String account, CaseMapping cm) {
            if (account == null) {
                return null;
            }
            if (cm.equals(founder, account)) {
                return Level.FOUNDER;
            }
            for (Access a : access) {
                if (cm.equals(a.account(), account)) {
                    return a.level();
                }
            }
            return null;
        }

        Registration withAccess(List<Access> a) {
            return new Registration(name, displayName, founder, registeredAtMillis, historyKey, a, kept);
        }

        Registration withKept(Kept k) {
            return new Registration(name, displayName, founder, registeredAtMillis, historyKey, access, k);
        }
    }

    /** What {@link #register} did. */
    public enum RegisterOutcome { REGISTERED, TAKEN, TOO_MANY }

    /** What {@link #setAccess} did. */
    public enum AccessOutcome { ADDED, CHANGED, REMOVED, UNCHANGED, NOT_LISTED, FULL, NOT_REGISTERED, IS_FOUNDER }

    private final Store store;
    private final CaseMapping caseMapping;
    private final Map<String, Registration> byName = new ConcurrentHashMap<>();
    /** Channels changed since their last write; the writer takes a name out before it reads the copy to store. */
    private final Set<String> dirty = ConcurrentHashMap.newKeySet();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(
            r -> Thread.ofPlatform().name("parley-channels-writer").daemon(true).unstarted(r));

    /** Loads every registration from {@code store}. Blocks on the store: call it at start. */
    public ChannelRegistry(Store store, CaseMapping caseMapping) {
        this.store = store;
        this.caseMapping = caseMapping;
        for (Store.ChannelRegistration r : store.channelRegistrations()) {
            byName.put(r.name(), fromStore(r));
        }
        if (!byName.isEmpty()) {
            LOG.info("{} registered channels", byName.size());
        }
    }

    /** The registration of channel {@code folded}, or null. Lock-free. */
    public Registration find(String folded) {
        return byName.get(folded);
    }

    /** Every registration now. */
    public List<Registration> all() {
        return List.copyOf(byName.values());
    }

    /** The history keys of every registered channel: history the server keeps across restarts. */
    public Set<String> historyKeys() {
        Set<String> keys = new HashSet<>();
        for (Registration r : byName.values()) {
            keys.add(r.historyKey());
        }
        return keys;
    }

    /** The channels {@code account} founded. */
    public List<Registration> foundedBy(String account) {
        List<Registration> out = new ArrayList<>();
        for (Registration r : byName.values()) {
            if (caseMapping.equals(r.founder(), account)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Registers {@code r} unless its name is taken or its founder has {@code maxPerFounder} channels. Never blocks. */
    public synchronized RegisterOutcome register(Registration r, int maxPerFounder) {
        if (byName.containsKey(r.name())) {
            return RegisterOutcome.TAKEN;
        }
        if (foundedBy(r.founder()).size() >= maxPerFounder) {
            return RegisterOutcome.TOO_MANY;
        }
        byName.put(r.name(), r);
        write(r.name());
        return RegisterOutcome.REGISTERED;
    }

    /** Ends the registration of {@code folded}; returns it, or null when there was none. Never blocks. */
    public synchronized Registration drop(String folded) {
        Registration gone = byName.remove(folded);
        if (gone != null) {
            write(folded);
        }
        return gone;
    }

    /**
     * Puts {@code account} on {@code folded}'s access list at {@code level}, or takes it off
     * (a null level). At most {@code max} entries. Never blocks.
     */
    public synchronized AccessOutcome setAccess(String folded, String account, Level level, String setBy, long atMillis,
                                                int max) {
        Registration r = byName.get(folded);
        if (r == null) {
            return AccessOutcome.NOT_REGISTERED;
        }
        if (caseMapping.equals(r.founder(), account)) {
            return AccessOutcome.IS_FOUNDER;
        }
        List<Access> list = new ArrayList<>(r.access());
        int at = -1;
        for (int i = 0; i < list.size(); i++) {
            if (caseMapping.equals(list.get(i).account(), account)) {
                at = i;
                break;
            }
        }
        AccessOutcome outcome;
        if (level == null) {
            if (at < 0) {
                return AccessOutcome.NOT_LISTED;
            }
            list.remove(at);
            outcome = AccessOutcome.REMOVED;
        } else if (at >= 0) {
            if (list.get(at).level() == level) {
                return AccessOutcome.UNCHANGED;
            }
            list.set(at, new Access(list.get(at).account(), level, setBy, atMillis));
            outcome = AccessOutcome.CHANGED;
        } else {
            if (list.size() >= max) {
                return AccessOutcome.FULL;
            }
            list.add(new Access(account, level, setBy, atMillis));
            outcome = AccessOutcome.ADDED;
        }
        byName.put(folded, r.withAccess(list));
        write(folded);
        return outcome;
    }

    /**
     * Replaces what {@code folded} keeps while empty, when it is registered under
     * {@code historyKey} (that incarnation of the channel). Never blocks; called under the hub lock.
     */
    public synchronized void keep(String folded, String historyKey, Kept kept) {
        Registration r = byName.get(folded);
        if (r == null || !r.historyKey().equals(historyKey) || r.kept().equals(kept)) {
            return;
        }
        byName.put(folded, r.withKept(kept));
        write(folded);
    }

    /**
     * An account is gone: the channels it founded are dropped (returned) and it leaves every
     * access list, so whoever registers the name next inherits nothing. Never blocks.
     */
    public synchronized List<Registration> forgetAccount(String account) {
        List<Registration> dropped = new ArrayList<>();
        for (Registration r : List.copyOf(byName.values())) {
            if (caseMapping.equals(r.founder(), account)) {
                byName.remove(r.name());
                dropped.add(r);
                write(r.name());
                continue;
            }
            List<Access> kept = new ArrayList<>(r.access());
            if (kept.removeIf(a -> caseMapping.equals(a.account(), account))) {
                byName.put(r.name(), r.withAccess(kept));
                write(r.name());
            }
        }
        return dropped;
    }

    /** Blocks until every change made before the call is stored (at most 10 s). Off readers and locks only. */
    public void flush() {
        try {
            writer.submit(() -> { }).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RejectedExecutionException e) {
            LOG.warn("channel registrations not yet stored: {}", e.toString());
        }
    }

    /** Marks {@code folded} for writing: the writer stores its latest copy (or deletes it, once dropped). */
    private void write(String folded) {
        if (!dirty.add(folded)) {
            return; // a write of it is queued and will read the latest copy
        }
        try {
            writer.execute(() -> {
                dirty.remove(folded);
                Registration r = byName.get(folded);
                try {
                    if (r == null) {
                        store.deleteChannelRegistration(folded);
                    } else {
                        store.putChannelRegistration(toStore(r));
                    }
                } catch (RuntimeException e) {
                    LOG.error("could not store the registration of {}", folded, e);
                }
            });
        } catch (RejectedExecutionException e) {
            dirty.remove(folded);
            LOG.warn("channel registration of {} changed after shutdown; not stored", folded);
        }
    }

    private static Registration fromStore(Store.ChannelRegistration r) {
        List<Access> access = new ArrayList<>();
        for (Store.ChannelAccess a : r.access()) {
            Level level = Level.parse(a.level());
            if (level != null) {
                access.add(new Access(a.account(), level, a.setBy(), a.setAtMillis()));
            }
        }
        List<Mask> masks = new ArrayList<>();
        for (Store.ChannelMask m : r.masks()) {
            masks.add(new Mask(m.list(), m.mask(), m.setBy(), m.setAtMillis()));
        }
        Kept kept = new Kept(r.flagModes(), r.modeKey(), r.modeLimit(), r.topic(), r.topicBy(), r.topicAtMillis(), masks);
        return new Registration(r.name(), r.displayName(), r.founder(), r.registeredAtMillis(), r.historyKey(), access, kept);
    }

    private static Store.ChannelRegistration toStore(Registration r) {
        List<Store.ChannelAccess> access = new ArrayList<>();
        for (Access a : r.access()) {
            access.add(new Store.ChannelAccess(a.account(), a.level().word(), a.setBy(), a.setAtMillis()));
        }
        List<Store.ChannelMask> masks = new ArrayList<>();
        for (Mask m : r.kept().masks()) {
            masks.add(new Store.ChannelMask(m.list(), m.mask(), m.setBy(), m.setAtMillis()));
        }
        Kept k = r.kept();
        return new Store.ChannelRegistration(r.name(), r.displayName(), r.founder(), r.registeredAtMillis(),
                r.historyKey(), k.flagModes(), k.key(), k.limit(), k.topic(), k.topicBy(), k.topicAtMillis(), access, masks);
    }

    /** Stores what is still marked, then stops the writer. */
    @Override
    public void close() {
        writer.shutdown();
        try {
            if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("channel registrations not all stored before shutdown");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
