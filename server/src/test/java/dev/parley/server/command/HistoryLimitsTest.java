package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The disk history can take is bounded in all, not only per channel or conversation. */
class HistoryLimitsTest {
    @Test
    void historyIsCappedInAllAndTheOldestGoFirst() {
        try (Embedded server = new Embedded(ServerFixture.config(EngineKind.VIRTUAL).historyMaxTotal(5).build())) {
            Embedded.Conn talker = server.register("talker");
            talker.send("JOIN #a", "JOIN #b");
            for (int i = 1; i <= 4; i++) {
                talker.send("PRIVMSG #a :a" + i, "PRIVMSG #b :b" + i);
            }
            talker.take();
            List<String> kept = new ArrayList<>();
            for (String channel : List.of("#a", "#b")) {
                talker.send("CHATHISTORY LATEST " + channel + " * 100");
                talker.take().stream().filter(m -> m.command().equals("NOTICE") && m.last().contains("> "))
                        .map(IrcMessage::last).map(t -> t.substring(t.indexOf("> ") + 2)).forEach(kept::add);
            }
            List<String> sent = List.of("a1", "b1", "a2", "b2", "a3", "b3", "a4", "b4");
            assertThat(kept.size()).as("kept of 8 with at most 5 in all").isBetween(4, 5);
            assertThat(kept).as("the newest are kept").containsExactlyInAnyOrderElementsOf(
                    sent.subList(sent.size() - kept.size(), sent.size()));
        }
    }
}
