package dev.parley.server.core;

import static dev.parley.protocol.Numerics.RPL_CHANNELMODEIS;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A channel. Everything a reader needs — members with their prefixes, modes, topic, ban and
 * invite-exception lists — is one immutable {@link View}, replaced whole under the hub lock on
 * every change and read with no lock at all: fan-out, STATUSMSG, WHO, NAMES, LIST and ban
 * checks take the current view and work on it.
 *
 * <p>The authoritative member map behind the view is guarded by the hub lock and touched only
 * by {@link Hub} while it applies a {@link Change}.
 */
public final class Channel {
    /** A channel topic, replaced whole. */
    public record Topic(String text, String setBy, long setAtMillis) {
    }

    /** A ban or invite-exception mask with who set it and when. */
    public record MaskEntry(String mask, String setBy, long setAtMillis) {
    }

    /**
     * The channel as readers see it. {@code members} and {@code prefixes} are parallel arrays
     * in join order; neither array is ever changed after publication.
     */
    public record View(Client[] members, Membership[] prefixes, Modes modes, Topic topic,
                       List<MaskEntry> bans, List<MaskEntry> exceptions) {
        public int size() {
            return members.length;
        }

        View withModes(Modes m) {
            return new View(members, prefixes, m, topic, bans, exceptions);
        }

        View withTopic(Topic t) {
            return new View(members, prefixes, modes, t, bans, exceptions);
        }

        View withLists(List<MaskEntry> b, List<MaskEntry> e) {
            return new View(members, prefixes, modes, topic, b, e);
        }
    }

    private static final Client[] NO_CLIENTS = new Client[0];
    private static final Membership[] NO_PREFIXES = new Membership[0];

    private final String name;
    private final String key;
    private final String historyKey;
    private final long createdAtMillis;
    /** Guarded by the hub lock. */
    private final Map<Client, Membership> members = new LinkedHashMap<>();
    private volatile View view = new View(NO_CLIENTS, NO_PREFIXES, Modes.DEFAULT, null, List.of(), List.of());

    Channel(String name, String key, String historyKey, long createdAtMillis) {
        this.name = name;
        this.key = key;
        this.historyKey = historyKey;
        this.createdAtMillis = createdAtMillis;
    }

    public String name() {
        return name;
    }

    /** The case-folded name used as map key. */
    public String key() {
        return key;
    }

    /**
     * What this channel's messages are stored under: this incarnation of the channel only, so a
     * channel of the same name created after this one empties cannot read them.
     */
    public String historyKey() {
        return historyKey;
    }

    public long createdAtMillis() {
        return createdAtMillis;
    }

    /** The channel now, as one consistent immutable value. Lock-free. */
    public View view() {
        return view;
    }

    public Topic topic() {
        return view.topic();
    }

    public Modes modes() {
        return view.modes();
    }

    /** The members now, as an immutable snapshot for fan-out. Lock-free; do not modify the array. */
    public Client[] members() {
        return view.members();
    }

    public int size() {
        return view.members().length;
    }

    /** Membership of {@code c}, or null. Lock-free. */
    public Membership membership(Client c) {
        return c.memberships.get(this);
    }

    /** Member → membership, in join order, from the current view. */
    public Map<Client, Membership> membershipsCopy() {
        View v = view;
        Map<Client, Membership> out = new LinkedHashMap<>();
        for (int i = 0; i < v.members().length; i++) {
            out.put(v.members()[i], v.prefixes()[i]);
        }
        return out;
    }

    /** The ban ({@code b}) or invite-exception ({@code I}) list. */
    public List<MaskEntry> maskList(char list) {
        View v = view;
        return list == 'b' ? v.bans() : v.exceptions();
    }

    // ---- changes: hub lock held ----

    /** Caller holds the hub lock. */
    Membership membershipLocked(Client c) {
        return members.get(c);
    }

    boolean isEmptyLocked() {
        return members.isEmpty();
    }

    boolean containsLocked(Client c) {
        return members.containsKey(c);
    }

    void addLocked(Client c, Membership m) {
        members.put(c, m);
        c.memberships.put(this, m);
        publishMembersLocked();
    }

    boolean removeLocked(Client c) {
        if (members.remove(c) == null) {
            return false;
        }
        c.memberships.remove(this);
        publishMembersLocked();
        return true;
    }

    /** Sets or clears {@code flag} for member {@code c}; null when {@code c} is not a member, else whether it changed. */
    Boolean setPrefixLocked(Client c, int flag, boolean on) {
        Membership before = members.get(c);
        if (before == null) {
            return null;
        }
        Membership after = before.with(flag, on);
        if (after == before) {
            return false;
        }
        members.put(c, after);
        c.memberships.put(this, after);
        publishMembersLocked();
        return true;
    }

    void setModesLocked(Modes m) {
        view = view.withModes(m);
    }

    void setTopicLocked(Topic t) {
        view = view.withTopic(t);
    }

    void setListsLocked(List<MaskEntry> bans, List<MaskEntry> exceptions) {
        view = view.withLists(List.copyOf(bans), List.copyOf(exceptions));
    }

    private void publishMembersLocked() {
        int n = members.size();
        Client[] cs = new Client[n];
        Membership[] ps = new Membership[n];
        int i = 0;
        for (Map.Entry<Client, Membership> e : members.entrySet()) {
            cs[i] = e.getKey();
            ps[i] = e.getValue();
            i++;
        }
        View v = view;
        view = new View(cs, ps, v.modes(), v.topic(), v.bans(), v.exceptions());
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
}
