package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Names;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Membership;
import dev.parley.server.core.Outgoing;
import dev.parley.server.core.UserMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Relaying one PRIVMSG, NOTICE or TAGMSG to one target — a channel (optionally only its
 * {@code @}/{@code +} members: STATUSMSG) or a nick — as a typed operation every door shares:
 * {@link MessageCommands} turns the {@link Result} into numerics, the UDP door into its own
 * lines. Every relayed message gets a msgid and a server time and is recorded in history
 * (channel messages, and private messages between two logged-in users); a sender with
 * echo-message gets its own message back.
 *
 * <p>Runs on the sender's reader (a session's reader, the UDP door's thread); reads channel
 * views and takes no lock.
 */
public final class Messages {
    /** Channel-membership prefixes a message target may start with (ISUPPORT STATUSMSG). */
    public static final String STATUSMSG = "@+";

    private Messages() {
    }

    /** What is relayed. */
    public enum Kind {
        PRIVMSG, NOTICE, TAGMSG;

        /** NOTICE never triggers an error reply (it would loop between bots). */
        public boolean quiet() {
            return this == NOTICE;
        }
    }

    /** How a relay went. */
    public enum Status {
        /** Relayed; {@link Result#detail} is the recipient's away text when a nick is away. */
        SENT,
        /** No channel or registered nick of that name (or a secret channel the sender is not in). */
        NO_SUCH_TARGET,
        /** The channel refuses the sender (+n, +m, a ban); {@link Result#detail} says which. */
        CANNOT_SEND
    }

    /**
     * What became of one target. {@code target}: the channel's or recipient's name as it is
     * known (for NO_SUCH_TARGET, the name asked for, status prefix removed).
     */
    public record Result(Status status, String target, String detail) {
        static Result sent(String target, String away) {
            return new Result(Status.SENT, target, away);
        }

        static Result noSuchTarget(String name) {
            return new Result(Status.NO_SUCH_TARGET, name, null);
        }
    }

    /**
     * Relays {@code text} (null for TAGMSG) from {@code from} to {@code target}: a channel,
     * a channel with a STATUSMSG prefix, or a nick.
     *
     * @param tags client-only tags to relay to message-tags recipients (may be empty)
     */
    public static Result send(Client from, String target, String text, Kind kind, Map<String, String> tags) {
        return route(from, target, kind, shown -> outgoing(from, kind, text, tags, shown));
    }

    /**
     * Relays a draft/multiline message: {@code lines} of PRIVMSG or NOTICE text, each marked in
     * {@code concat} when it continues the previous one with no line feed, as one message with
     * one msgid, stored in history as one entry.
     */
    public static Result sendMultiline(Client from, String target, Kind kind, List<String> lines, List<Boolean> concat,
                                       Map<String, String> tags) {
        return route(from, target, kind, shown -> {
            List<String> fitted = new ArrayList<>(lines.size());
            for (String line : lines) {
                fitted.add(fit(from.prefix(), kind, shown, line));
            }
            Hub hub = from.hub();
            return Outgoing.multiline(from.prefix(), kind.name(), shown, fitted, concat, hub.now(), hub.nextMsgId(),
                    from.account(), tags == null ? Map.of() : tags, from.hasMode(UserMode.BOT), hub.nextBatchId());
        });
    }

    /** Resolves {@code target} (a channel, with STATUSMSG prefixes, or a nick) and relays what {@code make} builds for it. */
    private static Result route(Client from, String target, Kind kind, Function<String, Outgoing> make) {
        String statusPrefix = "";
        String name = target;
        while (name.length() > 1 && STATUSMSG.indexOf(name.charAt(0)) >= 0 && Names.isChannel(name.substring(1))) {
            statusPrefix = statusPrefix.isEmpty() ? name.substring(0, 1) : statusPrefix;
            name = name.substring(1);
        }
        return Names.isChannel(name)
                ? toChannel(from, name, statusPrefix, kind, make)
                : toUser(from, name, kind, make);
    }

    /** Relays to channel {@code name}'s members ({@code status} "@" or "+": only those; "" for all). */
    public static Result toChannel(Client from, String name, String status, String text, Kind kind,
                                   Map<String, String> tags) {
        return toChannel(from, name, status, kind, shown -> outgoing(from, kind, text, tags, shown));
    }

    private static Result toChannel(Client from, String name, String status, Kind kind, Function<String, Outgoing> make) {
        Hub hub = from.hub();
        Channel ch = hub.findChannel(name);
        Channel.View view = ch == null ? null : ch.view();
        if (ch == null || (view.modes().secret() && !from.isOn(ch))) {
            return Result.noSuchTarget(name);
        }
        String refusal = refusal(from, ch, view);
        if (refusal != null) {
            return new Result(Status.CANNOT_SEND, ch.name(), refusal);
        }
        Outgoing out = make.apply(status + ch.name());
        if (status.isEmpty() && stored(hub, kind, out)) {
            History.record(from, ch.historyKey(), out);
            // recorded first, then the members read: a joiner replayed up to a sequence number
            // taken after its view was out either has this message in its replay or receives it here
            view = ch.view();
        }
        Client skip = from.hasCap(Cap.ECHO_MESSAGE) ? null : from;
        Set<String> nodes = deliverHere(view, status, kind == Kind.TAGMSG, skip, out);
        if (nodes != null) {
            hub.network().relayToChannel(nodes, ch.name(), status, kind == Kind.TAGMSG, out);
        }
        return Result.sent(ch.name(), null);
    }

