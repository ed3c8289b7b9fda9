package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Tags;
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
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Stored history as the commands see it: what a relayed message is stored under, recording it,
 * and sending entries back (the replay on JOIN and CHATHISTORY answers).
 */
final class History {
    private static final DateTimeFormatter PLAIN_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** The command of a stored redaction (see {@link HistoryEntry}). */
    static final String REDACT = "REDACT";

    /** The server tag stored among a message's tags when its sender was a bot (+B). */
    private static final String BOT_TAG = "bot";

    /** The key private messages between two accounts are stored under. */
    static String privateKey(Hub hub, String accountA, String accountB) {
        return HistoryService.privateKey(hub.caseMapping().fold(accountA), hub.caseMapping().fold(accountB));
    }

    /**
     * Queues a relayed PRIVMSG/NOTICE (one line or draft/multiline), a TAGMSG worth keeping
     * (see {@link #keeps}) or a REDACT for storage, with its client-only tags. Never blocks.
     */
    static void record(Client from, String key, Outgoing out) {
        HistoryService h = from.hub().history();
        if (h == null) {
            return;
        }
        IrcMessage m = out.message();
        String body = switch (m.command()) {
            case "TAGMSG" -> "";
            // the redacted msgid, then the reason if there is one
            case REDACT -> m.paramCount() > 2 ? m.param(1) + " " + m.param(2) : m.param(1);
            default -> out.isMultiline() ? String.join("\n", out.lines()) : m.last();
        };
        String joins = null;
        if (out.isMultiline()) {
            StringBuilder b = new StringBuilder();
            out.concat().forEach(c -> b.append(c ? 'c' : 'n'));
            joins = b.toString();
        }
        Map<String, String> tags = out.clientTags();
        if (out.bot()) { // kept among the tags so a replay carries it too
            tags = new LinkedHashMap<>(tags);
            tags.put(BOT_TAG, "");
        }
        h.record(key, out.msgid(), out.timeMillis(), m.source(), from.account(), m.command(), m.param(0), body,
                formatTags(tags), joins);
    }

    /** Whether a TAGMSG with these client-only tags is stored: it carries one of {@code --history-tagmsg}'s. */
    static boolean keeps(Hub hub, Map<String, String> clientTags) {
        if (clientTags.isEmpty()) {
            return false;
        }
        Set<String> kept = hub.config().historyTagmsgTags();
        for (String k : clientTags.keySet()) {
            if (kept.contains(k)) {
                return true;
            }
        }
        return false;
    }

    /** Client-only tags as a tag section without the {@code @}, or null for none. */
    static String formatTags(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        tags.forEach((k, v) -> {
            if (!b.isEmpty()) {
                b.append(';');
            }
            b.append(k);
            if (v != null && !v.isEmpty()) {
                b.append('=').append(Tags.escape(v));
            }
        });
        return b.toString();
    }

    /** A stored tag section back as tags (empty for null). */
    static Map<String, String> parseTags(String section) {
        if (section == null || section.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String tag : section.split(";")) {
            int eq = tag.indexOf('=');
            if (eq < 0) {
                out.put(tag, "");
            } else {
                out.put(tag.substring(0, eq), Tags.unescape(tag.substring(eq + 1)));
            }
        }
        return out;
    }

