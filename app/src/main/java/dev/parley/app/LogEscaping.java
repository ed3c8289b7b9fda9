package dev.parley.app;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.pattern.DynamicConverter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes every pattern layout of the Logback context escape control characters: {@code %msg}
 * (and {@code %m}, {@code %message}) and {@code %ex} are replaced, in the context's converter
 * registry, by {@link SafeMessageConverter} and {@link SafeThrowableConverter}. {@link LogSetup}
 * installs them for the console appender; the event log's file appender installs them
 * here before it builds its layout.
 */
public final class LogEscaping {
    private LogEscaping() {
    }

    /** Registers the escaping converters in {@code context}; layouts started afterwards use them. */
    @SuppressWarnings("unchecked")
    public static synchronized void install(LoggerContext context) {
        Map<String, Supplier<DynamicConverter>> rules =
                (Map<String, Supplier<DynamicConverter>>) context.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (rules == null) {
            rules = new HashMap<>();
            context.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, rules);
        }
        for (String word : new String[] {"m", "msg", "message"}) {
            rules.put(word, SafeMessageConverter::new);
        }
        for (String word : new String[] {"ex", "exception", "throwable"}) {
            rules.put(word, SafeThrowableConverter::new);
        }
    }
}
