package dev.parley.server.core;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Tags;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One relayed message with the tags each recipient may see. Recipients differ only in which
 * of {@code server-time}, {@code message-tags} and {@code account-tag} they negotiated, so at
 * most eight encodings exist; each is made once, on first use, and the same bytes go to every
 * recipient with that cap combination.
 *
 * <p>Which tag goes to whom: {@code time} with server-time; {@code msgid}, client-only
 * {@code +tags} and {@code bot} (the sender has user mode +B) with message-tags; {@code account}
 * with account-tag.
 *
 * <p>A draft/multiline message holds its lines: a recipient that negotiated draft/multiline and
 * batch gets one batch, any other the lines as ordinary messages, so there are sixteen encodings
 * at most. The encoding of a multiline message holds several CRLF-ended lines.
 *
 * <p>Used by one thread (the one fanning the message out).
 */
public final class Outgoing {
    public static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MASK = Cap.SERVER_TIME.bit() | Cap.MESSAGE_TAGS.bit() | Cap.ACCOUNT_TAG.bit();
    private static final int MULTILINE_CAPS = Cap.MULTILINE.bit() | Cap.BATCH.bit();
    /** The tag marking a line of a multiline message that continues the previous one with no line feed. */
    public static final String CONCAT_TAG = "draft/multiline-concat";

    private final IrcMessage message;
    private final long timeMillis;
    private final String msgid;
    private final String account;
    private final Map<String, String> clientTags;
    private final boolean bot;
    /** A multiline message's lines (null for one line) and, for each, whether it joins the previous with no line feed. */
    private final String[] lines;
    private final boolean[] concat;
    /** A multiline message's batch reference, the same for every recipient. */
    private final String batchRef;
    private final byte[][] encoded;
    private String time;

    public Outgoing(IrcMessage message, long timeMillis, String msgid, String account, Map<String, String> clientTags) {
        this(message, timeMillis, msgid, account, clientTags, false);
    }

    /** {@code bot}: the sender is a bot (user mode +B), so message-tags recipients get the {@code bot} tag. */
    public Outgoing(IrcMessage message, long timeMillis, String msgid, String account, Map<String, String> clientTags,
                    boolean bot) {
        this(message, timeMillis, msgid, account, clientTags, bot, null, null, null);
    }

    private Outgoing(IrcMessage message, long timeMillis, String msgid, String account, Map<String, String> clientTags,
                     boolean bot, String[] lines, boolean[] concat, String batchRef) {
        this.bot = bot;
        this.message = message.tags().isEmpty() ? message : message.withTags(Map.of());
        this.timeMillis = timeMillis;
        this.msgid = msgid;
        this.account = account;
        this.clientTags = clientTags == null ? Map.of() : clientTags;
        this.lines = lines;
        this.concat = concat;
        this.batchRef = batchRef;
        this.encoded = new byte[lines == null ? 8 : 16][];
    }

    /**
     * A draft/multiline message: {@code lines} of {@code command} from {@code source} to
     * {@code target}, each marked in {@code concat} when it continues the previous line with no
     * line feed. A recipient with draft/multiline and batch gets it as one {@code draft/multiline}
     * batch (the message's tags on the opening BATCH); any other gets the lines that are not
     * blank as ordinary messages, the message's tags on the first.
     */
    public static Outgoing multiline(String source, String command, String target, List<String> lines,
                                     List<Boolean> concat, long timeMillis, String msgid, String account,
                                     Map<String, String> clientTags, boolean bot, String batchRef) {
        if (lines.isEmpty() || lines.size() != concat.size()) {
            throw new IllegalArgumentException("a multiline message needs lines, each with its concat flag");
        }
        String[] texts = lines.toArray(String[]::new);
        boolean[] joins = new boolean[texts.length];
        for (int i = 0; i < joins.length; i++) {
            joins[i] = i > 0 && concat.get(i);
        }
        int first = 0;
        while (first < texts.length - 1 && texts[first].isEmpty()) {
            first++;
        }
        IrcMessage head = IrcMessage.from(source, command, target, texts[first]);
        return new Outgoing(head, timeMillis, msgid, account, clientTags, bot, texts, joins, batchRef);
    }

    /** Whether this is a draft/multiline message of several lines. */
    public boolean isMultiline() {
        return lines != null;
    }

    /** A multiline message's lines as sent (one line: its text). */
    public List<String> lines() {
        return lines == null ? List.of(message.last()) : List.of(lines);
    }

    /** For each of {@link #lines()}, whether it continues the previous one with no line feed. */
    public List<Boolean> concat() {
        if (concat == null) {
            return List.of(false);
        }
        List<Boolean> out = new ArrayList<>(concat.length);
        for (boolean b : concat) {
            out.add(b);
        }
        return out;
    }

