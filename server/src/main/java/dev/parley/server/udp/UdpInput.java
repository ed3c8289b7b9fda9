package dev.parley.server.udp;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * What one datagram of the UDP door says: the checks every datagram passes (size, UTF-8,
 * control characters) and the small command language (`hello`, `/nick`, `quit`, `ping`, `/me`,
 * `/msg`, `/names`, `/topic`, `/help`, plain text). The bare words {@code hello <nick>}, {@code quit} and
 * {@code ping} are commands only as written (a line that merely starts with them is a message),
 * and {@code hello} only from a sender not yet in the room. No state, no threads, no sockets.
 */
public final class UdpInput {
    private UdpInput() {
    }

    /** One datagram, understood. */
    public sealed interface Command {
    }

    /**
     * {@code hello <nick> [token]}: join the room (from a new sender, with the token the door
     * gave it; from one in the room it is just {@code text}). {@code token} is empty when none
     * was given.
     */
    public record Hello(String nick, String token, String text) implements Command {
    }

    /** {@code /nick <nick>}: join (from a new sender) or rename. */
    public record Nick(String nick) implements Command {
    }

    /** {@code quit [reason]}. */
    public record Quit(String reason) implements Command {
    }

    /** {@code ping}: keep alive. */
    public record Ping() implements Command {
    }

    /** {@code /me <action>}. */
    public record Me(String text) implements Command {
    }

    /** {@code /msg <target> <text>}: a private message. */
    public record Msg(String target, String text) implements Command {
    }

    /** {@code /names}. */
    public record Names() implements Command {
    }

    /** {@code /topic}. */
    public record Topic() implements Command {
    }

    /** {@code /help}. */
    public record Help() implements Command {
    }

    /** A message to the room. */
    public record Say(String text) implements Command {
    }

    /** Something the sender gets an error line for. */
    public record Invalid(String error) implements Command {
    }

    /** Nothing to do: an empty datagram, or one shaped like the door's own output. */
    public record Empty() implements Command {
    }

    /** The lines {@code /help} answers with. */
    public static final String[] HELP = {
        "-- commands: hello <nick> [token] | /nick <nick> | /me <action> | /msg <nick> <text> | /names | /topic"
            + " | ping | quit | /quit [reason] | //text sends text starting with /; anything else is said to the room",
    };

    /**
     * Decodes and checks one datagram's bytes, then reads the command in it.
     *
     * @param data     the datagram's bytes, from position to limit
     * @param received how many bytes arrived (more than {@code max} when the datagram was cut)
     * @param max      the largest datagram accepted
     */
    public static Command read(ByteBuffer data, int received, int max) {
        if (received > max) {
            return new Invalid("datagram too long (at most " + max + " bytes)");
        }
        String text;
        try {
            CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            CharBuffer chars = utf8.decode(data);
            text = chars.toString();
        } catch (CharacterCodingException e) {
            return new Invalid("not valid UTF-8");
        }
        return parse(text);
    }

    /** Reads the command in one decoded datagram. */
    static Command parse(String datagram) {
        String text = stripLineEnd(datagram);
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0)) {
                return new Invalid("control characters are not allowed");
            }
        }
        if (text.isBlank() || looksLikeDoorOutput(text)) {
            return new Empty();
        }
        if (text.startsWith("//")) {
            return new Say(text.substring(1));
        }
        String word = firstWord(text);
        String rest = text.substring(word.length()).strip();
        String lower = word.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("/")) {
            return switch (lower) {
                case "hello" -> rest.isEmpty() ? new Say(text) : hello(rest, text);
                case "quit" -> rest.isEmpty() ? new Quit("") : new Say(text);
                case "ping" -> rest.isEmpty() ? new Ping() : new Say(text);
                default -> new Say(text);
            };
        }
        return switch (lower) {
            case "/nick" -> rest.isEmpty() ? new Invalid("say /nick <nick>") : new Nick(firstWord(rest));
            case "/quit" -> new Quit(rest);
            case "/ping" -> new Ping();
            case "/me" -> rest.isEmpty() ? new Invalid("say /me <action>") : new Me(rest);
            case "/msg" -> {
                String target = firstWord(rest);
                String body = rest.substring(target.length()).strip();
                yield target.isEmpty() || body.isEmpty() ? new Invalid("say /msg <nick> <text>") : new Msg(target, body);
            }
            case "/names" -> new Names();
            case "/topic" -> new Topic();
            case "/help" -> new Help();
            default -> new Invalid("unknown command " + word + "; try /help");
        };
    }

    private static Hello hello(String rest, String text) {
        String nick = firstWord(rest);
        String token = firstWord(rest.substring(nick.length()).strip());
        return new Hello(nick, token, text);
    }

    /**
     * True for the shapes of the door's own replies ({@code ! error}, {@code -- event},
     * {@code pong}): they are never answered, so a forged datagram cannot set two doors (or a
     * door and an echo service) answering each other for ever.
     */
    static boolean looksLikeDoorOutput(String text) {
        return text.startsWith("! ") || text.startsWith("-- ") || text.equals("pong");
    }

    private static String stripLineEnd(String s) {
        int end = s.length();
        if (end > 0 && s.charAt(end - 1) == '\n') {
            end--;
            if (end > 0 && s.charAt(end - 1) == '\r') {
                end--;
            }
        }
        return s.substring(0, end);
    }

    private static String firstWord(String s) {
        int space = s.indexOf(' ');
        return space < 0 ? s : s.substring(0, space);
    }
}
