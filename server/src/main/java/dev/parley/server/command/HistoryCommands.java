package dev.parley.server.command;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.HistoryService;
import dev.parley.server.session.Session;
import dev.parley.server.store.HistoryEntry;
import dev.parley.server.store.Store;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Stored history: recording channel and private messages, replay on JOIN, and the IRCv3
 * {@code draft/chathistory} command (LATEST, BEFORE, AFTER, AROUND, BETWEEN, TARGETS).
 */
final class HistoryCommands {
    /** Most messages one CHATHISTORY request returns (ISUPPORT CHATHISTORY). */
    static final int MAX_LIMIT = 100;

    private HistoryCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("CHATHISTORY", 1, false, HistoryCommands::keepsHistory, HistoryCommands::chathistory);
    }

    /** Whether the server keeps history: without it ({@code --no-history}) CHATHISTORY and REDACT are unknown. */
    static boolean keepsHistory(Hub hub) {
        return hub.history() != null;
    }

    // ---- CHATHISTORY ----

    // CHATHISTORY LATEST <target> <* | msgref> <limit>
    // CHATHISTORY BEFORE|AFTER|AROUND <target> <msgref> <limit>
    // CHATHISTORY BETWEEN <target> <msgref> <msgref> <limit>
    // CHATHISTORY TARGETS <timestamp> <timestamp> <limit>
    private static void chathistory(Session s, IrcMessage m) {
        Client c = s.client();
        String sub = m.param(0).toUpperCase(Locale.ROOT);
        int needed = switch (sub) {
            case "LATEST", "BEFORE", "AFTER", "AROUND", "TARGETS" -> 4;
            case "BETWEEN" -> 5;
            default -> -1;
        };
        if (needed < 0) {
            fail(c, "INVALID_PARAMS", sub, "Unknown subcommand");
            return;
        }
        if (m.paramCount() < needed) {
            fail(c, "INVALID_PARAMS", sub, "Not enough parameters");
            return;
        }
        int limit;
        try {
            limit = Math.min(MAX_LIMIT, Integer.parseInt(m.param(needed - 1)));
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit <= 0) {
            fail(c, "INVALID_PARAMS", sub, "Bad limit");
            return;
        }
        Hub hub = c.hub();
        HistoryService h = hub.history();
        if (sub.equals("TARGETS")) {
            targets(s, m, limit);
            return;
        }
        String target = m.param(1);
        String key = keyFor(c, target);
        if (key == null) {
            fail(c, "INVALID_TARGET", sub, target, "You cannot see the history of " + target);
            return;
        }
        int lim = limit;
        Set<String> leftOut = History.leftOut(c, false);
        s.offload(() -> {
            h.awaitFlushed();
            return query(h.store(), sub, key, m, lim, leftOut);
        }, result -> {
            if (result == null) {
                fail(c, "INVALID_PARAMS", sub, "Bad message reference");
            } else {
                History.sendBatch(c, target, result, false);
            }
        });
    }

    /** The storage key of {@code target} if {@code c} may read it: a channel it is in, or a nick while both are logged in. */
    private static String keyFor(Client c, String target) {
        Hub hub = c.hub();
        if (Names.isChannel(target)) {
            Channel ch = hub.findChannel(target);
            return ch != null && c.isOn(ch) ? ch.historyKey() : null;
        }
        if (c.account() == null) {
            return null;
        }
        Client other = hub.findNick(target);
        String otherAccount = other != null && other.account() != null ? other.account() : target;
        return History.privateKey(hub, c.account(), otherAccount);
    }

    /** A message reference: by time or by msgid (resolved to its sequence number). */
    private record Ref(boolean bySeq, long value) {
    }

    /** A {@code timestamp=} reference (no database needed to read it), or null. */
    private static Ref timestamp(String text) {
        if (!text.startsWith("timestamp=")) {
            return null;
        }
        try {
            return new Ref(false, Instant.parse(text.substring(10)).toEpochMilli());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** A reference by time or by msgid; a msgid is looked up in the store, so this runs off the reader. */
    private static Ref ref(Store store, String text) {
        if (text.startsWith("timestamp=")) {
            try {
                return new Ref(false, Instant.parse(text.substring(10)).toEpochMilli());
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        if (text.startsWith("msgid=")) {
            Optional<HistoryEntry> e = store.findByMsgid(text.substring(6));
            return e.map(x -> new Ref(true, x.seq())).orElse(null);
        }
        return null;
    }

    /**
     * Runs off the reader. Null means a bad reference. Entries whose command is in {@code leftOut}
     * (what the client is not sent) are not read, so the limit counts the lines it gets.
     */
    private static List<HistoryEntry> query(Store store, String sub, String key, IrcMessage m, int limit,
                                            Set<String> leftOut) {
        String refText = m.param(2);
        if (sub.equals("LATEST") && refText.equals("*")) {
            return store.history(key, true, 0, Long.MAX_VALUE, limit, true, leftOut);
        }
        Ref ref = ref(store, refText);
        if (ref == null) {
            return null;
        }
        return switch (sub) {
            case "LATEST" -> store.history(key, ref.bySeq(), ref.value(), Long.MAX_VALUE, limit, true, leftOut);
            case "BEFORE" -> store.history(key, ref.bySeq(), Long.MIN_VALUE, ref.value(), limit, true, leftOut);
            case "AFTER" -> store.history(key, ref.bySeq(), ref.value(), Long.MAX_VALUE, limit, false, leftOut);
            case "AROUND" -> {
                List<HistoryEntry> out = new ArrayList<>(store.history(key, ref.bySeq(), Long.MIN_VALUE,
                        ref.value() + 1, (limit + 1) / 2, true, leftOut));
                out.addAll(store.history(key, ref.bySeq(), ref.value(), Long.MAX_VALUE, limit / 2, false, leftOut));
                yield out;
            }
            case "BETWEEN" -> {
                Ref other = ref(store, m.param(3));
                if (other == null || other.bySeq() != ref.bySeq()) {
                    yield null;
                }
                long lo = Math.min(ref.value(), other.value());
                long hi = Math.max(ref.value(), other.value());
                yield store.history(key, ref.bySeq(), lo, hi, limit, ref.value() > other.value(), leftOut);
            }
            default -> null;
        };
    }

    /**
     * CHATHISTORY TARGETS: the channels the client is in and, when it is logged in, the accounts
     * it has a stored conversation with (itself included), that had messages strictly between
     * the two times; with the latest time of each. Ordered from the first time toward the
     * second (oldest first when the first is earlier), at most {@code limit}.
     */
    private static void targets(Session s, IrcMessage m, int limit) {
        Client c = s.client();
        Hub hub = c.hub();
        Ref from = timestamp(m.param(1));
        Ref to = timestamp(m.param(2));
        if (from == null || to == null) {
            fail(c, "INVALID_PARAMS", "TARGETS", "Targets take timestamp= references");
            return;
        }
        List<String> keys = new ArrayList<>();
        java.util.Map<String, String> names = new java.util.HashMap<>();
        for (Channel ch : c.channels()) {
            keys.add(ch.historyKey());
            names.put(ch.historyKey(), ch.name());
        }
        String account = c.account() == null ? null : hub.caseMapping().fold(c.account());
        boolean ascending = from.value() <= to.value();
        long lo = Math.min(from.value(), to.value());
        long hi = Math.max(from.value(), to.value());
        HistoryService h = hub.history();
        Set<String> leftOut = History.leftOut(c, false); // what it would not be sent is no activity
        s.offload(() -> {
            h.awaitFlushed();
            return h.store().targets(keys, account, lo, hi, limit, ascending, leftOut);
        }, found -> {
            String ref = hub.nextBatchId();
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "+" + ref, "draft/chathistory-targets"));
            for (Store.TargetActivity t : found) {
                String name = names.containsKey(t.target()) ? names.get(t.target()) : correspondent(t.target(), account);
                IrcMessage line = IrcMessage.from(hub.serverName(), "CHATHISTORY", "TARGETS", name,
                        Outgoing.SERVER_TIME.format(Instant.ofEpochMilli(t.latestMillis())));
                c.sendBytes(Outgoing.withTag(IrcFormatter.toBytes(line), "batch", ref));
            }
            c.send(IrcMessage.from(hub.serverName(), "BATCH", "-" + ref));
        });
    }

    /** The other account of a private conversation's key ({@code account} itself for notes to self). */
    private static String correspondent(String key, String account) {
        String[] pair = key.substring(HistoryService.PRIVATE.length()).split(",", 2);
        return pair[0].equals(account) ? pair[pair.length - 1] : pair[0];
    }

    private static void fail(Client c, String code, String... context) {
        List<String> params = new ArrayList<>();
        params.add("CHATHISTORY");
        params.add(code);
        params.addAll(List.of(context));
        c.send(IrcMessage.from(c.hub().serverName(), "FAIL", Client.fitMiddle(params)));
    }
}
