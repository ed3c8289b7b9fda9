package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Tags;
import dev.parley.server.command.Messages.Kind;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Client;
import dev.parley.server.core.Outgoing;
import dev.parley.server.session.ClientBatch;
import dev.parley.server.session.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IRCv3 {@code draft/multiline}: a client opens {@code BATCH +ref draft/multiline <target>},
 * sends PRIVMSG (or NOTICE) lines tagged {@code batch=ref} — a line tagged
 * {@code draft/multiline-concat} continues the previous one with no line feed — and closes it
 * with {@code BATCH -ref}; the lines are then relayed as one message (see
 * {@link Messages#sendMultiline}). Limits: {@code --multiline-max-bytes} and
 * {@code --multiline-max-lines}, advertised in the capability's value. Errors are
 * {@code FAIL BATCH MULTILINE_*}; after one, the batch's further lines are dropped until it closes.
 * A label on the opening BATCH labels the answer to the whole batch.
 *
 * <p>Runs on the client's reader.
 */
final class MultilineCommand {
    static final String TYPE = "draft/multiline";

    private MultilineCommand() {
    }

    static void register(CommandTable t) {
        t.addWithSession("BATCH", 1, false, MultilineCommand::batch);
    }

    // BATCH +<ref> draft/multiline <target>
    // BATCH -<ref>
    private static void batch(Session s, IrcMessage m) {
        Client c = s.client();
        String ref = m.param(0);
        if (ref.length() < 2 || (ref.charAt(0) != '+' && ref.charAt(0) != '-')) {
            fail(c, "MULTILINE_INVALID", "Invalid batch reference");
            return;
        }
        String name = ref.substring(1);
        if (ref.charAt(0) == '+') {
            open(s, m, name);
        } else {
            close(s, name);
        }
    }

    private static void open(Session s, IrcMessage m, String ref) {
        Client c = s.client();
        if (m.paramCount() < 2 || !m.param(1).equalsIgnoreCase(TYPE)) {
            fail(c, "UNKNOWN_TYPE", m.paramCount() < 2 ? "*" : m.param(1), "Only draft/multiline batches can be sent");
            return;
        }
        if (!c.hasCap(Cap.MULTILINE) || !c.hasCap(Cap.BATCH)) {
            fail(c, "MULTILINE_INVALID", "Negotiate draft/multiline and batch first");
            return;
        }
        if (m.paramCount() < 3 || m.param(2).isEmpty() || m.param(2).contains(",")) {
            fail(c, "MULTILINE_INVALID", "A multiline batch has one target");
            return;
        }
        if (s.clientBatch() != null) {
            fail(c, "MULTILINE_INVALID", "Another multiline batch is still open");
            return;
        }
        if (!validRef(ref)) {
            fail(c, "MULTILINE_INVALID", "Invalid batch reference");
            return;
        }
        Map<String, String> tags = new LinkedHashMap<>();
        m.tags().forEach((k, v) -> {
            if (Tags.isClientTag(k)) {
                tags.put(k, v);
            }
        });
        s.setClientBatch(new ClientBatch(ref, m.param(2), tags, s.detachLabel()));
    }

    /** A reference the client may use: letters, digits and a few marks, not too long. */
    private static boolean validRef(String ref) {
        if (ref.length() > 64) {
            return false;
        }
        for (int i = 0; i < ref.length(); i++) {
            char ch = ref.charAt(i);
            if (!(Character.isLetterOrDigit(ch) && ch < 0x80) && "-_.~".indexOf(ch) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Takes a line tagged {@code batch=<ref>} when it belongs to the client's open batch; false
     * when it does not (the line is then handled as any other).
     */
    static boolean collect(Session s, IrcMessage m) {
        ClientBatch b = s.clientBatch();
        String ref = m.tags().get("batch");
        if (b == null || ref == null || !ref.equals(b.ref())) {
            return false;
        }
        if (b.failed()) {
            return true;
        }
        Client c = s.client();
        ServerConfig cfg = c.hub().config();
        String command = m.command();
        if (!(command.equals("PRIVMSG") || command.equals("NOTICE"))
                || (b.command() != null && !b.command().equals(command)) || m.paramCount() < 1) {
            failBatch(b, c, "MULTILINE_INVALID", "A multiline batch holds only PRIVMSG or only NOTICE lines");
            return true;
        }
        if (!c.hub().caseMapping().equals(m.param(0), b.target())) {
            failBatch(b, c, "MULTILINE_INVALID_TARGET", b.target(), m.param(0), "Invalid multiline target");
            return true;
        }
        String text = m.paramCount() > 1 ? m.param(1) : "";
        boolean joins = m.tags().containsKey(Outgoing.CONCAT_TAG);
        if (joins && text.isEmpty()) {
            failBatch(b, c, "MULTILINE_INVALID", "A blank line cannot be concatenated");
            return true;
        }
        if (b.lines().size() >= cfg.multilineMaxLines()) {
            failBatch(b, c, "MULTILINE_MAX_LINES", Integer.toString(cfg.multilineMaxLines()),
                    "Multiline batch max-lines exceeded");
            return true;
        }
        int bytes = IrcParser.utf8Length(text);
        if (b.bytesWith(bytes, joins) > cfg.multilineMaxBytes()) {
            failBatch(b, c, "MULTILINE_MAX_BYTES", Integer.toString(cfg.multilineMaxBytes()),
                    "Multiline batch max-bytes exceeded");
            return true;
        }
        b.add(command, text, bytes, joins);
        return true;
    }

    private static void close(Session s, String ref) {
        Client c = s.client();
        ClientBatch b = s.clientBatch();
        if (b == null || !b.ref().equals(ref)) {
            fail(c, "MULTILINE_INVALID", "No such batch is open");
            return;
        }
        s.setClientBatch(null);
        s.answerAs(b.label(), () -> deliver(s, b));
    }

    private static void deliver(Session s, ClientBatch b) {
        Client c = s.client();
        if (b.failed()) {
            return; // the error was sent when it failed
        }
        if (b.lines().isEmpty() || b.lines().stream().allMatch(String::isEmpty)) {
            fail(c, "MULTILINE_INVALID", "A multiline batch needs text");
            return;
        }
        Kind kind = Kind.valueOf(b.command());
        c.markMessageSent();
        if (b.target().equalsIgnoreCase(NickServ.NICK)) {
            for (String line : b.lines()) {
                if (!line.isEmpty()) {
                    NickServ.handle(s, line);
                }
            }
            return;
        }
        MessageCommands.answer(c, Messages.sendMultiline(c, b.target(), kind, b.lines(), b.concat(), b.clientTags()),
                kind);
    }

    private static void failBatch(ClientBatch b, Client c, String code, String... context) {
        b.fail();
        fail(c, code, context);
    }

    private static void fail(Client c, String code, String... context) {
        List<String> params = new ArrayList<>();
        params.add("BATCH");
        params.add(code);
        params.addAll(List.of(context));
        c.send(IrcMessage.from(c.hub().serverName(), "FAIL", Client.fitMiddle(params)));
    }
}