    /**
     * The message as ordinary lines, as a recipient without draft/multiline sees it (its blank
     * lines left out); one line for a message that is not multiline.
     */
    public List<IrcMessage> plainMessages() {
        if (lines == null) {
            return List.of(message);
        }
        List<IrcMessage> out = new ArrayList<>(lines.length);
        for (String text : lines) {
            if (!text.isEmpty()) {
                out.add(IrcMessage.from(message.source(), message.command(), message.param(0), text));
            }
        }
        return out;
    }

    /** Whether the sender was a bot (user mode +B): message-tags recipients get the {@code bot} tag. */
    public boolean bot() {
        return bot;
    }

    /** The client-only tags relayed with this message. */
    public Map<String, String> clientTags() {
        return clientTags;
    }

    /**
     * Writes this message for another node of a cluster ({@link #readFrom} reads it back): the
     * line, its time, msgid, account, client-only tags, bot flag and a multiline message's lines.
     */
    public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
        writeNullable(out, message.source());
        out.writeUTF(message.command());
        out.writeShort(message.params().size());
        for (String p : message.params()) {
            out.writeUTF(p);
        }
        out.writeLong(timeMillis);
        writeNullable(out, msgid);
        writeNullable(out, account);
        out.writeShort(clientTags.size());
        for (Map.Entry<String, String> e : clientTags.entrySet()) {
            out.writeUTF(e.getKey());
            writeNullable(out, e.getValue());
        }
        out.writeBoolean(bot);
        out.writeInt(lines == null ? -1 : lines.length);
        if (lines != null) {
            for (int i = 0; i < lines.length; i++) {
                out.writeUTF(lines[i]);
                out.writeBoolean(concat[i]);
            }
            writeNullable(out, batchRef);
        }
    }

    /** Reads what {@link #writeTo} wrote. */
    public static Outgoing readFrom(java.io.DataInputStream in) throws java.io.IOException {
        String source = readNullable(in);
        String command = in.readUTF();
        int n = in.readUnsignedShort();
        List<String> params = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            params.add(in.readUTF());
        }
        long time = in.readLong();
        String msgid = readNullable(in);
        String account = readNullable(in);
        int tagCount = in.readUnsignedShort();
        Map<String, String> tags = tagCount == 0 ? Map.of() : new LinkedHashMap<>();
        for (int i = 0; i < tagCount; i++) {
            tags.put(in.readUTF(), readNullable(in));
        }
        boolean bot = in.readBoolean();
        int lineCount = in.readInt();
        IrcMessage message = IrcMessage.from(source, command, params);
        if (lineCount < 0) {
            return new Outgoing(message, time, msgid, account, tags, bot);
        }
        String[] texts = new String[lineCount];
        boolean[] joins = new boolean[lineCount];
        for (int i = 0; i < lineCount; i++) {
            texts[i] = in.readUTF();
            joins[i] = in.readBoolean();
        }
        return new Outgoing(message, time, msgid, account, tags, bot, texts, joins, readNullable(in));
    }

    private static void writeNullable(java.io.DataOutputStream out, String s) throws java.io.IOException {
        out.writeBoolean(s != null);
        if (s != null) {
            out.writeUTF(s);
        }
    }

    private static String readNullable(java.io.DataInputStream in) throws java.io.IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A message that carries only a timestamp. */
    public static Outgoing of(IrcMessage message, long timeMillis) {
        return new Outgoing(message, timeMillis, null, null, null);
    }

    public IrcMessage message() {
        return message;
    }

    public String msgid() {
        return msgid;
    }

    public long timeMillis() {
        return timeMillis;
    }

    /** The bytes (with CRLF) for {@code recipient}. */
    public byte[] bytesFor(Client recipient) {
        int caps = recipient.caps() & MASK;
        int idx = (has(caps, Cap.SERVER_TIME) ? 1 : 0) | (has(caps, Cap.MESSAGE_TAGS) ? 2 : 0)
                | (has(caps, Cap.ACCOUNT_TAG) ? 4 : 0)
                | (lines != null && (recipient.caps() & MULTILINE_CAPS) == MULTILINE_CAPS ? 8 : 0);
        byte[] b = encoded[idx];
        if (b == null) {
            b = encode(idx);
            encoded[idx] = b;
        }
        return b;
    }

    /** Queues this message for {@code recipient}. */
    public void sendTo(Client recipient) {
        recipient.send(this);
    }

    private static boolean has(int caps, Cap c) {
        return (caps & c.bit()) != 0;
    }

    private byte[] encode(int idx) {
        Map<String, String> tags = headTags(idx);
        if (lines != null) {
            return (idx & 8) != 0 ? encodeBatch(tags) : encodePlain(idx, tags);
        }
        return IrcFormatter.toBytes(tags.isEmpty() ? message : message.withTags(tags));
    }

    /** The whole multiline message as one draft/multiline batch, its tags on the opening line. */
    private byte[] encodeBatch(Map<String, String> tags) {
        String source = message.source();
        String target = message.param(0);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * (lines.length + 2));
        IrcMessage open = IrcMessage.from(source, "BATCH", "+" + batchRef, "draft/multiline", target);
        out.writeBytes(IrcFormatter.toBytes(tags.isEmpty() ? open : open.withTags(tags)));
        Map<String, String> inBatch = Map.of("batch", batchRef);
        Map<String, String> joining = new LinkedHashMap<>();
        joining.put("batch", batchRef);
        joining.put(CONCAT_TAG, "");
        for (int i = 0; i < lines.length; i++) {
            IrcMessage line = IrcMessage.from(source, message.command(), target, lines[i]);
            out.writeBytes(IrcFormatter.toBytes(line.withTags(concat[i] ? joining : inBatch)));
        }
        out.writeBytes(IrcFormatter.toBytes(IrcMessage.from(source, "BATCH", "-" + batchRef)));
        return out.toByteArray();
    }

    /**
     * The multiline message as ordinary lines, blank ones left out: all of its tags on the first
     * (msgid and client-only tags only there), time, account and bot on each.
     */
    private byte[] encodePlain(int idx, Map<String, String> tags) {
        Map<String, String> rest = new LinkedHashMap<>(tags);
        rest.remove("msgid");
        rest.keySet().removeIf(Tags::isClientTag);
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 * lines.length);
        boolean first = true;
        for (IrcMessage line : plainMessages()) {
            Map<String, String> t = first ? tags : rest;
            out.writeBytes(IrcFormatter.toBytes(t.isEmpty() ? line : line.withTags(t)));
            first = false;
        }
        return out.toByteArray();
    }

    /** The tags of the message (of a multiline one's opening line) for a recipient of cap combination {@code idx}. */
    private Map<String, String> headTags(int idx) {
        Map<String, String> tags = new LinkedHashMap<>();
        if ((idx & 1) != 0) {
            if (time == null) {
                time = SERVER_TIME.format(Instant.ofEpochMilli(timeMillis));
            }
            tags.put("time", time);
        }
        if ((idx & 2) != 0) {
            if (msgid != null) {
                tags.put("msgid", msgid);
            }
            tags.putAll(clientTags);
            if (bot) {
                tags.put("bot", ""); // the spec's tag has no value
            }
        }
        if ((idx & 4) != 0 && account != null) {
            tags.put("account", account);
        }
        return tags;
    }

    /** The CRLF-ended lines of {@code bytes} (a multiline message's encoding holds several), each with its CRLF. */
    public static List<byte[]> splitLines(byte[] bytes) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                out.add(Arrays.copyOfRange(bytes, start, i + 2));
                start = i + 2;
                i++;
            }
        }
        if (start < bytes.length) {
            out.add(Arrays.copyOfRange(bytes, start, bytes.length));
        }
        return out;
    }

    /** True when a formatted line already carries a {@code batch} tag. */
    public static boolean hasBatchTag(byte[] line) {
        if (line.length == 0 || line[0] != '@') {
            return false;
        }
        for (int i = 1; i + 6 <= line.length && line[i] != ' '; i++) {
            if ((line[i - 1] == '@' || line[i - 1] == ';') && line[i] == 'b' && line[i + 1] == 'a' && line[i + 2] == 't'
                    && line[i + 3] == 'c' && line[i + 4] == 'h' && line[i + 5] == '=') {
                return true;
            }
        }
        return false;
    }

    /** Adds one tag to an encoded line (used for label and batch). */
    public static byte[] withTag(byte[] line, String key, String value) {
        String tag = key + "=" + Tags.escape(value);
        byte[] t = tag.getBytes(StandardCharsets.UTF_8);
        if (line.length > 0 && line[0] == '@') {
            byte[] out = new byte[line.length + t.length + 1];
            out[0] = '@';
            System.arraycopy(t, 0, out, 1, t.length);
            out[1 + t.length] = ';';
            System.arraycopy(line, 1, out, 2 + t.length, line.length - 1);
            return out;
        }
        byte[] out = new byte[line.length + t.length + 2];
        out[0] = '@';
        System.arraycopy(t, 0, out, 1, t.length);
        out[1 + t.length] = ' ';
        System.arraycopy(line, 0, out, 2 + t.length, line.length);
        return out;
    }
}
