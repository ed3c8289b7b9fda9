package dev.parley.chat;

/**
 * What a typed line becomes in UDP mode: {@code /quit [msg]} becomes {@code quit [msg]}; every
 * other line, slash commands and {@code //text} included, is sent as typed, because the UDP
 * door itself understands {@code /nick}, {@code /me}, {@code /msg}, {@code /names},
 * {@code /topic}, {@code /help} and answers anything else with an error. Pure; any thread.
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
            return cmd.args().isEmpty() ? "quit" : "quit " + cmd.args();
        }
        return line.replace("\0", "");
    }

    /**
     * True when the server reads {@code datagram} as leaving: {@code quit} or {@code quit reason},
     * typed as {@code /quit} or as plain text (the door reads both the same way).
     */
    static boolean isQuit(String datagram) {
        return datagram.equals("quit") || datagram.startsWith("quit ");
    }
}
