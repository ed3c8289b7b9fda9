package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reading the UDP door's lines, and turning typed lines into datagrams. */
class UdpLinesTest {
    private static final Instant NOW = Instant.parse("2026-12-01T08:00:00Z");
    private final PlainFormat plain = new PlainFormat(ZoneOffset.UTC);

    @ParameterizedTest
    @ValueSource(strings = {"<bob> hello", "<bob> ", "* bob waves", "-bob- notice", "-bo-b- x", "-bob-- x",
        "[PM] <bob> psst", "[PM] * bob winks", "[PM] -bob- hm", "-- joined #udp as alice; here: @bob alice",
        "-- bye (quit)", "-- [2026-12-01 08:00] <bob> old text", "! slow down: too many datagrams", "pong",
        "<bob>no space", "<1bad> x", "* ", "[PM] -- odd", "[PM] ! odd", "plain words", "--", "-", "<>"})
    void plainModePrintsEveryLineAsItCame(String line) {
        assertThat(plain.format(UdpLines.shown(NOW, line))).isEqualTo(line);
    }

    @Test
    void messagesActionsAndNoticesCarryTheirNick() {
        Shown m = UdpLines.shown(NOW, "[PM] <bob> psst");
        assertThat(m.kind()).isEqualTo(Shown.Kind.MESSAGE);
        assertThat(m.where()).isEqualTo("PM");
        assertThat(m.nick()).isEqualTo("bob");
        assertThat(m.text()).isEqualTo("psst");
        assertThat(UdpLines.shown(NOW, "* bob waves").kind()).isEqualTo(Shown.Kind.ACTION);
        assertThat(UdpLines.shown(NOW, "-bob-- x").nick()).isEqualTo("bob-");
        assertThat(UdpLines.shown(NOW, "-- bob joined").kind()).isEqualTo(Shown.Kind.STATUS);
        assertThat(UdpLines.shown(NOW, "! nope").kind()).isEqualTo(Shown.Kind.ERROR);
        assertThat(UdpLines.shown(NOW, "pong").kind()).isEqualTo(Shown.Kind.LINE);
    }

    @Test
    void ownNickAndRoomComeFromTheServersLines() {
        assertThat(UdpLines.joined("-- joined #udp as alice_1; here: @bob alice_1"))
                .isEqualTo(new UdpLines.Joined("#udp", "alice_1"));
        assertThat(UdpLines.joined("-- joined #udp as alice")).isEqualTo(new UdpLines.Joined("#udp", "alice"));
        assertThat(UdpLines.joined("-- joined joined")).isNull();
        assertThat(UdpLines.joined("-- bob joined")).isNull();
        assertThat(UdpLines.ownNick("-- you are now known as robert")).isEqualTo("robert");
        assertThat(UdpLines.ownNick("-- alice is taken; you are alice_1")).isEqualTo("alice_1");
        assertThat(UdpLines.ownNick("-- bob is now known as robert")).isNull();
        assertThat(UdpLines.isBye("-- bye (kicked by bob)")).isTrue();
        assertThat(UdpLines.isBye("-- bye left (gone)")).isFalse();
    }

    @Test
    void typedLinesBecomeDatagrams() {
        assertThat(UdpInput.datagram("hello room")).isEqualTo("hello room");
        assertThat(UdpInput.datagram("//etc/passwd is a file")).isEqualTo("//etc/passwd is a file");
        assertThat(UdpInput.datagram("/me waves")).isEqualTo("/me waves");
        assertThat(UdpInput.datagram("/whatever x")).isEqualTo("/whatever x");
        assertThat(UdpInput.datagram("/quit")).isEqualTo("quit");
        assertThat(UdpInput.datagram("/Quit  bye now ")).isEqualTo("/quit bye now");
        assertThat(UdpInput.datagram("  ")).isNull();
        assertThat(UdpInput.isQuit("quit")).isTrue();
        assertThat(UdpInput.isQuit("quit smoking")).isFalse(); // the door reads that as words
        assertThat(UdpInput.isQuit("/quit later")).isTrue();
        assertThat(UdpInput.isQuit("quitting")).isFalse();
        assertThat(UdpInput.isQuit("//quit")).isFalse();
        assertThat(UdpClient.seconds(java.time.Duration.ofMillis(300))).isEqualTo("0.3");
        assertThat(UdpClient.seconds(java.time.Duration.ofSeconds(10))).isEqualTo("10");
    }
}
