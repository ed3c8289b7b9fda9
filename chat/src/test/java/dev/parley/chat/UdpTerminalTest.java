package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.CaseMapping;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** UDP mode on a virtual xterm: the room in the prompt, nicks in colour, typed lines sent. */
class UdpTerminalTest {
    private final PipedOutputStream keys = new PipedOutputStream();
    private final TerminalScreen screen = new TerminalScreen();
    private FakeUdpServer server;
    private Terminal terminal;

    @AfterEach
    void tearDown() throws IOException {
        keys.close();
        if (server != null) {
            server.close();
        }
        if (terminal != null) {
            terminal.close();
        }
    }

    @Test
    void roomInThePromptNickInColourAndTypedLinesSent() throws Exception {
        server = new FakeUdpServer();
        terminal = TerminalBuilder.builder().system(false).streams(new PipedInputStream(keys, 4096), screen)
                .type("xterm-256color").size(new Size(100, 30)).encoding(StandardCharsets.UTF_8).build();
        TerminalUi ui = new TerminalUi(terminal, Clock.systemUTC(), ZoneOffset.UTC);
        UdpSettings settings = new UdpSettings(Endpoint.parse(server.address(), 1), "alice", Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(120), UdpSettings.DEFAULT_MAX_DATAGRAM);
        UdpClient client = new UdpClient(settings, ui, Clock.systemUTC());
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> {
            try {
                return client.run();
            } catch (InterruptedException e) {
                return -1;
            }
        });

        server.join("alice");
        screen.waitFor("#udp> ");
        server.send("<bob> are you there?");
        String bob = new AttributedString("bob", NickColors.style("bob", CaseMapping.RFC1459)).toAnsi(terminal);
        assertThat(bob).startsWith("\u001b[");
        screen.waitFor(bob.substring(0, bob.indexOf("bob") + 3));
        screen.waitFor("> are you there?");

        keys.write("yes\r".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        assertThat(server.next()).isEqualTo("yes");
        keys.write("/quit later\r".getBytes(StandardCharsets.UTF_8));
        keys.flush();
        assertThat(server.next()).isEqualTo("/quit later");
        server.send("-- bye (quit: later)");
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    }
}
