package dev.parley.server.core;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Tags;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
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
 * <p>Used by one thread (the one fanning the message out).
 */
public final class Outgoing {
    public static final DateTimeFormatter SERVER_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);
    private static final int MASK = Cap.SERVER_TIME.bit() | Cap.MESSAGE_TAGS.bit() | Cap.ACCOUNT_TAG.bit();

    private final IrcMessage message;
    private final long timeMillis;
    private final String msgid;
    private final String account;
    private final Map<String, String> clientTags;
    private final boolean bot;
    private final byte[][] encoded = new byte[8][];
    private String time;

    public Outgoing(IrcMessage message, long timeMillis, String msgid, String account, Map<String, String> clientTags) {
        this(message, timeMillis, msgid, account, clientTags, false);
    }

    /** {@code bot}: the sender is a bot (user mode +B), so message-tags recipients get the {@code bot} tag. */
    public Outgoing(IrcMessage message, long timeMillis, String msgid, String account, Map<String, String> clientTags,
                    boolean bot) {
        this.bot = bot;
        this.message = message.tags().isEmpty() ? message : message.withTags(Map.of());
        this.timeMillis = timeMillis;
        this.msgid = msgid;
        this.account = account;
        this.clientTags = clientTags == null ? Map.of() : clientTags;
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
                | (has(caps, Cap.ACCOUNT_TAG) ? 4 : 0);
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
        return IrcFormatter.toBytes(tags.isEmpty() ? message : message.withTags(tags));
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
