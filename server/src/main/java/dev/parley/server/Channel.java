package dev.parley.server;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel. Membership changes happen under the hub lock; fan-out reads
 * {@link #members()}, an immutable array snapshot, without any lock.
 */
public final class Channel {
    /** A channel topic, replaced whole. */
    public record Topic(String text, String setBy, long setAtMillis) {
    }

    private static final Client[] NONE = new Client[0];

    private final Hub hub;
    private final String name;
    private final String key;
    private final long createdAtMillis;
    /** Guarded by the hub lock. */
    private final Map<Client, Membership> members = new LinkedHashMap<>();
    private volatile Client[] snapshot = NONE;
    private volatile Topic topic;

    Channel(Hub hub, String name, String key, long createdAtMillis) {
        this.hub = hub;
        this.name = name;
        this.key = key;
        this.createdAtMillis = createdAtMillis;
    }

    public String name() {
        return name;
    }

    /** The case-folded name used as map key. */
    public String key() {
        return key;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    public Topic topic() {
        return topic;
    }

    void setTopic(Topic t) {
        topic = t;
    }

    /** The members now, as an immutable snapshot for fan-out. Lock-free. */
    public Client[] members() {
        return snapshot;
    }

    public int size() {
        return snapshot.length;
    }

    /** Membership of {@code c}, or null. Takes the hub lock briefly. */
    public Membership membership(Client c) {
        hub.lock.lock();
        try {
            return members.get(c);
        } finally {
            hub.lock.unlock();
        }
    }

    /** A copy of member→membership, in join order. */
    public Map<Client, Membership> membershipsCopy() {
        hub.lock.lock();
        try {
            return Collections.unmodifiableMap(new LinkedHashMap<>(members));
        } finally {
            hub.lock.unlock();
        }
    }

    boolean isEmptyLocked() {
        return members.isEmpty();
    }

    boolean containsLocked(Client c) {
        return members.containsKey(c);
    }

    Membership addLocked(Client c, int modes) {
        Membership m = new Membership(modes);
        members.put(c, m);
        snapshot = members.keySet().toArray(NONE);
        return m;
    }

    boolean removeLocked(Client c) {
        if (members.remove(c) == null) {
            return false;
        }
        snapshot = members.keySet().toArray(NONE);
        return true;
    }
}
