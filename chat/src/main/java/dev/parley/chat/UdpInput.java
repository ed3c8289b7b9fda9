package dev.parley.chat;

/**
 * What a typed line becomes in UDP mode: every line, slash commands and {@code //text}
 * included, is sent as typed, because the UDP door itself understands {@code /quit},
 * {@code /nick}, {@code /me}, {@code /msg}, {@code /names}, {@code /topic}, {@code /help} and
 * answers anything else with an error. A bare {@code /quit} is sent as {@code quit}. Pure; any
 * thread.
 */
final class UdpInput {
    private UdpInput() {
    }

    /** The datagram for a typed line, or null for a blank one. */
    static String datagram(String line) {
        Input in = Input.parse(line);
        if (in == null) {
            return null;
        }
        if (in instanceof Input.Command cmd && cmd.name().equals("quit")) {
            return cmd.args().isEmpty() ? "quit" : "/quit " + cmd.args();
        }
        return line.replace("\0", "");
    }

    /**
     * True when the server reads {@code datagram} as leaving: the bare word {@code quit}, or
     * {@code /quit [reason]} ({@code quit something} is an ordinary message to the door).
     */
    static boolean isQuit(String datagram) {
        String d = datagram.toLowerCase(java.util.Locale.ROOT);
        return d.equals("quit") || d.equals("/quit") || d.startsWith("/quit ");
    }

    /**
     * How the own line is shown, as the door would show it to the others ({@code <nick> text},
     * {@code * nick action}), or null when it is a command whose answer comes from the door.
     * The door does not send a participant's own messages back.
     */
    static String echo(String datagram, String nick) {
        if (datagram.startsWith("//")) {
            return "<" + nick + "> " + datagram.substring(1);
        }
        String lower = datagram.toLowerCase(java.util.Locale.ROOT);
        if (lower.startsWith("/me ")) {
            return "* " + nick + " " + datagram.substring(4).strip();
        }
        if (datagram.startsWith("/") || lower.equals("ping")) {
            return null;
        }
        return "<" + nick + "> " + datagram;
    }
}
