package dev.parley.app;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.parley.server.diag.LogText;

/**
 * {@code %msg} with control characters escaped ({@link LogText}): a QUIT reason or an OPER
 * name can neither drive the terminal nor forge a log line. It replaces Logback's own
 * {@code %msg}, {@code %m} and {@code %message} for every appender ({@link LogEscaping}).
 */
public final class SafeMessageConverter extends MessageConverter {
    @Override
    public String convert(ILoggingEvent event) {
        return LogText.escape(super.convert(event));
    }
}
