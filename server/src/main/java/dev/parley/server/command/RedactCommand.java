package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Names;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.HistoryService;
import dev.parley.server.session.Session;
import dev.parley.server.store.HistoryEntry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IRCv3 {@code draft/message-redaction}: REDACT deletes a stored PRIVMSG, NOTICE or TAGMSG.
 * Its sender may (within {@code --redact-window}, matched by account, or without one by the same
 * nick!user@host), and so may the channel's operators and server operators (at any time). The
 * message is deleted from history, so replays and CHATHISTORY no longer return it, and the
 * REDACT is relayed to the recipients that negotiated the capability, like the message was;
 * others are told nothing. The redactor always gets it back as confirmation. The REDACT itself
 * is stored in the message's place in history (same target, its own msgid and time), so a
 * client with the capability that was away learns of it from the JOIN replay or CHATHISTORY.
 * A message that is not stored under the target the client names (never stored, pruned,
 * another target's, or a REDACT) is unknown, so no error tells a client about a message it
 * could not see.
 *
 * <p>Runs on the client's reader; the lookup and the deletion are offloaded.
 */
final class RedactCommand {
    private RedactCommand() {
    }

    static void register(CommandTable t) {
        t.addWithSession("REDACT", 2, false, HistoryCommands::keepsHistory, RedactCommand::redact);
    }

    /** What the store said, decided off the reader. */
    private enum Outcome { REDACTED, UNKNOWN, FORBIDDEN, EXPIRED }

    // REDACT <target> <msgid> [<reason>]
    private static void redact(Session s, IrcMessage m) {
        Client c = s.client();
        Hub hub = c.hub();
        String target = m.param(0);
        String msgid = m.param(1);
        String reason = m.paramCount() > 2 ? Text.truncate(m.param(2), hub.config().kickLength()) : null;
        if (reason != null && Text.refuseControlCharacters(c, "REDACT", reason)) {
            return;
        }
        String key;
        String shown;
        boolean moderator = c.isOper();
        if (Names.isChannel(target)) {
            Channel ch = hub.findChannel(target);
            if (ch == null || !(c.isOn(ch) || c.isOper())) {
                fail(c, "INVALID_TARGET", target, "You cannot delete messages from " + target);
                return;
            }
            key = ch.historyKey();
            shown = ch.name();
            moderator |= Replies.isOp(c, ch);
        } else {
            if (!Names.isValidNick(target, hub.config().nickLength())) {
                fail(c, "INVALID_TARGET", target, "You cannot delete messages from " + target);
                return;
            }
            Client other = hub.findNick(target);
            shown = other == null || other.nick() == null ? target : other.nick();
            // private messages are stored only between two accounts
            String otherAccount = other != null && other.account() != null ? other.account() : target;
            key = c.account() == null ? null : History.privateKey(hub, c.account(), otherAccount);
        }
        HistoryService h = hub.history();
        if (key == null || h == null) {
            unknown(c, shown, msgid);
            return;
        }
        String account = c.account();
        String prefix = c.prefix();
        boolean mayModerate = moderator;
        Duration window = hub.config().redactWindow();
        s.offload(() -> {
            h.awaitFlushed();
            Optional<HistoryEntry> found = h.store().findByMsgid(msgid);
            HistoryEntry e = found.orElse(null);
            if (e == null || !e.target().equals(key) || e.command().equals(History.REDACT)) {
                return Outcome.UNKNOWN;
            }
            if (!mayModerate) {
                if (!isSender(hub, e, account, prefix)) {
                    return Outcome.FORBIDDEN;
                }
                if (!window.isZero() && hub.now() - e.sentAtMillis() > window.toMillis()) {
                    return Outcome.EXPIRED;
                }
            }
            return h.store().deleteHistoryMessage(msgid) ? Outcome.REDACTED : Outcome.UNKNOWN;
        }, outcome -> {
            switch (outcome) {
                case REDACTED -> relay(c, key, shown, msgid, reason);
                case UNKNOWN -> unknown(c, shown, msgid);
                case FORBIDDEN -> fail(c, "REDACT_FORBIDDEN", shown, msgid, "You are not authorised to delete this message");
                case EXPIRED -> fail(c, "REDACT_WINDOW_EXPIRED", shown, msgid, Long.toString(window.toSeconds()),
                        "You can no longer edit this message");
            }
        });
    }

    /** Whether the redactor sent {@code e}: the same account, or with neither an account the same nick!user@host. */
    private static boolean isSender(Hub hub, HistoryEntry e, String account, String prefix) {
        if (e.account() != null) {
            return account != null && hub.caseMapping().equals(e.account(), account);
        }
        return account == null && e.sender().equals(prefix);
    }

    /**
     * Stores the REDACT under the message's key, then relays it to whoever got the message and
     * negotiated the capability, and to the redactor. Recorded first, as a message is: a joiner
     * replayed up to a sequence number taken after its view was out either has it in its replay
     * or receives it here.
     */
    private static void relay(Client c, String key, String target, String msgid, String reason) {
        Hub hub = c.hub();
        IrcMessage line = reason == null
                ? IrcMessage.from(c.prefix(), History.REDACT, target, msgid)
                : IrcMessage.from(c.prefix(), History.REDACT, target, msgid, reason);
        Outgoing out = new Outgoing(line, hub.now(), hub.nextMsgId(), c.account(), Map.of());
        History.record(c, key, out);
        if (Names.isChannel(target)) {
            Channel ch = hub.findChannel(target);
            if (ch != null) {
                for (Client member : ch.view().members()) {
                    if (member != c && member.hasCap(Cap.MESSAGE_REDACTION)) {
                        member.send(out);
                    }
                }
            }
        } else {
            Client other = hub.findNick(target);
            if (other != null && other != c && other.isRegistered() && other.hasCap(Cap.MESSAGE_REDACTION)) {
                other.send(out);
            }
        }
        c.send(out);
    }

    private static void unknown(Client c, String target, String msgid) {
        fail(c, "UNKNOWN_MSGID", target, msgid, "This message does not exist or is too old");
    }

    private static void fail(Client c, String code, String... context) {
        List<String> params = new ArrayList<>();
        params.add("REDACT");
        params.add(code);
        params.addAll(List.of(context));
        c.send(IrcMessage.from(c.hub().serverName(), "FAIL", Client.fitMiddle(params)));
    }
}
