package dev.parley.server.diag;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogTextTest {
    @Test
    void escapeAndOtherControlCharactersBecomeVisible() {
        assertThat(LogText.escape("bye\u001b[2J\u001b]0;pwned\u0007")).isEqualTo("bye\\x1b[2J\\x1b]0;pwned\\x07");
        assertThat(LogText.escape("a\r\n2026-01-01 INFO forged")).isEqualTo("a\\x0d\\x0a2026-01-01 INFO forged");
        assertThat(LogText.escape("\u0000\t\u007f\u0080\u009b31m\u009f")).isEqualTo("\\x00\\x09\\x7f\\x80\\x9b31m\\x9f");
        assertThat(LogText.escape("\u0002bold\u000304red\u000f")).isEqualTo("\\x02bold\\x0304red\\x0f");
    }

    @Test
    void ordinaryTextIsKeptAsIs() {
        String text = "alice: h\u00e9llo w\u00f6rld \u2713 \u65e5\u672c \u00a0 \\x1b";
        assertThat(LogText.escape(text)).isSameAs(text);
        assertThat(LogText.escape(null)).isNull();
    }

    @Test
    void escapeLinesKeepsTheLineBreaksItWasGiven() {
        assertThat(LogText.escapeLines("nick\u001b[2J\nsecond\r")).isEqualTo("nick\\x1b[2J\nsecond\\x0d");
    }
}