    /**
     * Delivers a channel message to the members of {@code view} connected here ({@code status}
     * "@" or "+": only those; a TAGMSG only to those with message-tags), except {@code skip}.
     * Returns the nodes that hold other members (null when none): the message goes to each
     * once, and each delivers it to its own members the same way.
     */
    public static Set<String> deliverHere(Channel.View view, String status, boolean tagmsg, Client skip, Outgoing out) {
        Client[] members = view.members();
        Membership[] prefixes = view.prefixes();
        boolean opsOnly = status.equals("@");
        boolean voicedUp = status.equals("+");
        Set<String> nodes = null;
        for (int i = 0; i < members.length; i++) {
            Client member = members[i];
            if (member == skip) {
                continue;
            }
            if (opsOnly || voicedUp) {
                Membership mem = prefixes[i];
                if (!(mem.isOp() || (voicedUp && mem.isVoiced()))) {
                    continue;
                }
            }
            if (member.isRemote()) {
                if (nodes == null) {
                    nodes = new HashSet<>();
                }
                nodes.add(member.node());
                continue;
            }
            if (tagmsg && !member.hasCap(Cap.MESSAGE_TAGS)) {
                continue;
            }
            member.send(out);
        }
        return nodes;
    }

    /** Delivers a private message to {@code to}, connected here, as {@link #toUser} would. */
    public static void deliverHere(Client to, boolean tagmsg, Outgoing out) {
        if (!tagmsg || to.hasCap(Cap.MESSAGE_TAGS)) {
            to.send(out);
        }
    }

    /** Relays to the registered user {@code nick}. */
    public static Result toUser(Client from, String nick, String text, Kind kind, Map<String, String> tags) {
        return toUser(from, nick, kind, shown -> outgoing(from, kind, text, tags, shown));
    }

    /**
     * Relays to a user. A message between two logged-in users is stored once, under their
     * conversation, whichever of them sent it and wherever they are connected — a message to
     * oneself too (a note to self is a conversation of one).
     */
    private static Result toUser(Client from, String nick, Kind kind, Function<String, Outgoing> make) {
        Client to = from.hub().findNick(nick);
        if (to == null || !to.isRegistered()) {
            return Result.noSuchTarget(nick);
        }
        Outgoing out = make.apply(to.nick());
        if (from.account() != null && to.account() != null && stored(from.hub(), kind, out)) {
            History.record(from, History.privateKey(from.hub(), from.account(), to.account()), out);
        }
        if (to.isRemote()) {
            from.hub().network().relayToClient(to, kind == Kind.TAGMSG, out);
        } else {
            deliverHere(to, kind == Kind.TAGMSG, out);
        }
        if (from.hasCap(Cap.ECHO_MESSAGE) && to != from) {
            from.send(out);
        }
        return Result.sent(to.nick(), to.away());
    }

    /** Whether a relayed message goes into history: PRIVMSG and NOTICE, and a TAGMSG with a tag worth keeping (reactions). */
    private static boolean stored(Hub hub, Kind kind, Outgoing out) {
        return kind != Kind.TAGMSG || History.keeps(hub, out.clientTags());
    }

    /**
     * {@code text} cut so that the relayed line, {@code :source COMMAND target :text} and CRLF,
     * fits the 512 bytes every client may assume (the sender's line fitted without the
     * source); never between the bytes of one character.
     */
    static String fit(String source, Kind kind, String target, String text) {
        int room = IrcParser.DEFAULT_MAX_BODY_BYTES + 2 - 2 // 512 with CRLF, less the CRLF
                - (1 + IrcParser.utf8Length(source) + 1 + kind.name().length() + 1 + IrcParser.utf8Length(target) + 2);
        if (IrcParser.utf8Length(text) <= room) {
            return text;
        }
        int bytes = 0;
        int end = 0;
        while (end < text.length()) {
            int cp = text.codePointAt(end);
            int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + len > room) {
                break;
            }
            bytes += len;
            end += Character.charCount(cp);
        }
        return text.substring(0, end);
    }

    /** Why {@code c} may not speak in {@code ch} (+n, +m, a ban), or null. */
    private static String refusal(Client c, Channel ch, Channel.View view) {
        Channel.Modes modes = view.modes();
        Membership mem = ch.membership(c);
        if (mem == null) {
            return modes.noExternal() ? "Cannot send to channel (+n)" : null;
        }
        if (mem.isOp() || mem.isVoiced()) {
            return null;
        }
        if (modes.moderated()) {
            return "Cannot send to channel (+m)";
        }
        if (c.hub().isBanned(ch, c)) {
            return "Cannot send to channel (+b)";
        }
        return null;
    }

    private static Outgoing outgoing(Client c, Kind kind, String text, Map<String, String> tags, String target) {
        IrcMessage line = kind == Kind.TAGMSG
                ? IrcMessage.from(c.prefix(), kind.name(), target)
                : IrcMessage.from(c.prefix(), kind.name(), target, fit(c.prefix(), kind, target, text));
        Hub hub = c.hub();
        return new Outgoing(line, hub.now(), hub.nextMsgId(), c.account(), tags == null ? Map.of() : tags,
                c.hasMode(UserMode.BOT));
    }
}
