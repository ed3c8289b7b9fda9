package dev.parley.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.Embedded;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * History is readable only by those entitled when it was written: a channel's by its members
 * while that channel lives, a private conversation by its two accounts while both exist.
 */
class HistoryPrivacyTest {
    private final Embedded server = new Embedded();

    @AfterEach
    void tearDown() {
        server.close();
    }

    private static List<String> texts(List<IrcMessage> messages, String command) {
        return messages.stream().filter(m -> m.command().equals(command)).map(IrcMessage::last).toList();
    }

    @Test
    void whoeverRecreatesAnEmptiedChannelReadsNoneOfItsHistory() {
        Embedded.Conn alice = server.register("alice");
        Embedded.Conn carol = server.register("carol");
        alice.send("JOIN #secret", "MODE #secret +sk key");
        carol.send("JOIN #secret key");
        alice.send("PRIVMSG #secret :the private words");
        assertThat(texts(carol.take(), "PRIVMSG")).containsExactly("the private words");
        carol.send("CHATHISTORY LATEST #secret * 10");
        assertThat(texts(carol.take(), "NOTICE")).anyMatch(t -> t.endsWith("the private words"));
        alice.send("PART #secret");
        carol.send("PART #secret");
        assertThat(server.hub().findChannel("#secret")).isNull();

        Embedded.Conn mallory = server.register("mallory");
        mallory.send("JOIN #secret");
        mallory.send("CHATHISTORY LATEST #secret * 100");
        List<IrcMessage> seen = mallory.take();
        assertThat(seen).noneMatch(m -> m.last() != null && m.last().contains("the private words"));
        assertThat(server.hub().findChannel("#secret").view().prefixes()[0].isOp()).as("mallory made a new channel").isTrue();
    }

    @Test
    void aDroppedAccountsConversationsAreNotReadByTheNextOwnerOfTheName() {
        Embedded.Conn alice = server.register("alice");
        Embedded.Conn bob = server.register("bob");
        alice.send("PRIVMSG NickServ :REGISTER alice-password");
        bob.send("PRIVMSG NickServ :REGISTER bob-password");
        alice.send("PRIVMSG bob :only for bob");
        alice.send("CHATHISTORY LATEST bob * 10");
        assertThat(texts(alice.take(), "NOTICE")).anyMatch(t -> t.endsWith("only for bob"));

        alice.send("PRIVMSG NickServ :DROP alice-password", "NICK alice-old");
        assertThat(texts(alice.take(), "NOTICE")).contains("Account alice dropped.");

        Embedded.Conn mallory = server.register("alice");
        mallory.send("PRIVMSG NickServ :REGISTER mallory-password");
        assertThat(mallory.take()).extracting(IrcMessage::command).contains("900");
        mallory.send("CHATHISTORY LATEST bob * 10");
        assertThat(mallory.take()).noneMatch(m -> m.last() != null && m.last().contains("only for bob"));
    }
}
