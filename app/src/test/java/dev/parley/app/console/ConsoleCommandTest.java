package dev.parley.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.app.console.ConsoleCommand.BadCommandException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConsoleCommandTest {
    private static ConsoleCommand parse(String line) throws BadCommandException {
        return ConsoleCommand.parse(line).orElseThrow();
    }

    @Test
    void everyCommandParses() throws BadCommandException {
        assertThat(parse("help")).isEqualTo(new ConsoleCommand.Help());
        assertThat(parse("?")).isEqualTo(new ConsoleCommand.Help());
        assertThat(parse("status")).isEqualTo(new ConsoleCommand.Status());
        assertThat(parse("pause")).isEqualTo(new ConsoleCommand.Pause());
        assertThat(parse("resume")).isEqualTo(new ConsoleCommand.Resume());
        assertThat(parse("shutdown")).isEqualTo(new ConsoleCommand.Shutdown(null));
        assertThat(parse("shutdown  back in 5 minutes ")).isEqualTo(new ConsoleCommand.Shutdown("back in 5 minutes"));
        assertThat(parse("logs")).isEqualTo(new ConsoleCommand.Logs(ConsoleCommand.DEFAULT_LOG_LINES));
        assertThat(parse("logs 5")).isEqualTo(new ConsoleCommand.Logs(5));
        assertThat(parse("clear-logs")).isEqualTo(new ConsoleCommand.ClearLogs());
        assertThat(parse("clear-identities")).isEqualTo(new ConsoleCommand.ClearIdentities());
        assertThat(parse("kick alice")).isEqualTo(new ConsoleCommand.Kick("alice", null));
        assertThat(parse("kick alice  spamming the channel")).isEqualTo(new ConsoleCommand.Kick("alice", "spamming the channel"));
        assertThat(parse("announce  Restart at 10:00 UTC")).isEqualTo(new ConsoleCommand.Announce("Restart at 10:00 UTC"));
        assertThat(parse("users")).isEqualTo(new ConsoleCommand.Users(ConsoleCommand.DEFAULT_ROWS));
        assertThat(parse("users 3")).isEqualTo(new ConsoleCommand.Users(3));
        assertThat(parse("channels")).isEqualTo(new ConsoleCommand.Channels(ConsoleCommand.DEFAULT_ROWS));
        assertThat(parse("  STATUS  ")).as("names are case-insensitive, spaces ignored").isEqualTo(new ConsoleCommand.Status());
    }

    @Test
    void blankLinesAreNothing() throws BadCommandException {
        assertThat(ConsoleCommand.parse("")).isEmpty();
        assertThat(ConsoleCommand.parse("   \t ")).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "frobnicate             | unknown command 'frobnicate'; type 'help' for the list",
            "status now             | status takes no arguments",
            "pause 10               | pause takes no arguments",
            "logs ten               | logs takes one number from 1 to 10000, not 'ten'",
            "logs 0                 | logs takes one number from 1 to 10000, not '0'",
            "logs 10001             | logs takes one number from 1 to 10000, not '10001'",
            "logs 99999999999999    | logs takes one number from 1 to 10000, not '99999999999999'",
            "logs -3                | logs takes one number from 1 to 10000, not '-3'",
            "users 1 2              | users takes one number from 1 to 100000, not '1 2'",
            "kick                   | kick needs a nick: kick <nick> [reason]",
            "announce               | announce needs a text: announce <text>",
            "clear-logs all         | clear-logs takes no arguments",
            "ban                    | ban needs a mask: ban [duration] <mask> [reason]",
            "ban 10.0.0.0/33 x      | '10.0.0.0/33' is not an IP address or CIDR block",
            "ban somehost spam      | 'somehost' is not an IP address or CIDR block",
            "unban                  | unban needs one mask: unban <mask>",
            "bans all               | bans takes no arguments",
    })
    void badLinesGetOneLineExplanations(String line, String message) {
        assertThatThrownBy(() -> ConsoleCommand.parse(line))
                .isInstanceOf(BadCommandException.class)
                .hasMessage(message);
    }

    @Test
    void helpCoversEveryCommand() {
        assertThat(ConsoleCommand.names()).containsExactly("help", "status", "pause", "resume", "reload-tls", "shutdown", "logs",
                "clear-logs", "clear-identities", "kick", "announce", "users", "channels", "bans", "ban", "unban");
    }

    @Test
    void banTakesAnOptionalDurationAMaskAndAReason() throws BadCommandException {
        assertThat(parse("ban 2h *@10.0.0.* spam bots")).isEqualTo(
                new ConsoleCommand.Ban('K', java.time.Duration.ofHours(2), "*@10.0.0.*", "spam bots"));
        assertThat(parse("ban 2001:db8::/32")).isEqualTo(
                new ConsoleCommand.Ban('D', java.time.Duration.ZERO, "2001:db8::/32", "No reason"));
        assertThat(parse("ban 90 192.0.2.0/24 x")).isEqualTo(
                new ConsoleCommand.Ban('D', java.time.Duration.ofMinutes(90), "192.0.2.0/24", "x"));
        assertThat(parse("unban *@10.0.0.*")).isEqualTo(new ConsoleCommand.Unban('K', "*@10.0.0.*"));
    }
}
