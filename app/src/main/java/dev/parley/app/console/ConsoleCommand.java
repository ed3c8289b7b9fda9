package dev.parley.app.console;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One operator command typed at the server console. {@link #parse} turns a line into a
 * command or a one-line explanation of what is wrong with it.
 */
public sealed interface ConsoleCommand {
    /** Most lines {@code logs} shows at once. */
    int MAX_LOG_LINES = 10_000;
    /** Lines {@code logs} shows without a number. */
    int DEFAULT_LOG_LINES = 20;
    /** Rows {@code users} and {@code channels} list without a number. */
    int DEFAULT_ROWS = 100;
    /** Most rows {@code users} and {@code channels} list at once. */
    int MAX_ROWS = 100_000;

    record Help() implements ConsoleCommand {
    }

    record Status() implements ConsoleCommand {
    }

    record ReloadTls() implements ConsoleCommand {
    }

    record Pause() implements ConsoleCommand {
    }

    record Resume() implements ConsoleCommand {
    }

    /** {@code reason} is null when none was given. */
    record Shutdown(String reason) implements ConsoleCommand {
    }

    record Logs(int lines) implements ConsoleCommand {
    }

    record ClearLogs() implements ConsoleCommand {
    }

    record ClearIdentities() implements ConsoleCommand {
    }

    /** {@code reason} is null when none was given. */
    record Kick(String nick, String reason) implements ConsoleCommand {
    }

    record Announce(String text) implements ConsoleCommand {
    }

    record Users(int limit) implements ConsoleCommand {
    }

    record Channels(int limit) implements ConsoleCommand {
    }

    record Bans() implements ConsoleCommand {
    }

    /** A K-line ({@code kind} K, a user@host mask) or D-line (D, an address or CIDR block); {@code length} zero: permanent. */
    record Ban(char kind, java.time.Duration length, String mask, String reason) implements ConsoleCommand {
    }

    record Unban(char kind, String mask) implements ConsoleCommand {
    }

    /** A line that is not a command; {@code message} says why, in one line. */
    final class BadCommandException extends Exception {
        private static final long serialVersionUID = 1L;

        BadCommandException(String message) {
            super(message);
        }
    }

    /** What {@code help} prints: syntax and meaning of each command. */
    record Usage(String syntax, String meaning) {
    }

    List<Usage> USAGE = List.of(
            new Usage("help", "list these commands"),
            new Usage("status", "uptime, engine, address, connections, users, channels, traffic, SendQ, heap, deadlocks"),
            new Usage("pause", "stop listening (the port is released); connected users keep chatting"),
            new Usage("resume", "listen again on the same port"),
            new Usage("reload-tls", "read the TLS certificate and key again; new connections get them, nobody is dropped"),
            new Usage("shutdown [reason]", "tell every client, close within the grace period, exit"),
            new Usage("logs [N]", "the last N lines of the event log (default " + DEFAULT_LOG_LINES + ")"),
            new Usage("clear-logs", "empty the event log files"),
            new Usage("clear-identities", "forget every remembered host"),
            new Usage("kick <nick> [reason]", "disconnect a user"),
            new Usage("announce <text>", "send a server NOTICE to every user"),
            new Usage("users [N]", "list connected users (at most N, default " + DEFAULT_ROWS + ")"),
            new Usage("channels [N]", "list channels (at most N, default " + DEFAULT_ROWS + ")"),
            new Usage("bans", "list the K-lines and D-lines in force"),
            new Usage("ban [duration] <user@host|address|CIDR> [reason]", "K-line (user@host) or D-line (address, CIDR); disconnects matching users"),
            new Usage("unban <user@host|address|CIDR>", "remove a K-line or D-line"));

    /** The command names, for completion. */
    static List<String> names() {
        return USAGE.stream().map(u -> u.syntax().split(" ")[0]).toList();
    }

    /**
     * Parses one console line. Blank lines give an empty result.
     *
     * @throws BadCommandException with a one-line explanation for anything else that is not a command
     */
    static Optional<ConsoleCommand> parse(String line) throws BadCommandException {
        String trimmed = line.strip();
        if (trimmed.isEmpty()) {
            return Optional.empty();
        }
        String[] split = trimmed.split("\\s+", 2);
        String name = split[0].toLowerCase(Locale.ROOT);
        String rest = split.length > 1 ? split[1].strip() : "";
        ConsoleCommand c = switch (name) {
            case "help", "?" -> noArguments(name, rest, new Help());
            case "status" -> noArguments(name, rest, new Status());
            case "pause" -> noArguments(name, rest, new Pause());
            case "resume" -> noArguments(name, rest, new Resume());
            case "reload-tls" -> noArguments(name, rest, new ReloadTls());
            case "shutdown" -> new Shutdown(rest.isEmpty() ? null : rest);
            case "logs" -> new Logs(count(name, rest, DEFAULT_LOG_LINES, MAX_LOG_LINES));
            case "clear-logs" -> noArguments(name, rest, new ClearLogs());
            case "clear-identities" -> noArguments(name, rest, new ClearIdentities());
            case "kick" -> kick(rest);
            case "announce" -> {
                if (rest.isEmpty()) {
                    throw new BadCommandException("announce needs a text: announce <text>");
                }
                yield new Announce(rest);
            }
            case "users" -> new Users(count(name, rest, DEFAULT_ROWS, MAX_ROWS));
            case "channels" -> new Channels(count(name, rest, DEFAULT_ROWS, MAX_ROWS));
            case "bans" -> noArguments(name, rest, new Bans());
            case "ban" -> ban(rest);
            case "unban" -> unban(rest);
            default -> throw new BadCommandException("unknown command '" + split[0] + "'; type 'help' for the list");
        };
        return Optional.of(c);
    }

    private static ConsoleCommand noArguments(String name, String rest, ConsoleCommand c) throws BadCommandException {
        if (!rest.isEmpty()) {
            throw new BadCommandException(name + " takes no arguments");
        }
        return c;
    }

    private static int count(String name, String rest, int byDefault, int max) throws BadCommandException {
        if (rest.isEmpty()) {
            return byDefault;
        }
        String usage = name + " takes one number from 1 to " + max + ", not '" + rest + "'";
        if (!rest.matches("\\d{1,9}")) {
            throw new BadCommandException(usage);
        }
        int n = Integer.parseInt(rest);
        if (n < 1 || n > max) {
            throw new BadCommandException(usage);
        }
        return n;
    }

    private static Ban ban(String rest) throws BadCommandException {
        String usage = "ban [duration] <mask> [reason]";
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("\\s+", 2);
        java.time.Duration length = java.time.Duration.ZERO;
        if (parts.length == 2 && dev.parley.server.service.ServerBans.isDuration(parts[0])) {
            try {
                length = dev.parley.server.service.ServerBans.parseDuration(parts[0]);
            } catch (IllegalArgumentException e) {
                throw new BadCommandException(e.getMessage());
            }
            parts = parts[1].split("\\s+", 2);
        }
        if (parts.length == 0) {
            throw new BadCommandException("ban needs a mask: " + usage);
        }
        char kind = kindOf(parts[0]);
        String reason = parts.length > 1 ? parts[1] : "No reason";
        if (reason.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw new BadCommandException("the reason holds control characters");
        }
        return new Ban(kind, length, parts[0], reason);
    }

    private static Unban unban(String rest) throws BadCommandException {
        if (rest.isEmpty() || rest.contains(" ")) {
            throw new BadCommandException("unban needs one mask: unban <mask>");
        }
        return new Unban(kindOf(rest), rest);
    }

    /** K for a user@host mask, D for an address or CIDR block; anything else is refused. */
    private static char kindOf(String mask) throws BadCommandException {
        try {
            if (mask.indexOf('@') >= 0) {
                dev.parley.server.service.ServerBans.kMask(mask);
                return 'K';
            }
            dev.parley.server.service.ServerBans.dMask(mask);
            return 'D';
        } catch (IllegalArgumentException e) {
            throw new BadCommandException(e.getMessage());
        }
    }

    private static Kick kick(String rest) throws BadCommandException {
        if (rest.isEmpty()) {
            throw new BadCommandException("kick needs a nick: kick <nick> [reason]");
        }
        String[] parts = rest.split("\\s+", 2);
        return new Kick(parts[0], parts.length > 1 ? parts[1] : null);
    }
}
