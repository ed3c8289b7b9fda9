package dev.parley.server.core;

import static dev.parley.protocol.Numerics.RPL_MONOFFLINE;
import static dev.parley.protocol.Numerics.RPL_MONONLINE;

import dev.parley.protocol.IrcParser;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MONITOR: who watches which nick, and telling the watchers when a nick comes online or goes
 * offline. Two maps, both read and written only under the hub lock: each watcher's list (folded
 * nick → the nick as the watcher gave it, in the order added) and the index from a folded nick
 * to the clients watching it, so a change to one nick costs as much as it has watchers, not as
 * many clients as the server has. A list holds at most the monitor limit; a watcher's entries
 * leave both maps when it clears them or quits, and a nick nobody watches leaves the index.
 */
final class Monitors {
    private final Hub hub;
    /** Watcher → its list, folded nick → the nick as given. Hub lock. */
    private final Map<Client, Map<String, String>> lists = new IdentityHashMap<>();
    /** Folded nick → the clients watching it. Hub lock. */
    private final Map<String, Set<Client>> watchers = new HashMap<>();

    Monitors(Hub hub) {
        this.hub = hub;
    }

    // ---- the changes (called by Hub.apply) ----

    Change.MonitorAdded add(Change.MonitorAdd change) {
        Client c = change.client();
        int limit = hub.config().monitorLimit();
        List<String> online = new ArrayList<>();
        List<String> offline = new ArrayList<>();
        List<String> notAdded = new ArrayList<>();
        hub.lock.lock();
        try {
            if (c.isClosing()) {
                return new Change.MonitorAdded(limit, List.of()); // its Quit has run or will: the list would outlive it
            }
            Map<String, String> list = lists.get(c);
            Set<String> seen = new HashSet<>();
            for (String target : change.targets()) {
                String key = hub.caseMapping().fold(target);
                if (!seen.add(key)) {
                    continue;
                }
                if (list == null || !list.containsKey(key)) {
                    if (list != null && list.size() >= limit) {
                        notAdded.add(target);
                        continue;
                    }
                    if (list == null) {
                        list = new LinkedHashMap<>();
                        lists.put(c, list);
                    }
                    list.put(key, target);
                    watchers.computeIfAbsent(key, k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(c);
                }
                Client who = hub.nicksLocked().get(key);
                if (who != null && who.isRegistered()) {
                    online.add(who.prefix());
                } else {
                    offline.add(target);
                }
            }
            // under the lock: a notification about one of these nicks cannot come before this answer
            sendLists(c, RPL_MONONLINE, online);
            sendLists(c, RPL_MONOFFLINE, offline);
        } finally {
            hub.lock.unlock();
        }
        return new Change.MonitorAdded(limit, notAdded);
    }

    Void remove(Change.MonitorRemove change) {
        Client c = change.client();
        hub.lock.lock();
        try {
            Map<String, String> list = lists.get(c);
            if (list == null) {
                return null;
            }
            for (String target : change.targets()) {
                String key = hub.caseMapping().fold(target);
                if (list.remove(key) != null) {
                    unwatchLocked(key, c);
                }
            }
            if (list.isEmpty()) {
                lists.remove(c);
            }
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    Void clear(Change.MonitorClear change) {
        hub.lock.lock();
        try {
            forgetLocked(change.client());
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    // ---- the two queries (MONITOR L and S) ----

    /** The nicks {@code c} watches, as it gave them, in the order added. */
    List<String> list(Client c) {
        hub.lock.lock();
        try {
            Map<String, String> list = lists.get(c);
            return list == null ? List.of() : List.copyOf(list.values());
        } finally {
            hub.lock.unlock();
        }
    }

    /**
     * Tells {@code c} which of the nicks it watches are online (730) and which offline (731).
     * Under the hub lock, so the answer keeps its place among the notifications.
     */
    void status(Client c) {
        hub.lock.lock();
        try {
            Map<String, String> list = lists.get(c);
            if (list == null) {
                return;
            }
            List<String> online = new ArrayList<>();
            List<String> offline = new ArrayList<>();
            list.forEach((key, given) -> {
                Client who = hub.nicksLocked().get(key);
                if (who != null && who.isRegistered()) {
                    online.add(who.prefix());
                } else {
                    offline.add(given);
                }
            });
            sendLists(c, RPL_MONONLINE, online);
            sendLists(c, RPL_MONOFFLINE, offline);
        } finally {
            hub.lock.unlock();
        }
    }

    // ---- for the other appliers (hub lock held) ----

    /** {@code c}, registered, now holds its nick (it registered or renamed to it): its watchers get 730. */
    void onlineLocked(Client c) {
        Set<Client> ws = watchers.get(hub.caseMapping().fold(c.nick()));
        if (ws == null) {
            return;
        }
        String prefix = c.prefix();
        for (Client w : ws) {
            w.numeric(RPL_MONONLINE, prefix); // a send never blocks; an overflow closes the watcher later
        }
    }

    /** Nobody registered holds {@code nick} any more (its holder quit or renamed): its watchers get 731. */
    void offlineLocked(String nick) {
        Set<Client> ws = watchers.get(hub.caseMapping().fold(nick));
        if (ws == null) {
            return;
        }
        for (Client w : ws) {
            w.numeric(RPL_MONOFFLINE, nick);
        }
    }

    /**
     * Adds to {@code audience} whoever watches {@code c}'s nick having negotiated both
     * extended-monitor and {@code cap}: they hear of {@code c}'s AWAY, ACCOUNT, CHGHOST and
     * SETNAME as if they shared a channel (the audience is a set, so a channel peer is told once).
     */
    void addExtendedWatchersLocked(Set<Client> audience, Client c, Cap cap) {
        Set<Client> ws = watchers.get(hub.caseMapping().fold(c.nick()));
        if (ws == null) {
            return;
        }
        for (Client w : ws) {
            if (w.hasCap(Cap.EXTENDED_MONITOR) && w.hasCap(cap)) {
                audience.add(w);
            }
        }
    }

    /** {@code c} watches nobody any more (MONITOR C, or it quit). */
    void forgetLocked(Client c) {
        Map<String, String> list = lists.remove(c);
        if (list != null) {
            for (String key : list.keySet()) {
                unwatchLocked(key, c);
            }
        }
    }

    /** How many nicks someone watches. */
    int watchedNicksLocked() {
        return watchers.size();
    }

    private void unwatchLocked(String key, Client c) {
        Set<Client> ws = watchers.get(key);
        if (ws != null && ws.remove(c) && ws.isEmpty()) {
            watchers.remove(key);
        }
    }

    /** {@code items}, comma-separated, in as few {@code code} numerics as fit 512 bytes each. */
    private static void sendLists(Client to, String code, List<String> items) {
        if (items.isEmpty()) {
            return;
        }
        String head = ":" + to.hub().serverName() + " " + code + " " + to.nickOrStar() + " :";
        int budget = IrcParser.DEFAULT_MAX_BODY_BYTES - IrcParser.utf8Length(head);
        StringBuilder line = new StringBuilder();
        int used = 0;
        for (String item : items) {
            int cost = IrcParser.utf8Length(item) + (line.isEmpty() ? 0 : 1);
            if (!line.isEmpty() && used + cost > budget) {
                to.numeric(code, line.toString());
                line.setLength(0);
                used = 0;
                cost -= 1;
            }
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(item);
            used += cost;
        }
        to.numeric(code, line.toString());
    }
}
