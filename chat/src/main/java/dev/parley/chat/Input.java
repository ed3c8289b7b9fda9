package dev.parley.chat;

import java.util.Locale;

/**
 * One line the user typed, classified: text for the current target, or a slash command.
 * {@code //text} is text that starts with a slash. Pure; any thread.
 */
sealed interface Input {
    /** Text to send to the current target. */
    record Text(String text) implements Input {
    }

    /** {@code /name args}: {@code name} lower-cased without the slash, {@code args} trimmed. */
    record Command(String name, String args) implements Input {
        /** The first {@code n - 1} words of the arguments and then the rest of the line. */
        String[] words(int n) {
            if (args.isEmpty()) {
                return new String[0];
            }
            return args.split(" +", n);
        }
    }

    /** The classified line, or null for a blank one. */
    static Input parse(String line) {
        if (line == null) {
            return null;
        }
        String s = line.replace("\0", "");
        if (s.isBlank()) {
            return null;
        }
        if (s.startsWith("//")) {
            return new Text(s.substring(1));
        }
        if (!s.startsWith("/") || s.length() == 1 || s.charAt(1) == ' ') {
            return new Text(s);
        }
        int space = s.indexOf(' ');
        String name = (space < 0 ? s.substring(1) : s.substring(1, space)).toLowerCase(Locale.ROOT);
        String args = space < 0 ? "" : s.substring(space + 1).strip();
        return new Command(name, args);
    }
}
