package dev.parley.protocol;

import dev.parley.protocol.IrcParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses one line (without its CRLF) into an {@link IrcMessage}, following the modern IRC
 * client protocol: an optional tag section, an optional {@code :source}, the command, then at
 * most 15 parameters where the last may be a {@code :trailing} one. Tokens may be separated
 * by more than one space. Commands are upper-cased.
 *
 * <p>Limits, in UTF-8 bytes: the tag section (from {@code @} to the space after it) may not
 * exceed {@link #maxTagBytes()}, the tag data in it (without the {@code @} and the space) may not
 * exceed {@link #maxTagDataBytes()} (a server reading its clients' lines uses
 * {@link #MAX_CLIENT_TAG_DATA}), and the rest of the line may not exceed
 * {@link #maxBodyBytes()} (510: the classic 512 minus CRLF).
 */
public final class IrcParser {
    /** The modern document's limit for the tag section, including '@' and the trailing space. */
    public static final int DEFAULT_MAX_TAG_BYTES = 8191;
    /** The message-tags limit for the tag data a client sends (the section without '@' and the space). */
    public static final int MAX_CLIENT_TAG_DATA = 4094;
    /** 512 bytes including CRLF. */
    public static final int DEFAULT_MAX_BODY_BYTES = 510;
    /** RFC 1459: at most 15 parameters; the 15th takes the rest of the line. */
    public static final int MAX_PARAMS = 15;

    private static final IrcParser DEFAULT = new IrcParser(DEFAULT_MAX_TAG_BYTES, DEFAULT_MAX_BODY_BYTES);

    private final int maxTagBytes;
    private final int maxBodyBytes;
    private final int maxTagDataBytes;

    public IrcParser(int maxTagBytes, int maxBodyBytes) {
        this(maxTagBytes, maxBodyBytes, Integer.MAX_VALUE);
    }

    /** A parser that also limits the tag data, as a server does for what its clients send. */
    public IrcParser(int maxTagBytes, int maxBodyBytes, int maxTagDataBytes) {
        if (maxTagBytes < 1 || maxBodyBytes < 1 || maxTagDataBytes < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.maxTagBytes = maxTagBytes;
        this.maxBodyBytes = maxBodyBytes;
        this.maxTagDataBytes = maxTagDataBytes;
    }

    public static IrcParser standard() {
        return DEFAULT;
    }

    public int maxTagBytes() {
        return maxTagBytes;
    }

    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    public int maxTagDataBytes() {
        return maxTagDataBytes;
    }

    /** Parses with the default limits. */
    public static IrcMessage parseLine(String line) throws IrcParseException {
        return DEFAULT.parse(line);
    }

    public IrcMessage parse(String line) throws IrcParseException {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\0' || c == '\r' || c == '\n') {
                throw new IrcParseException(Reason.FORBIDDEN_CHARACTER, "Line holds a NUL, CR or LF character");
            }
        }
        int pos = skipSpaces(line, 0);
        if (pos == line.length()) {
            throw new IrcParseException(Reason.EMPTY, "Empty line");
        }
        Map<String, String> tags = Map.of();
        if (line.charAt(pos) == '@') {
            int end = line.indexOf(' ', pos);
            if (end < 0) {
                throw new IrcParseException(Reason.BAD_COMMAND, "Tags without a command");
            }
            if (utf8Length(line, pos, end + 1) > maxTagBytes || utf8Length(line, pos + 1, end) > maxTagDataBytes) {
                throw new IrcParseException(Reason.TAGS_TOO_LONG, "Input line was too long");
            }
            tags = parseTags(line.substring(pos + 1, end));
            pos = skipSpaces(line, end);
        }
        if (utf8Length(line, pos, line.length()) > maxBodyBytes) {
            throw new IrcParseException(Reason.BODY_TOO_LONG, "Input line was too long");
        }
        String source = null;
        if (pos < line.length() && line.charAt(pos) == ':') {
            int end = line.indexOf(' ', pos);
            if (end < 0 || end == pos + 1) {
                throw new IrcParseException(Reason.BAD_SOURCE, "Source without a command");
            }
            source = line.substring(pos + 1, end);
            pos = skipSpaces(line, end);
        }
        int end = line.indexOf(' ', pos);
        if (end < 0) {
            end = line.length();
        }
        String command = line.substring(pos, end);
        if (command.isEmpty() || !IrcMessage.isValidCommand(command)) {
            throw new IrcParseException(Reason.BAD_COMMAND, "Malformed command");
        }
        command = command.toUpperCase(Locale.ROOT);
        pos = skipSpaces(line, end);
        List<String> params = new ArrayList<>(4);
        while (pos < line.length()) {
            if (line.charAt(pos) == ':' || params.size() == MAX_PARAMS - 1) {
                int from = line.charAt(pos) == ':' ? pos + 1 : pos;
                params.add(line.substring(from));
                break;
            }
            end = line.indexOf(' ', pos);
            if (end < 0) {
                end = line.length();
            }
            params.add(line.substring(pos, end));
            pos = skipSpaces(line, end);
        }
        return new IrcMessage(tags, source, command, params);
    }

    static Map<String, String> parseTags(String section) throws IrcParseException {
        Map<String, String> tags = new LinkedHashMap<>();
        int pos = 0;
        while (pos <= section.length()) {
            int end = section.indexOf(';', pos);
            if (end < 0) {
                end = section.length();
            }
            if (end > pos) {
                String item = section.substring(pos, end);
                int eq = item.indexOf('=');
                String key = eq < 0 ? item : item.substring(0, eq);
                String value = eq < 0 ? "" : Tags.unescape(item.substring(eq + 1));
                if (!Tags.isValidKey(key)) {
                    throw new IrcParseException(Reason.BAD_TAGS, "Invalid tag key");
                }
                tags.put(key, value); // a repeated key: the last one wins
            }
            pos = end + 1;
        }
        return tags;
    }

    private static int skipSpaces(String s, int pos) {
        while (pos < s.length() && s.charAt(pos) == ' ') {
            pos++;
        }
        return pos;
    }

    /** UTF-8 length of {@code s[from, to)} without allocating. */
    public static int utf8Length(CharSequence s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n++;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    /** UTF-8 length of a whole string. */
    public static int utf8Length(String s) {
        return utf8Length(s, 0, s.length());
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
