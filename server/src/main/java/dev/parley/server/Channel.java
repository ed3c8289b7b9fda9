package dev.parley.server;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A channel: members with their prefix modes, channel modes, topic, ban and invite-exception
 * lists, pending invites. Everything changes under the hub lock; fan-out reads
 * {@link #members()}, an immutable array snapshot, and {@link #modes()}, an immutable record,
 * without any lock.
 */
public final class Channel {
    /** A channel topic, replaced whole. */
    public record Topic(String text, String setBy, long setAtMillis) {
    }

    /** A ban or invite-exception mask with who set it and when. */
    public record MaskEntry(String mask, String setBy, long setAtMillis) {
    }

    /** The channel's simple modes, replaced whole on each change. */
    public record Modes(boolean topicOps, boolean noExternal, boolean moderated, boolean inviteOnly, boolean secret,
                        String key, int limit) {
        static final Modes DEFAULT = new Modes(true, true, false, false, false, null, 0);

        /** The mode string for RPL_CHANNELMODEIS, e.g. {@code +klnt key 10}; the key only when {@code showKey}. */
        public List<String> describe(boolean showKey) {
            StringBuilder flags = new StringBuilder("+");
            List<String> args = new ArrayList<>();
            if (inviteOnly) {
                flags.append('i');
            }
            if (key != null) {
                flags.append('k');
                args.add(showKey ? key : "*");
            }
            if (limit > 0) {
                flags.append('l');
                args.add(Integer.toString(limit));
            }
            if (moderated) {
                flags.append('m');
            }
            if (noExternal) {
                flags.append('n');
            }
            if (secret) {
                flags.append('s');
            }
            if (topicOps) {
                flags.append('t');
            }
            List<String> out = new ArrayList<>();
            out.add(flags.toString());
            out.addAll(args);
            return out;
        }

        Modes withFlag(char flag, boolean on) {
            return switch (flag) {
                case 't' -> new Modes(on, noExternal, moderated, inviteOnly, secret, key, limit);
                case 'n' -> new Modes(topicOps, on, moderated, inviteOnly, secret, key, limit);
                case 'm' -> new Modes(topicOps, noExternal, on, inviteOnly, secret, key, limit);
                case 'i' -> new Modes(topicOps, noExternal, moderated, on, secret, key, limit);
                case 's' -> new Modes(topicOps, noExternal, moderated, inviteOnly, on, key, limit);
                default -> throw new IllegalArgumentException("not a flag mode: " + flag);
            };
        }

        boolean flag(char flag) {
            return switch (flag) {
                case 't' -> topicOps;
                case 'n' -> noExternal;
                case 'm' -> moderated;
                case 'i' -> inviteOnly;
                case 's' -> secret;
                default -> false;
            };
        }

        Modes withKey(String k) {
            return new Modes(topicOps, noExternal, moderated, inviteOnly, secret, k, limit);
        }

        Modes withLimit(int l) {
            return new Modes(topicOps, noExternal, moderated, inviteOnly, secret, key, l);
        }
    }

    private static final Client[] NONE = new Client[0];

    private final Hub hub;
    private final String name;
    private final String key;
    private final long createdAtMillis;
    /** Guarded by the hub lock. */
    private final Map<Client, Membership> members = new LinkedHashMap<>();
    /** Guarded by the hub lock. */
    final List<MaskEntry> bans = new ArrayList<>();
    /** Guarded by the hub lock. */
    final List<MaskEntry> inviteExceptions = new ArrayList<>();
    /** Guarded by the hub lock: clients invited since they last joined. */
    final Set<Client> invited = Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private volatile Client[] snapshot = NONE;
    private volatile Topic topic;
    private volatile Modes modes = Modes.DEFAULT;

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

    public Modes modes() {
        return modes;
    }

    /** Caller holds the hub lock. */
    void setModesLocked(Modes m) {
        modes = m;
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

    /** Caller holds the hub lock. */
    Membership membershipLocked(Client c) {
        return members.get(c);
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

    /** A copy of a mask list. */
    public List<MaskEntry> maskList(char list) {
        hub.lock.lock();
        try {
            return List.copyOf(list == 'b' ? bans : inviteExceptions);
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

    Membership addLocked(Client c, int prefixModes) {
        Membership m = new Membership(prefixModes);
        members.put(c, m);
        invited.remove(c);
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
