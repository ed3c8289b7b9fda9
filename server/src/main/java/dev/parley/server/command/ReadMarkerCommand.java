package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.ReadMarkers;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * IRCv3 {@code draft/read-marker}: MARKREAD gets and sets where a user has read a channel or a
 * conversation up to. A logged-in user's markers belong to the account (kept in the store,
 * shared by all its connections, each told when one moves); a connection without an account
 * keeps its own for as long as it lasts. A marker only moves forward, and never past the
 * present. After a JOIN, a client with the capability is told the channel's marker (before the
 * end of NAMES). Everything here runs on the client's reader and reads memory only.
 */
final class ReadMarkerCommand {
    private ReadMarkerCommand() {
    }

    static void register(CommandTable t) {
        // no minimum in the table: a missing target is answered with FAIL, as the extension says
        t.add("MARKREAD", 0, false, ReadMarkerCommand::markread);
    }

    // MARKREAD <target> [timestamp=YYYY-MM-DDThh:mm:ss.sssZ]
    private static void markread(Client c, IrcMessage m) {
        if (m.paramCount() < 1 || m.param(0).isEmpty()) {
            fail(c, "NEED_MORE_PARAMS", "Missing parameters");
            return;
        }
        Hub hub = c.hub();
        String target = m.param(0);
        boolean channel = Names.isChannel(target);
        if (channel ? !Names.isValidChannel(target, hub.config().channelLength())
                : !Names.isValidNick(target, hub.config().nickLength())) {
            fail(c, "INVALID_PARAMS", target, "Invalid target");
            return;
        }
        String key = hub.caseMapping().fold(target);
        String shown = shownName(hub, target, channel);
        if (m.paramCount() < 2) {
            c.serverMessage("MARKREAD", shown, format(current(c, key)));
            return;
        }
        long at = parse(m.param(1));
        if (at <= 0) {
            fail(c, "INVALID_PARAMS", m.param(1), "Invalid timestamp");
            return;
        }
        at = Math.min(at, hub.now()); // a message read cannot be from the future
        String account = c.account();
        ReadMarkers markers = hub.readMarkers();
        if (account == null || markers == null) {
            Map<String, Long> own = c.ownReadMarkers();
            if (!own.containsKey(key) && own.size() >= ReadMarkers.MAX_PER_ACCOUNT) {
                fail(c, "INTERNAL_ERROR", shown, "Too many read markers on this connection");
                return;
            }
            long now = own.merge(key, at, Math::max);
            c.serverMessage("MARKREAD", shown, format(now));
            return;
        }
        // through the hub: in a cluster the account's connections on every node hear of it
        ReadMarkers.Advance a = hub.apply(new Change.ReadMarker(c, hub.caseMapping().fold(account), key, shown, at));
        c.serverMessage("MARKREAD", shown, format(a.readAtMillis()));
    }

    /** Tells a client with the capability that just joined {@code ch} where it has read it up to. */
    static void afterJoin(Client c, Channel ch) {
        if (c.hasCap(Cap.READ_MARKER)) {
            c.serverMessage("MARKREAD", ch.name(), format(current(c, c.hub().caseMapping().fold(ch.name()))));
        }
    }

    /** The marker of {@code c} for the case-folded {@code key}, or 0 when none is set. */
    private static long current(Client c, String key) {
        String account = c.account();
        ReadMarkers markers = c.hub().readMarkers();
        if (account == null || markers == null) {
            Long at = c.ownReadMarkers().get(key);
            return at == null ? 0 : at;
        }
        return markers.get(c.hub().caseMapping().fold(account), key);
    }

    /** A channel's or a user's name as it is known now, else as it was asked for. */
    private static String shownName(Hub hub, String target, boolean channel) {
        if (channel) {
            Channel ch = hub.findChannel(target);
            return ch == null ? target : ch.name();
        }
        Client other = hub.findNick(target);
        return other == null || other.nick() == null ? target : other.nick();
    }

    /** Epoch milliseconds of a {@code timestamp=} parameter, or -1 for anything else. */
    private static long parse(String text) {
        if (!text.startsWith("timestamp=")) {
            return -1;
        }
        try {
            return Instant.parse(text.substring("timestamp=".length())).toEpochMilli();
        } catch (DateTimeParseException | ArithmeticException e) {
            return -1;
        }
    }

    private static String format(long millis) {
        return millis <= 0 ? "*" : "timestamp=" + Outgoing.SERVER_TIME.format(Instant.ofEpochMilli(millis));
    }

    private static void fail(Client c, String code, String... context) {
        List<String> params = new ArrayList<>();
        params.add("MARKREAD");
        params.add(code);
        params.addAll(List.of(context));
        c.send(IrcMessage.from(c.hub().serverName(), "FAIL", Client.fitMiddle(params)));
    }
}
