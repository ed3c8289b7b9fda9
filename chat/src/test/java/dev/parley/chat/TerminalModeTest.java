package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Terminal mode on a virtual xterm: keystrokes go in through a pipe, the screen's bytes are
 * collected. Proves that a message arriving mid-typing is printed and the typed line survives.
 */
class TerminalModeTest {
    private final FakeServer server;
    private final PipedOutputStream keys = new PipedOutputStream();
    private final TerminalScreen screen = new TerminalScreen();
    private Terminal terminal;

    TerminalModeTest() throws IOException {
        server = new FakeServer();
    }

    @AfterEach
    void tearDown() throws IOException {
        keys.close();
        server.close();
        if (terminal != null) {
            terminal.close();
        }
    }

    private void type(String s) throws IOException {
        keys.write(s.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    @Test
    void incomingMessagesPrintAboveTheLineBeingTyped() throws Exception {
        terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys, 4096), screen)
                .type("xterm-256color").size(new Size(100, 30)).encoding(StandardCharsets.UTF_8).build();
        TerminalUi ui = new TerminalUi(terminal, Clock.systemUTC(), ZoneOffset.UTC);
        ChatSettings settings = new ChatSettings(new Endpoint("127.0.0.1", server.port()), "alice", "alice", "Alice",
                List.of("#chan"), null, false, false, null, Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(1), Duration.ofSeconds(1), 0, Duration.ofSeconds(120), null);
        ChatClient client = new ChatClient(settings, ui, Clock.systemUTC(), new Random(1));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (InterruptedException e) {
                return -1;
            }
        });

        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :");
        server.expect("CAP END");
        server.welcome("alice");
        server.expect("JOIN #chan");
        server.send(":alice!a@h JOIN #chan", ":fake 353 alice = #chan :alice @bob carol",
                ":fake 366 alice #chan :End of /NAMES list.");
        screen.waitFor("#chan> ");

        type("hel");
        screen.waitFor("hel");
        server.send(":bob!b@h PRIVMSG #chan :are you there?");
        screen.waitFor("are you there?");
        await().atMost(Duration.ofSeconds(20)).until(() -> screen.text().substring(
                screen.text().lastIndexOf("are you there?")).contains("hel"));
        type("lo\r");
        server.expect("PRIVMSG #chan :hello");

        type("ca\tis here\r");
        server.expect("PRIVMSG #chan :carol is here");

        type("\u0010\u0010 again\r"); // Ctrl-P twice: back to "hello" in the history
        server.expect("PRIVMSG #chan :hello again");

        type("/jo\t#next\r");
        server.expect("JOIN #next");

        type("/quit\r");
        server.expect("QUIT");
        server.close();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    }
}
