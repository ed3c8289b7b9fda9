package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class IrcMessageTest {

    @Test
    void aParameterCannotSmuggleASecondLine() {
        assertThatThrownBy(() -> IrcMessage.of("PRIVMSG", "#a", "hi\r\nQUIT")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("PRIVMSG", "#a", "hi\0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aTagValueCannotHoldNulAndItsLineBreaksAreEscaped() {
        // found by fuzzing: a NUL in a tag value went to the wire raw (it has no tag escape)
        assertThatThrownBy(() -> IrcMessage.of("PRIVMSG", "#a", "hi").withTag("2add", "dcER01\0Rd2add"))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] wire = IrcFormatter.toBytes(IrcMessage.of("TAGMSG", "#a").withTag("+x", "a\r\nQUIT b"));
        assertThat(new String(wire, StandardCharsets.UTF_8)).isEqualTo("@+x=a\\r\\nQUIT\\sb TAGMSG #a\r\n");
    }

    @Test
    void onlyTheLastParameterMayHoldSpaces() {
        assertThatThrownBy(() -> IrcMessage.of("KICK", "#a b", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("KICK", "", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("KICK", ":a", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(IrcMessage.of("KICK", "#a", "nick", "a reason").toWire()).isEqualTo("KICK #a nick :a reason");
    }

    @Test
    void sourceAndCommandAreChecked() {
        assertThatThrownBy(() -> IrcMessage.from("a b", "PING")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("PRIV MSG")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IrcMessage.of("0012")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void bytesEndWithCrlf() {
        byte[] bytes = IrcFormatter.toBytes(IrcMessage.from("srv", "PONG", "srv", "tok en"));
        assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(":srv PONG srv :tok en\r\n");
    }

    @Test
    void caseMappingFoldsRfc1459Specials() {
        assertThat(CaseMapping.RFC1459.fold("Nick[]\\~")).isEqualTo("nick{}|^");
        assertThat(CaseMapping.ASCII.fold("Nick[]")).isEqualTo("nick[]");
        assertThat(CaseMapping.RFC1459.equals("FOO{", "foo[")).isTrue();
    }

    @Test
    void nickAndChannelValidity() {
        assertThat(Names.isValidNick("alice", 30)).isTrue();
        assertThat(Names.isValidNick("[bot]-2", 30)).isTrue();
        assertThat(Names.isValidNick("2alice", 30)).isFalse();
        assertThat(Names.isValidNick("-a", 30)).isFalse();
        assertThat(Names.isValidNick("a b", 30)).isFalse();
        assertThat(Names.isValidNick("a".repeat(31), 30)).isFalse();
        assertThat(Names.isValidChannel("#parley", 50)).isTrue();
        assertThat(Names.isValidChannel("&local", 50)).isTrue();
        assertThat(Names.isValidChannel("#", 50)).isFalse();
        assertThat(Names.isValidChannel("#a,b", 50)).isFalse();
        assertThat(Names.isValidChannel("#a\u0007", 50)).isFalse();
        assertThat(Names.isValidChannel("parley", 50)).isFalse();
    }

    @Test
    void masksMatchWithWildcards() {
        assertThat(Masks.matches("*!*@127.*", "Nick!user@127.0.0.1", CaseMapping.RFC1459)).isTrue();
        assertThat(Masks.matches("ni?k!*", "NICK!x@y", CaseMapping.RFC1459)).isTrue();
        assertThat(Masks.matches("a*b", "acbd", CaseMapping.RFC1459)).isFalse();
    }

    @Test
    void isupportSplitsTokensIntoLines() {
        Isupport is = new Isupport();
        for (int i = 0; i < 20; i++) {
            is.put("T" + i, i % 2 == 0 ? null : i);
        }
        var lines = is.messages("srv", "me");
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).params()).hasSize(Isupport.TOKENS_PER_LINE + 2).startsWith("me", "T0", "T1=1");
        assertThat(lines.get(1).last()).isEqualTo("are supported by this server");
    }
}
