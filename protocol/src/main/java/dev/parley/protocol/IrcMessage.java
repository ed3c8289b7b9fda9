package dev.parley.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One IRC message: optional IRCv3 tags, optional source, a command and its parameters.
 *
 * <p>Immutable and validated on construction, so a message that exists can always be
 * written to the wire as exactly one line: no parameter holds CR, LF or NUL, no tag value holds
 * NUL (CR and LF in tag values are escaped), there are at most {@link IrcParser#MAX_PARAMS}
 * parameters, and only the last parameter may be empty, contain spaces or start with a colon.
 */
public record IrcMessage(Map<String, String> tags, String source, String command, List<String> params) {

    public IrcMessage {
        tags = tags == null || tags.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        Objects.requireNonNull(command, "command");
        if (!isValidCommand(command)) {
            throw new IllegalArgumentException("command must be letters or a three-digit numeric: " + command);
        }
        if (source != null && (source.isEmpty() || hasSpaceOrBreak(source))) {
            throw new IllegalArgumentException("source must be non-empty and hold no space or line break");
        }
        params = params == null ? List.of() : List.copyOf(params);
        if (params.size() > IrcParser.MAX_PARAMS) {
            // the 16th would be read back as part of the 15th
            throw new IllegalArgumentException("at most " + IrcParser.MAX_PARAMS + " parameters, not " + params.size());
        }
        for (int i = 0; i < params.size(); i++) {
            String p = params.get(i);
            if (p.indexOf('\r') >= 0 || p.indexOf('\n') >= 0 || p.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("parameter " + i + " holds CR, LF or NUL");
            }
            boolean last = i == params.size() - 1;
            if (!last && (p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':')) {
                throw new IllegalArgumentException("only the last parameter may be empty, hold spaces or start with ':'");
            }
        }
        for (Map.Entry<String, String> tag : tags.entrySet()) {
            if (!Tags.isValidKey(tag.getKey())) {
                throw new IllegalArgumentException("invalid tag key: " + tag.getKey());
            }
            // CR and LF in a value are escaped on the wire; NUL has no escape, so it cannot be sent
            if (tag.getValue() != null && tag.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("value of tag " + tag.getKey() + " holds NUL");
            }
        }
    }

    /** A message with no tags and no source. */
    public static IrcMessage of(String command, String... params) {
        return new IrcMessage(Map.of(), null, command, List.of(params));
    }

    /** A message from {@code source} with no tags. */
    public static IrcMessage from(String source, String command, String... params) {
        return new IrcMessage(Map.of(), source, command, List.of(params));
    }

    /** A message from {@code source} with no tags; parameters given as a list. */
    public static IrcMessage from(String source, String command, List<String> params) {
        return new IrcMessage(Map.of(), source, command, params);
    }

    public IrcMessage withTags(Map<String, String> newTags) {
        return new IrcMessage(newTags, source, command, params);
    }

    public IrcMessage withTag(String key, String value) {
        Map<String, String> copy = new LinkedHashMap<>(tags);
        copy.put(key, value);
        return new IrcMessage(copy, source, command, params);
    }

    public IrcMessage withSource(String newSource) {
        return new IrcMessage(tags, newSource, command, params);
    }

    /** Parameter {@code i}, or {@code null} when there are not that many. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : null;
    }

    /** The last parameter, or {@code null} when there are none. */
    public String last() {
        return params.isEmpty() ? null : params.get(params.size() - 1);
    }

    public int paramCount() {
        return params.size();
    }

    /** True for a three-digit numeric reply. */
    public boolean isNumeric() {
        return command.length() == 3 && Character.isDigit(command.charAt(0));
    }

    /** The wire form without the CRLF terminator. */
    public String toWire() {
        return IrcFormatter.format(this);
    }

    @Override
    public String toString() {
        return toWire();
    }

    static boolean isValidCommand(String command) {
        if (command.isEmpty()) {
            return false;
        }
        boolean digits = command.length() == 3;
        boolean letters = true;
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c < '0' || c > '9') {
                digits = false;
            }
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'))) {
                letters = false;
            }
        }
        return digits || letters;
    }

    private static boolean hasSpaceOrBreak(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\r' || c == '\n' || c == '\0') {
                return true;
            }
        }
        return false;
    }
}
