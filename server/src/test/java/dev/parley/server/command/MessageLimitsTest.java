package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What is relayed stays within the limits every recipient may assume (512 bytes, 8191 of tags). */
class MessageLimitsTest {
    private final Embedded server = new Embedded();

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void aFullLengthMessageIsCutToFitOnceTheSourceIsAdded() {
        Embedded.Conn sender = server.register("aVeryLongNicknameOfThirtyChars");
        Embedded.Conn reader = server.register("reader");
        sender.send("JOIN #c");
        reader.send("JOIN #c");
        reader.takeLines();
        String head = "PRIVMSG #c :";
        String text = "é".repeat((510 - head.length()) / 2); // a line that just fits as the sender sent it
        sender.send(head + text);

        List<String> lines = reader.takeLines();
        assertThat(lines).hasSize(1);
        String relayed = lines.get(0);
        assertThat(relayed.getBytes(StandardCharsets.UTF_8).length).as("bytes before CRLF").isLessThanOrEqualTo(510);
        String got = relayed.substring(relayed.indexOf(" :") + 2);
        assertThat(text).startsWith(got);
        assertThat(got.length()).isGreaterThan(100);
    }

    @Test
    void clientTagsLongerThanTheClientLimitAreRefusedAndNotRelayed() {
        Embedded.Conn sender = server.connect();
        sender.send("CAP REQ :message-tags", "NICK tagger", "USER t 0 * :T", "CAP END");
        Embedded.Conn reader = server.connect();
        reader.send("CAP REQ :message-tags", "NICK reader", "USER r 0 * :R", "CAP END");
        sender.send("JOIN #t");
        reader.send("JOIN #t");
        sender.take();
        reader.take();

        sender.send("@+big=" + "x".repeat(5000) + " PRIVMSG #t :hi");
        assertThat(sender.take()).extracting(IrcMessage::command).containsExactly("417");
        sender.send("@+small=" + "x".repeat(100) + " PRIVMSG #t :hi");
        List<IrcMessage> got = reader.take();
        assertThat(got).extracting(IrcMessage::command).containsExactly("PRIVMSG");
        assertThat(got.get(0).tags()).containsKey("+small");
    }
}
