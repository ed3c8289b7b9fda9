package dev.parley.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The console thread reading plain lines from a pipe. */
class ServerConsoleTest {
    private final ServerFixture fx = new ServerFixture();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void readsCommandsFromAPipeAndEndOfInputLeavesTheServerRunning() throws IOException {
        ParleyServer server = fx.start(ServerFixture.config(EngineKind.THREADS).build());
        PipedOutputStream typing = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(typing);
        ByteArrayOutputStream shown = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(shown, true, StandardCharsets.UTF_8);
        ServerConsole console = ServerConsole.plain(new OperatorConsole(server, null, reason -> true), in, out);
        try {
            typing.write("status\nfrobnicate\n\npause\n".getBytes(StandardCharsets.UTF_8));
            typing.flush();
            await().atMost(Duration.ofSeconds(20)).until(server::isPaused);
            await().atMost(Duration.ofSeconds(20)).until(() -> shown.toString(StandardCharsets.UTF_8).contains("paused: port"));
            String text = shown.toString(StandardCharsets.UTF_8);
            assertThat(text).contains("engine      threads")
                    .contains("error: unknown command 'frobnicate'; type 'help' for the list");

            typing.write("logs\n".getBytes(StandardCharsets.UTF_8));
            typing.close(); // end of input
            await().atMost(Duration.ofSeconds(20)).until(() -> shown.toString(StandardCharsets.UTF_8)
                    .contains("error: this server writes no log file"));
            assertThat(server.isShuttingDown()).isFalse();
            assertThat(server.resume()).isTrue();
            fx.register(server, "stillserving");
        } finally {
            console.close();
        }
    }
}
