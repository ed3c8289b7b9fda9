package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.util.FileSize;
import dev.parley.app.console.OperatorConsole;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What clients send reaches the operator's terminal, stdout and parley.log with its control characters escaped. */
class LogEscapingTest {
    private static final String HOSTILE = "\u001b[2J\u001b]0;pwned\u0007\u009b31m";

    private final ServerFixture fx = new ServerFixture();
    @TempDir
    Path logDir;
    private EventLog eventLog;
    private OperatorConsole console;

    @AfterEach
    void stop() {
        if (console != null) {
            console.close();
        }
        fx.close();
        if (eventLog != null) {
            eventLog.close();
        }
    }

    @Test
    void aQuitReasonAndAnOperNameAreEscapedInTheFileAndInTheConsole() throws IOException {
        eventLog = EventLog.start(logDir, FileSize.valueOf("10MB"), 7, false);
        ParleyServer server = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        console = new OperatorConsole(server, eventLog, reason -> true);

        TestClient alice = fx.register(server, "alice");
        alice.send("OPER evil" + HOSTILE + " hunter2");
        alice.expect("491");
        org.slf4j.LoggerFactory.getLogger("parley.test").info("a client said {}", "hi\r\nforged 2026-01-01 00:00:00.000 INFO  parley - all is well");
        alice.send("QUIT :bye" + HOSTILE);
        await().untilAsserted(() -> assertThat(Files.readString(eventLog.file(), StandardCharsets.UTF_8)).contains("bye\\x1b[2J"));

        String file = Files.readString(eventLog.file(), StandardCharsets.UTF_8);
        assertThat(file).contains("evil\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m", "bye\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m");
        assertThat(file.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f)).isEmpty();
        assertThat(file).contains("a client said hi\\x0d\\x0aforged");
        assertThat(file.lines()).noneMatch(l -> l.startsWith("forged"));


        String logs = console.execute("logs 50");
        assertThat(logs).contains("bye\\x1b[2J");
        assertThat(logs.chars().filter(c -> c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f)).isEmpty();
    }

    @Test
    @SuppressWarnings("unchecked")
    void theConsoleAppenderOfTheLogSetupEscapesToo() {
        LoggerContext context = new LoggerContext();
        try {
            LogSetup setup = new LogSetup();
            setup.setContext(context);
            setup.configure(context);
            Logger logger = context.getLogger("parley.clients");
            ConsoleAppender<ILoggingEvent> stdout =
                    (ConsoleAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("CONSOLE");
            LoggingEvent quit = new LoggingEvent(Logger.class.getName(), logger, Level.INFO, "disconnected alice ({})", null,
                    new Object[] {"Quit: bye" + HOSTILE + "\r\nforged line"});
            LoggingEvent failed = new LoggingEvent(Logger.class.getName(), logger, Level.WARN, "failed",
                    new IllegalStateException("evil" + HOSTILE), null);
            String out = new String(stdout.getEncoder().encode(quit), StandardCharsets.UTF_8)
                    + new String(stdout.getEncoder().encode(failed), StandardCharsets.UTF_8);
            assertThat(out).contains("Quit: bye\\x1b[2J\\x1b]0;pwned\\x07\\x9b31m\\x0d\\x0aforged line",
                    "IllegalStateException: evil\\x1b[2J");
            assertThat(out.chars().filter(c -> c < 0x20 && c != '\n' && c != '\t' || c >= 0x7f && c <= 0x9f)).isEmpty();
            assertThat(out.lines()).noneMatch(l -> l.startsWith("forged"));
        } finally {
            context.stop();
        }
    }

    @Test
    void consoleTablesShowFormattingCodesEscaped() throws IOException {
        eventLog = EventLog.start(logDir, FileSize.valueOf("10MB"), 7, false);
        ParleyServer server = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        console = new OperatorConsole(server, eventLog, reason -> true);
        TestClient bob = fx.register(server, "bob");
        bob.send("JOIN #x");
        bob.expect("366");
        bob.send("TOPIC #x :\u0002loud\u0002 \u000304red\u000f \u0016rev");
        bob.expect("TOPIC");
        String channels = console.execute("channels");
        assertThat(channels).contains("\\x02loud\\x02 \\x0304red\\x0f \\x16rev");
        assertThat(channels.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
        String kicked = console.execute("kick bob \u001b[2Jgo away");
        assertThat(kicked).doesNotContain("\u001b").contains("\\x1b[2Jgo away");
    }
}
