package dev.parley.app;

import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.parley.server.diag.LogText;

/**
 * {@code %ex} with control characters escaped, except the line breaks and tabs of the stack
 * trace itself (an exception's message may carry what a client sent).
 */
public final class SafeThrowableConverter extends ThrowableProxyConverter {
    @Override
    public String convert(ILoggingEvent event) {
        String trace = super.convert(event);
        if (trace.isEmpty()) {
            return trace;
        }
        StringBuilder sb = new StringBuilder(trace.length());
        for (String line : trace.split("\n", -1)) {
            if (!sb.isEmpty()) {
                sb.append('\n');
            }
            String l = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            int tabs = 0;
            while (tabs < l.length() && l.charAt(tabs) == '\t') {
                tabs++;
            }
            sb.append(l, 0, tabs).append(LogText.escape(l.substring(tabs)));
        }
        return sb.toString();
    }
}
