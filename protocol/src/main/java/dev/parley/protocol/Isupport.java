package dev.parley.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The RPL_ISUPPORT (005) tokens, kept in insertion order and split into lines. */
public final class Isupport {
    /** Tokens per 005 line; keeps every line well under 512 bytes. */
    public static final int TOKENS_PER_LINE = 13;

    private final Map<String, String> tokens = new LinkedHashMap<>();

    /** Adds {@code NAME=value}, or a bare {@code NAME} when value is null. */
    public Isupport put(String name, Object value) {
        tokens.put(name, value == null ? null : value.toString());
        return this;
    }

    public String get(String name) {
        return tokens.get(name);
    }

    public List<String> tokens() {
        List<String> out = new ArrayList<>(tokens.size());
        tokens.forEach((k, v) -> out.add(v == null ? k : k + "=" + v));
        return out;
    }

    /** The 005 messages for {@code nick}, from {@code server}. */
    public List<IrcMessage> messages(String server, String nick) {
        List<String> all = tokens();
        List<IrcMessage> lines = new ArrayList<>();
        for (int i = 0; i < all.size(); i += TOKENS_PER_LINE) {
            List<String> params = new ArrayList<>();
            params.add(nick);
            params.addAll(all.subList(i, Math.min(all.size(), i + TOKENS_PER_LINE)));
            params.add("are supported by this server");
            lines.add(IrcMessage.from(server, Numerics.RPL_ISUPPORT, params));
        }
        return lines;
    }
}
