package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.HistoryService;
import dev.parley.server.session.Session;
import dev.parley.server.store.HistoryEntry;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stored history as the commands see it: what a relayed message is stored under, recording it,
 * and sending entries back (the replay on JOIN and CHATHISTORY answers).
 */
final class History {
    private static final DateTimeFormatter PLAIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The key private messages between two accounts are stored under. */
    static String privateKey(Hub hub, String accountA, String accountB) {
        return HistoryService.privateKey(hub.caseMapping().fold(accountA), hub.caseMapping().fold(accountB));
    }

    /** Queues a relayed PRIVMSG/NOTICE for storage. Never blocks. */
    static void record(Client from, String key, Outgoing out) {
        HistoryService h = from.hub().history();
        if (h == null) {
            return;
        }
        IrcMessage m = out.message();
        h.record(key, out.msgid(), out.timeMillis(), m.source(), from.account(), m.command(), m.param(0), m.last());
    }

    /** Runs blocking work off the caller's reader, then its continuation back on that reader. */
    @FunctionalInterface
    interface Offload {
        void run(Supplier<List<HistoryEntry>> work, Consumer<List<HistoryEntry>> then);
    }

    /**
     * Sends {@code ch}'s recent history to a client that just joined it: only what was
     * recorded before the join, since everything after reaches the joiner live.
     */
    static void replayOnJoin(Session s, Change.Joined joined) {
        replayOnJoin(s.client(), joined, s::offload);
    }

    /** As {@link #replayOnJoin(Session, Change.Joined)}, with the reading of the store run by {@code offload}. */
    static void replayOnJoin(Client c, Change.Joined joined, Offload offload) {
        Hub hub = c.hub();
        int n = hub.config().historyReplay();
        HistoryService h = hub.history();
        if (n == 0 || h == null) {
            return;
        }
        Channel ch = joined.channel();
        long upTo = joined.historyUpTo();
        offload.run(() -> {
            h.awaitFlushed();
            return h.store().history(ch.historyKey(), true, 0, upTo + 1, n, true);
        }, entries -> {
            if (!entries.isEmpty()) {
                sendBatch(c, ch.name(), entries, true);
            }
        });
    }

    /**
     * Sends entries: in a {@code chathistory} batch with their original time and msgid for a
     * client with batch and server-time; otherwise as NOTICEs marked with time and sender.
     */
    static void sendBatch(Client c, String target, List<HistoryEntry> entries, boolean plainFallback) {
        Hub hub = c.hub();
        if (c.hasCap(Cap.BATCH) && (c.hasCap(Cap.SERVER_TIME) || !plainFallback)) {
            String ref = hub.nextBatchId();
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "+" + ref, "chathistory", target));
            for (HistoryEntry e : entries) {
                Outgoing out = new Outgoing(IrcMessage.from(e.sender(), e.command(), e.recipient(), e.body()),
                        e.sentAtMillis(), e.msgid(), e.account(), null);
                c.sendBytes(Outgoing.withTag(out.bytesFor(c), "batch", ref));
            }
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "-" + ref));
            return;
        }
        c.serverMessage("NOTICE", target, "Replaying the last " + entries.size() + " messages of " + target + ":");
        for (HistoryEntry e : entries) {
            String nick = e.sender().contains("!") ? e.sender().substring(0, e.sender().indexOf('!')) : e.sender();
            String text = "[" + PLAIN_TIME.format(Instant.ofEpochMilli(e.sentAtMillis())) + " UTC] <" + nick + "> " + e.body();
            c.serverMessage("NOTICE", target, text);
        }
        c.serverMessage("NOTICE", target, "End of replayed history.");
    }

    private History() {
    }
}
