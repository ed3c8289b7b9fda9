package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.CaseMapping;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

/** What a line looks like in plain mode and on the terminal. */
class FormatTest {
    private static final Instant NOON = Instant.parse("2025-03-04T12:00:00Z");
    private final PlainFormat plain = new PlainFormat(ZoneOffset.UTC);
    private final TerminalFormat terminal = new TerminalFormat(ZoneOffset.UTC, Clock.fixed(NOON, ZoneOffset.UTC));

    private static Shown msg(Shown.Kind kind, String where, String nick, String text) {
        return new Shown(NOON, kind, where, nick, text, false);
    }

    @Test
    void plainLinesFollowTheDocumentedShapes() {
        assertThat(plain.format(msg(Shown.Kind.MESSAGE, "#chan", "bob", "hi"))).isEqualTo("[#chan] <bob> hi");
        assertThat(plain.format(msg(Shown.Kind.MESSAGE, "PM", "bob", "hi"))).isEqualTo("[PM] <bob> hi");
        assertThat(plain.format(msg(Shown.Kind.ACTION, "#chan", "bob", "waves"))).isEqualTo("[#chan] * bob waves");
        assertThat(plain.format(msg(Shown.Kind.NOTICE, null, "irc.test", "hello"))).isEqualTo("-irc.test- hello");
        assertThat(plain.format(Shown.event(NOON, "bob joined #chan"))).isEqualTo("* bob joined #chan");
        assertThat(plain.format(Shown.error(NOON, "oops"))).isEqualTo("! oops");
        assertThat(plain.format(Shown.status(NOON, "connected"))).isEqualTo("-- connected");
    }

    @Test
    void historyCarriesItsOwnTime() {
        Shown old = new Shown(Instant.parse("2020-01-02T03:04:05Z"), Shown.Kind.MESSAGE, "#c", "bob", "x", true);
        assertThat(plain.format(old)).isEqualTo("[#c] (history 2020-01-02 03:04) <bob> x");
        assertThat(terminal.stamp(old)).isEqualTo("2020-01-02 03:04");
    }

    @Test
    void terminalStampIsTheServerTimeWithTheDateWhenNotToday() {
        assertThat(terminal.stamp(msg(Shown.Kind.MESSAGE, "#c", "bob", "x"))).isEqualTo("12:00");
        Shown yesterday = new Shown(Instant.parse("2025-03-03T23:59:00Z"), Shown.Kind.MESSAGE, "#c", "bob", "x", false);
        assertThat(terminal.stamp(yesterday)).isEqualTo("03-03 23:59");
    }

    @Test
    void terminalLineColoursTheNickAndKeepsTheText() {
        AttributedString line = terminal.format(msg(Shown.Kind.MESSAGE, "#c", "bob", "hello"), "alice", CaseMapping.RFC1459);
        assertThat(line.toString()).isEqualTo("12:00 #c <bob> hello");
        int at = line.toString().indexOf("bob");
        assertThat(line.styleAt(at)).isEqualTo(NickColors.style("bob", CaseMapping.RFC1459));
        AttributedString mine = terminal.format(msg(Shown.Kind.MESSAGE, "#c", "Alice", "me"), "alice", CaseMapping.RFC1459);
        assertThat(mine.styleAt(mine.toString().indexOf("Alice")).getStyle() & 0x1).isEqualTo(1); // bold
    }

    @Test
    void nickColoursAreStableAndIgnoreCase() {
        assertThat(NickColors.index("Bob", CaseMapping.RFC1459)).isEqualTo(NickColors.index("bob", CaseMapping.RFC1459));
        assertThat(NickColors.index("nick[1]", CaseMapping.RFC1459)).isEqualTo(NickColors.index("NICK{1}", CaseMapping.RFC1459));
        long distinct = java.util.stream.Stream.of("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi")
                .map(n -> NickColors.index(n, CaseMapping.RFC1459)).distinct().count();
        assertThat(distinct).isGreaterThan(3);
    }

    @Test
    void controlCharactersAndMircCodesNeverReachTheScreen() {
        assertThat(Clean.text("\u0002bold\u0002 \u000304,12red\u0003 \u001b[2Jgone")).isEqualTo("bold red [2Jgone");
        assertThat(Clean.text("\u000399 and \u0004FF00AAhex")).isEqualTo(" and hex");
        assertThat(Clean.text("tab\there")).isEqualTo("tab here");
        assertThat(plain.format(msg(Shown.Kind.MESSAGE, "#c", "eve", "\u001b]0;pwned\u0007x"))).isEqualTo("[#c] <eve> ]0;pwnedx");
    }

    @Test
    void channelAndNickAreCleanedLikeTheText() {
        Shown evil = msg(Shown.Kind.MESSAGE, "#c\u001b[2J", "e\u001b]0;x\u0007ve\u0002", "hi");
        assertThat(plain.format(evil)).isEqualTo("[#c[2J] <e]0;xve> hi");
        assertThat(plain.format(msg(Shown.Kind.ACTION, "PM -> b\u001bob", "e\u001bve", "waves")))
                .isEqualTo("[PM -> bob] * eve waves");
        assertThat(plain.format(msg(Shown.Kind.NOTICE, null, "srv\u009b1m", "hello"))).isEqualTo("-srv1m- hello");
        AttributedString line = terminal.format(evil, "alice", CaseMapping.RFC1459);
        assertThat(line.toString()).isEqualTo("12:00 #c[2J <e]0;xve> hi");
        assertThat(line.toAnsi()).doesNotContain("\u001b[2J", "\u001b]0;", "\u0007");
    }
}