    /** A stored entry as the message it was relayed as (multiline included), for replay. */
    static Outgoing outgoing(Hub hub, HistoryEntry e) {
        Map<String, String> tags = parseTags(e.tags());
        boolean bot = tags.containsKey(BOT_TAG);
        if (bot) {
            tags = new LinkedHashMap<>(tags);
            tags.remove(BOT_TAG);
        }
        if (e.command().equals("TAGMSG")) {
            return new Outgoing(IrcMessage.from(e.sender(), "TAGMSG", e.recipient()), e.sentAtMillis(), e.msgid(),
                    e.account(), tags, bot);
        }
        if (e.command().equals(REDACT)) {
            String[] idAndReason = e.body().split(" ", 2);
            IrcMessage line = idAndReason.length == 1
                    ? IrcMessage.from(e.sender(), REDACT, e.recipient(), idAndReason[0])
                    : IrcMessage.from(e.sender(), REDACT, e.recipient(), idAndReason[0], idAndReason[1]);
            return new Outgoing(line, e.sentAtMillis(), e.msgid(), e.account(), tags, bot);
        }
        if (e.isMultiline()) {
            List<String> lines = List.of(e.body().split("\n", -1));
            List<Boolean> concat = new ArrayList<>(lines.size());
            for (int i = 0; i < lines.size(); i++) {
                concat.add(i < e.lineJoins().length() && e.lineJoins().charAt(i) == 'c');
            }
            if (lines.size() == e.lineJoins().length()) {
                return Outgoing.multiline(e.sender(), e.command(), e.recipient(), lines, concat, e.sentAtMillis(),
                        e.msgid(), e.account(), tags, bot, hub.nextBatchId());
            }
        }
        return new Outgoing(IrcMessage.from(e.sender(), e.command(), e.recipient(), e.body()), e.sentAtMillis(),
                e.msgid(), e.account(), tags, bot);
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
        Set<String> leftOut = leftOut(c, true);
        offload.run(() -> {
            h.awaitFlushed();
            return h.store().history(ch.historyKey(), true, 0, upTo + 1, n, true, leftOut);
        }, entries -> {
            if (!entries.isEmpty()) {
                sendBatch(c, ch.name(), entries, true);
            }
        });
    }

    /** Whether history goes to {@code c} in a {@code chathistory} batch rather than as NOTICEs. */
    private static boolean inBatch(Client c, boolean plainFallback) {
        return c.hasCap(Cap.BATCH) && (c.hasCap(Cap.SERVER_TIME) || !plainFallback);
    }

    /**
     * The stored commands {@code c} is not sent in a replay, as live: a TAGMSG reaches only
     * message-tags clients, a REDACT only draft/message-redaction clients, and neither is
     * replayed as a NOTICE. They are left out of the query, so they do not count toward its limit.
     */
    static Set<String> leftOut(Client c, boolean plainFallback) {
        if (!inBatch(c, plainFallback)) {
            return Set.of("TAGMSG", REDACT);
        }
        Set<String> out = new HashSet<>(2);
        if (!c.hasCap(Cap.MESSAGE_TAGS)) {
            out.add("TAGMSG");
        }
        if (!c.hasCap(Cap.MESSAGE_REDACTION)) {
            out.add(REDACT);
        }
        return Set.copyOf(out);
    }

    /**
     * Sends entries: in a {@code chathistory} batch with their original time and msgid for a
     * client with batch and server-time; otherwise as NOTICEs marked with time and sender.
     * What {@link #leftOut} names is skipped.
     */
    static void sendBatch(Client c, String target, List<HistoryEntry> entries, boolean plainFallback) {
        Hub hub = c.hub();
        Set<String> skipped = leftOut(c, plainFallback);
        if (inBatch(c, plainFallback)) {
            String ref = hub.nextBatchId();
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "+" + ref, "chathistory", target));
            for (HistoryEntry e : entries) {
                if (skipped.contains(e.command())) {
                    continue;
                }
                for (byte[] line : Outgoing.splitLines(outgoing(hub, e).bytesFor(c))) {
                    // a multiline message's own batch nests in this one: only its opening line is tagged
                    c.sendBytes(Outgoing.hasBatchTag(line) ? line : Outgoing.withTag(line, "batch", ref));
                }
            }
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "-" + ref));
            return;
        }
        c.serverMessage("NOTICE", target, "Replaying the last " + entries.size() + " messages of " + target + ":");
        for (HistoryEntry e : entries) {
            if (skipped.contains(e.command())) {
                continue;
            }
            String nick = e.sender().contains("!") ? e.sender().substring(0, e.sender().indexOf('!')) : e.sender();
            String stamp = "[" + PLAIN_TIME.format(Instant.ofEpochMilli(e.sentAtMillis())) + " UTC] <" + nick + "> ";
            for (IrcMessage line : outgoing(hub, e).plainMessages()) {
                c.serverMessage("NOTICE", target, stamp + line.last());
            }
        }
        c.serverMessage("NOTICE", target, "End of replayed history.");
    }

    private History() {
    }
}
