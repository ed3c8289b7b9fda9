package dev.parley.server.core;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** A bounded memory of nicks that left or changed, newest first, for WHOWAS. */
public final class Whowas {
    /** One remembered identity; {@code account} is null when it was not logged in. */
    public record Entry(String nick, String user, String host, String realname, String account, long atMillis) {
    }

    private final int capacity;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();

    Whowas(int capacity) {
        this.capacity = capacity;
    }

    synchronized void remember(Client c, long now) {
        if (capacity == 0) {
            return;
        }
        entries.addFirst(new Entry(c.nick(), c.user(), c.host(), c.realname(), c.account(), now));
        while (entries.size() > capacity) {
            entries.removeLast();
        }
    }

    /** Up to {@code max} entries for {@code nick} (compared with {@code mapping}), newest first. */
    public synchronized List<Entry> find(String nick, int max, dev.parley.protocol.CaseMapping mapping) {
        List<Entry> out = new ArrayList<>();
        String want = mapping.fold(nick);
        for (Iterator<Entry> it = entries.iterator(); it.hasNext() && out.size() < max; ) {
            Entry e = it.next();
            if (mapping.fold(e.nick()).equals(want)) {
                out.add(e);
            }
        }
        return out;
    }
}
