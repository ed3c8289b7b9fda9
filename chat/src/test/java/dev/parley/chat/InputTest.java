package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InputTest {
    @Test
    void plainTextIsText() {
        assertThat(Input.parse("hello there")).isEqualTo(new Input.Text("hello there"));
    }

    @Test
    void slashCommandHasLowerCaseNameAndTrimmedArgs() {
        assertThat(Input.parse("/MSG  bob  hi there ")).isEqualTo(new Input.Command("msg", "bob  hi there"));
        assertThat(Input.parse("/quit")).isEqualTo(new Input.Command("quit", ""));
    }

    @Test
    void doubleSlashSendsALeadingSlash() {
        assertThat(Input.parse("//shrug")).isEqualTo(new Input.Text("/shrug"));
    }

    @Test
    void aLoneSlashOrSlashSpaceIsText() {
        assertThat(Input.parse("/")).isEqualTo(new Input.Text("/"));
        assertThat(Input.parse("/ me")).isEqualTo(new Input.Text("/ me"));
    }

    @Test
    void blankLinesAreIgnoredAndNulIsDropped() {
        assertThat(Input.parse("   ")).isNull();
        assertThat(Input.parse(null)).isNull();
        assertThat(Input.parse("a\0b")).isEqualTo(new Input.Text("ab"));
    }

    @Test
    void wordsSplitsIntoLeadingWordsAndTheRest() {
        Input.Command c = (Input.Command) Input.parse("/msg bob how  are you");
        assertThat(c.words(2)).containsExactly("bob", "how  are you");
        assertThat(((Input.Command) Input.parse("/names")).words(2)).isEmpty();
    }
}
