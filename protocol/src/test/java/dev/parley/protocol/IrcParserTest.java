package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IrcParserTest {

    @Test
    void parsesSourceCommandAndTrailing() throws Exception {
        IrcMessage m = IrcParser.parseLine(":nick!user@host PRIVMSG #chan :hello there");
        assertThat(m.source()).isEqualTo("nick!user@host");
        assertThat(m.command()).isEqualTo("PRIVMSG");
        assertThat(m.params()).containsExactly("#chan", "hello there");
    }

    @Test
    void upperCasesCommandsAndAllowsRunsOfSpaces() throws Exception {
        IrcMessage m = IrcParser.parseLine("privmsg   #a    :x  y");
        assertThat(m.command()).isEqualTo("PRIVMSG");
        assertThat(m.params()).containsExactly("#a", "x  y");
    }

    @Test
    void emptyTrailingIsAParameter() throws Exception {
        assertThat(IrcParser.parseLine("TOPIC #a :").params()).containsExactly("#a", "");
    }

    @Test
    void trailingMayHoldColons() throws Exception {
        assertThat(IrcParser.parseLine("PRIVMSG #a ::-) :x").params()).containsExactly("#a", ":-) :x");
    }

    @Test
    void parsesTagsWithEscapes() throws Exception {
        IrcMessage m = IrcParser.parseLine("@time=2024-01-01T00:00:00.000Z;+draft/reply=a\\sb\\:c\\\\d;flag :s PING x");
        assertThat(m.tags()).containsExactly(
                Map.entry("time", "2024-01-01T00:00:00.000Z"),
                Map.entry("+draft/reply", "a b;c\\d"),
                Map.entry("flag", ""));
    }

    @Test
    void unknownEscapeDropsBackslashAndLoneTrailingBackslashVanishes() throws Exception {
        assertThat(IrcParser.parseLine("@a=\\b\\ PING").tags()).containsEntry("a", "b");
    }

    @Test
    void repeatedTagKeyKeepsTheLast() throws Exception {
        assertThat(IrcParser.parseLine("@a=1;a=2 PING").tags()).containsExactly(Map.entry("a", "2"));
    }

    @Test
    void fifteenthParameterTakesTheRestOfTheLine() throws Exception {
        StringBuilder sb = new StringBuilder("CMD");
        for (int i = 1; i <= 17; i++) {
            sb.append(' ').append(i);
        }
        IrcMessage m = IrcParser.parseLine(sb.toString());
        assertThat(m.params()).hasSize(15);
        assertThat(m.last()).isEqualTo("15 16 17");
    }

    @Test
    void numericCommandsAreRecognised() throws Exception {
        IrcMessage m = IrcParser.parseLine(":srv 001 me :Welcome");
        assertThat(m.isNumeric()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", ":src", "@a=b", "@a=b :src", "12 x", "PR1V x", "@bad=key=;=x PING"})
    void rejectsMalformedLines(String line) {
        assertThatThrownBy(() -> IrcParser.parseLine(line)).isInstanceOf(IrcParseException.class);
    }

    @Test
    void rejectsNulAndBareCr() {
        assertThatThrownBy(() -> IrcParser.parseLine("PRIVMSG #a :x\0y")).isInstanceOf(IrcParseException.class);
        assertThatThrownBy(() -> IrcParser.parseLine("PRIVMSG #a :x\ry")).isInstanceOf(IrcParseException.class);
    }

    @Test
    void bodyOver510BytesIsTooLongButTagsDoNotCount() throws Exception {
        String text = "x".repeat(510 - "PRIVMSG #a :".length());
        assertThat(IrcParser.parseLine("PRIVMSG #a :" + text).last()).hasSize(text.length());
        assertThat(IrcParser.parseLine("@" + "k=" + "v".repeat(1000) + " PRIVMSG #a :" + text).last()).isEqualTo(text);
        assertThatThrownBy(() -> IrcParser.parseLine("PRIVMSG #a :" + text + "x"))
                .isInstanceOfSatisfying(IrcParseException.class,
                        e -> assertThat(e.reason()).isEqualTo(IrcParseException.Reason.BODY_TOO_LONG));
    }

    @Test
    void lengthIsCountedInUtf8Bytes() {
        String text = "é".repeat(300); // 600 bytes, 300 chars
        assertThatThrownBy(() -> IrcParser.parseLine("PRIVMSG #a :" + text))
                .isInstanceOf(IrcParseException.class);
    }

    @Test
    void tagSectionOverLimitIsRejected() {
        IrcParser small = new IrcParser(20, 510);
        assertThatThrownBy(() -> small.parse("@k=" + "v".repeat(30) + " PING x"))
                .isInstanceOfSatisfying(IrcParseException.class,
                        e -> assertThat(e.reason()).isEqualTo(IrcParseException.Reason.TAGS_TOO_LONG));
    }

    @Test
    void roundTripsThroughTheFormatter() throws Exception {
        List<String> lines = List.of(
                ":n!u@h PRIVMSG #c :hello world",
                "@+x=a\\sb;y :s NOTICE t :",
                ":srv 353 me = #c :@a b c",
                "PING token",
                ":s CMD a b c ::starts-with-colon");
        for (String line : lines) {
            IrcMessage parsed = IrcParser.parseLine(line);
            assertThat(parsed.toWire()).isEqualTo(line);
            assertThat(IrcParser.parseLine(parsed.toWire())).isEqualTo(parsed);
        }
    }

    @Test
    void freeTextIsAlwaysWrittenAsTrailing() {
        assertThat(IrcMessage.from("n!u@h", "PRIVMSG", "#c", "hi").toWire()).isEqualTo(":n!u@h PRIVMSG #c :hi");
        assertThat(IrcMessage.from("n!u@h", "QUIT", "bye").toWire()).isEqualTo(":n!u@h QUIT :bye");
        assertThat(IrcMessage.from("s", "353", "me", "=", "#c", "@a").toWire()).isEqualTo(":s 353 me = #c :@a");
        assertThat(IrcMessage.from("n!u@h", "PART", "#c").toWire()).isEqualTo(":n!u@h PART #c");
        assertThat(IrcMessage.from("n!u@h", "JOIN", "#c").toWire()).isEqualTo(":n!u@h JOIN #c");
    }

    @Test
    void formatterEscapesTagValues() {
        IrcMessage m = IrcMessage.of("PING", "x").withTag("k", "a;b c\\d\r\n");
        assertThat(m.toWire()).isEqualTo("@k=a\\:b\\sc\\\\d\\r\\n PING x");
    }
}
