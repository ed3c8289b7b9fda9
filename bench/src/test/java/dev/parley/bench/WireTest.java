package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WireTest {
    private final long[] out = new long[3];

    private boolean parse(String line) {
        byte[] a = line.getBytes(StandardCharsets.UTF_8);
        int cmd = Wire.commandStart(a, 0, a.length);
        return cmd >= 0 && Wire.startsWith(a, cmd, a.length, Wire.PRIVMSG) && Wire.parseMessage(a, cmd, a.length, out);
    }

    @Test
    void aWrittenMessageIsValidIrcAndReadsBackAsRelayedByAServer() throws Exception {
        byte[] head = Wire.messageHead("#bench0");
        byte[] filler = "x".repeat(32).getBytes(StandardCharsets.US_ASCII);
        byte[] buf = new byte[Wire.maxMessageLength(head, filler)];
        int end = Wire.writeMessage(buf, 0, head, 7, 123_456_789L, 987_654_321_012L, filler);
        String line = new String(buf, 0, end, StandardCharsets.US_ASCII);
        assertThat(line).endsWith("\r\n");

        IrcMessage sent = IrcParser.parseLine(line.substring(0, line.length() - 2));
        assertThat(sent.command()).isEqualTo("PRIVMSG");
        assertThat(sent.params()).containsExactly("#bench0", "PB 7 123456789 987654321012 " + "x".repeat(32));

        String relayed = sent.withSource("bab7!~bab7@127.0.0.1").toWire();
        assertThat(parse(relayed)).isTrue();
        assertThat(out).containsExactly(7, 123_456_789L, 987_654_321_012L);
    }

    @Test
    void withoutFillerTheLineEndsAfterTheTimestamp() {
        byte[] head = Wire.messageHead("#c");
        byte[] buf = new byte[Wire.maxMessageLength(head, new byte[0])];
        int end = Wire.writeMessage(buf, 0, head, 0, 1, 0, new byte[0]);
        assertThat(new String(buf, 0, end, StandardCharsets.US_ASCII)).isEqualTo("PRIVMSG #c :PB 0 1 0\r\n");
        assertThat(parse(":a!b@c PRIVMSG #c :PB 0 1 0")).isTrue();
    }

    @Test
    void otherPeoplesMessagesAreNotTakenForBenchMessages() {
        assertThat(parse(":a!b@c PRIVMSG #c :hello there")).isFalse();
        assertThat(parse(":a!b@c PRIVMSG #c :PB 1 2")).isFalse();
        assertThat(parse(":a!b@c PRIVMSG #c :PB 1 2 x3")).isFalse();
        assertThat(parse(":a!b@c PRIVMSG #c PB")).isFalse();
        assertThat(parse(":a!b@c NOTICE #c :PB 1 2 3")).isFalse();
        assertThat(parse(":a!b@c PRIVMSG #c :PB 1 2 3 tail")).isTrue();
    }

    @Test
    void theCommandIsFoundWithOrWithoutASource() {
        byte[] a = ":irc.test PING :x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Wire.commandStart(a, 0, a.length)).isEqualTo(10);
        byte[] b = "PING :x".getBytes(StandardCharsets.US_ASCII);
        assertThat(Wire.commandStart(b, 0, b.length)).isZero();
        byte[] c = ":only-a-source".getBytes(StandardCharsets.US_ASCII);
        assertThat(Wire.commandStart(c, 0, c.length)).isEqualTo(-1);
    }

    @Test
    void errorTextKeepsTheReason() {
        assertThat(ClientIo.errorText("Closing Link: 127.0.0.1 (SendQ exceeded)")).isEqualTo("SendQ exceeded");
        assertThat(ClientIo.errorText("Closing link: (bab1@127.0.0.1) [Ping timeout: 120 seconds]"))
                .isEqualTo("Ping timeout: 120 seconds");
        assertThat(ClientIo.errorText("Server going down")).isEqualTo("Server going down");
    }
}
