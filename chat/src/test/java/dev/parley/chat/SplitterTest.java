package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class SplitterTest {
    @Test
    void shortTextIsOnePiece() {
        assertThat(Splitter.split("hi", 100)).containsExactly("hi");
    }

    @Test
    void longTextIsCutAtSpacesWithinTheBudget() {
        String text = "word ".repeat(100).strip();
        List<String> pieces = Splitter.split(text, 42);
        assertThat(pieces).allSatisfy(p -> {
            assertThat(IrcParser.utf8Length(p)).isLessThanOrEqualTo(42);
            assertThat(p).doesNotStartWith(" ").doesNotEndWith(" ");
        });
        assertThat(String.join(" ", pieces)).isEqualTo(text);
    }

    @Test
    void multiByteCharactersAreNeverCutInHalf() {
        String text = "привет".repeat(30);
        List<String> pieces = Splitter.split(text, 25);
        assertThat(String.join("", pieces)).isEqualTo(text);
        assertThat(pieces).allSatisfy(p -> assertThat(IrcParser.utf8Length(p)).isLessThanOrEqualTo(25));
    }

    @Test
    void budgetLeavesRoomForTheSendersPrefix() {
        int budget = Splitter.budget("alice", "alice", "#parley", false);
        int line = 1 + "alice!alice@".length() + Splitter.HOST_ALLOWANCE + 1 + "PRIVMSG #parley :".length() + budget;
        assertThat(line).isLessThanOrEqualTo(510);
        assertThat(Splitter.budget("alice", "alice", "#parley", true)).isLessThan(budget);
    }
}
