package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcParser;
import org.junit.jupiter.api.Test;

class RepliesTest {
    @Test
    void errorsNameWhatTheyAreAbout() throws Exception {
        assertThat(Replies.text(IrcParser.parseLine(":s 401 alice bob :No such nick/channel")))
                .isEqualTo("bob: No such nick/channel");
        assertThat(Replies.text(IrcParser.parseLine(":s 412 alice :No text to send"))).isEqualTo("No text to send");
    }

    @Test
    void informationSkipsParametersTheTextRepeats() throws Exception {
        assertThat(Replies.infoText(IrcParser.parseLine(":s 265 alice 1 3 :Current local users 1, max 3")))
                .isEqualTo("Current local users 1, max 3");
        assertThat(Replies.infoText(IrcParser.parseLine(":s 254 alice 4 :channels formed"))).isEqualTo("4 channels formed");
        assertThat(Replies.infoText(IrcParser.parseLine(":s 372 alice :- hello"))).isEqualTo("- hello");
    }
}
