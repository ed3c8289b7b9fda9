package dev.parley.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

/**
 * Logback's configuration, in code (found through {@code META-INF/services}): one console
 * appender on stdout with the pattern {@value #PATTERN}, escaping control characters
 * ({@link LogEscaping}); Parley's loggers ({@code parley.*}) at {@code PARLEY_LOG_LEVEL}
 * (default {@code INFO}), everything else at {@code WARN}. Written in code rather than
 * {@code logback.xml} so a start does not load an XML parser and Logback's configuration
 * language. The event log adds its file appender later ({@link EventLog}).
 *
 * <p>Runs once, on the thread that first asks for a logger.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The console line: time, level, logger's last name, message, escaped exception. */
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level %logger{0} - %msg%n%ex";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        LogEscaping.install(context);
        Level level = level(System.getenv("PARLEY_LOG_LEVEL"));

        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        encoder.start();

        ThresholdFilter threshold = new ThresholdFilter();
        threshold.setContext(context);
        threshold.setLevel(level.levelStr);
        threshold.start();

        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("CONSOLE");
        console.setEncoder(encoder);
        console.addFilter(threshold);
        console.start();

        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(console);
        context.getLogger("parley").setLevel(level);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** {@code PARLEY_LOG_LEVEL}, or {@code INFO} when unset or not a level's name. */
    static Level level(String name) {
        return name == null || name.isBlank() ? Level.INFO : Level.toLevel(name.strip(), Level.INFO);
    }
}
