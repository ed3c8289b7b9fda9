package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Asking for what is missing: defaults, validation, asking again. */
class PrompterTest {
    private final StringWriter said = new StringWriter();
    private final List<String> questions = new ArrayList<>();

    private Prompter answering(String... answers) {
        Deque<String> left = new ArrayDeque<>(List.of(answers));
        return new Prompter((q, secret) -> {
            questions.add(q);
            return left.poll();
        }, new PrintWriter(said, true), host -> {
            if (host.endsWith(".invalid")) {
                throw new UnknownHostException(host);
            }
        });
    }

    @Test
    void enterTakesTheDefaults() throws Exception {
        Prompter p = answering("", "", "");
        assertThat(p.endpoint("127.0.0.1", 6667)).isEqualTo(new Endpoint("127.0.0.1", 6667));
        assertThat(p.nick("ann")).isEqualTo("ann");
        assertThat(questions).containsExactly("Server address [127.0.0.1]: ", "Port [6667]: ", "Nick [ann]: ");
    }

    @Test
    void badAddressAndPortAreExplainedAndAskedAgain() throws Exception {
        Prompter p = answering("no such host!", "irc.invalid", "localhost", "70000", "seven", "6697");
        assertThat(p.endpoint("127.0.0.1", 6667)).isEqualTo(new Endpoint("localhost", 6697));
        assertThat(said.toString())
                .contains("'no such host!' is not a host name or IP address; please try again")
                .contains("cannot find the host 'irc.invalid'; please try again")
                .contains("port must be between 1 and 65535; please try again")
                .contains("port must be a number between 1 and 65535, not 'seven'; please try again");
    }

    @Test
    void addressWithPortAsksNoPort() throws Exception {
        Prompter p = answering("localhost:7000");
        assertThat(p.endpoint("127.0.0.1", 6667)).isEqualTo(new Endpoint("localhost", 7000));
        assertThat(questions).hasSize(1);
    }

    @Test
    void invalidNickIsAskedAgain() throws Exception {
        Prompter p = answering("9lives", "nine");
        assertThat(p.nick("x")).isEqualTo("nine");
        assertThat(said.toString()).contains("'9lives' is not a valid nick");
    }

    @Test
    void endOfInputCancels() {
        assertThatThrownBy(() -> answering().nick("x")).isInstanceOf(Prompter.Cancelled.class);
    }
}
