package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

/**
 * Dispatches each message from the server to its handler by command, as a table. Also holds
 * the helpers every handler uses: the message's time (server-time when present) and whether
 * it belongs to a replayed history batch. Runs on the chat loop thread.
 */
final class ServerMessages {
    /** One row of the table. */
    @FunctionalInterface
    interface Handler {
        void handle(ChatClient c, IrcMessage m);
    }

    private final ChatClient c;
    private final Batches batches = new Batches();
    private final Replies replies = new Replies();
    private final Map<String, Handler> table = new HashMap<>();

    ServerMessages(ChatClient c) {
        this.c = c;
        table.put("PING", (cl, m) -> cl.send(IrcMessage.of("PONG", m.param(0) == null ? "" : m.param(0))));
        table.put("ERROR", (cl, m) -> cl.show(Shown.status(cl.now(), "server closes the link: " + m.last())));
        table.put("CAP", (cl, m) -> cl.registration().cap(m));
        table.put("AUTHENTICATE", (cl, m) -> cl.registration().authenticate(m));
        table.put("BATCH", (cl, m) -> batches.batch(cl, m));
        table.put("PRIVMSG", Conversation::privmsg);
        table.put("NOTICE", (cl, m) -> {
            if (!cl.registration().tokenNotice(m)) {
                Conversation.notice(cl, m);
            }
        });
        table.put("JOIN", Membership::join);
        table.put("PART", Membership::part);
        table.put("KICK", Membership::kick);
        table.put("QUIT", Membership::quit);
        table.put("NICK", Membership::nick);
        table.put("TOPIC", Membership::topic);
        table.put("MODE", Membership::mode);
        table.put("AWAY", Membership::away);
        table.put("INVITE", Membership::invite);
    }

    void handle(IrcMessage m) {
        if (m.isNumeric()) {
            replies.handle(c, m);
            return;
        }
        Handler h = table.get(m.command());
        if (h != null) {
            h.handle(c, m);
        } else {
            c.show(Shown.info(time(c, m), m.toWire()));
        }
    }

    /** When {@code m} happened: its {@code time} tag (server-time), else now. */
    static Instant time(ChatClient c, IrcMessage m) {
        String t = m.tags().get("time");
        if (t != null) {
            try {
                return Instant.parse(t);
            } catch (DateTimeParseException e) {
                // a malformed tag is no reason to drop the message
            }
        }
        return c.now();
    }

    /** The nick part of a source ({@code nick!user@host}); a server name stays whole. */
    static String nickOf(IrcMessage m) {
        String s = m.source();
        if (s == null) {
            return "*";
        }
        int bang = s.indexOf('!');
        return bang < 0 ? s : s.substring(0, bang);
    }

    /** Shows {@code s}, marked as history when {@code m} is inside a history batch. */
    static void show(ChatClient c, IrcMessage m, Shown s) {
        String ref = m.tags().get("batch");
        ServerMessages self = c.incoming();
        c.show(ref != null && self.batches.isHistory(ref) ? s.asHistory() : s);
    }
}
