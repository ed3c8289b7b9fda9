package dev.parley.app;

import dev.parley.server.ParleyServer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jline.utils.Signals;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every way of stopping the server — the console's {@code shutdown}, SIGTERM, SIGINT
 * (Ctrl-C) — into one graceful shutdown on the {@code parley-shutdown} thread: stop accepting,
 * send every client ERROR, wait for their output up to the grace period, run the shutdown
 * steps. A second SIGTERM or SIGINT while that runs forces the exit at once (status 143 or
 * 130, as a shell reports death by that signal). Should the graceful shutdown itself hang, a
 * watchdog forces the exit after the grace period plus {@link #WATCHDOG_MARGIN}.
 */
final class GracefulShutdown {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");
    /** Time past the grace period the shutdown steps may take before the exit is forced. */
    static final Duration WATCHDOG_MARGIN = Duration.ofSeconds(30);
    static final String SIGNAL_REASON = "Server shutting down";

    private final ParleyServer server;
    private final Duration grace;
    private final AtomicBoolean requested = new AtomicBoolean();
    private volatile Runnable beforeForcedExit = () -> { };

    GracefulShutdown(ParleyServer server) {
        this.server = server;
        this.grace = server.config().shutdownGrace();
    }

    /** Run (best effort) before a forced exit, e.g. to give the terminal back. */
    void beforeForcedExit(Runnable r) {
        beforeForcedExit = r;
    }

    /** Handles SIGTERM and SIGINT from now on (instead of the JVM's default of running shutdown hooks). */
    void handleSignals() {
        Signals.register("TERM", () -> signal("SIGTERM", 143));
        Signals.register("INT", () -> signal("SIGINT", 130));
    }

    /** Starts the graceful shutdown; returns false when it is already under way. */
    boolean request(String reason) {
        return begin(reason, null);
    }

    /** A stop signal: the first shuts down gracefully, the next forces the exit. */
    void signal(String name, int forcedStatus) {
        if (!begin(SIGNAL_REASON, name + ": shutting down gracefully (again to force)")) {
            LOG.warn("{} again: forcing the exit", name);
            forceExit(forcedStatus);
        }
    }

    private boolean begin(String reason, String logLine) {
        if (!requested.compareAndSet(false, true)) {
            return false;
        }
        if (logLine != null) {
            LOG.info(logLine);
        }
        Thread worker = Thread.ofPlatform().name("parley-shutdown").start(() -> server.shutdown(reason));
        Thread.ofPlatform().name("parley-shutdown-watchdog").daemon(true).start(() -> {
            try {
                worker.join(grace.plus(WATCHDOG_MARGIN));
            } catch (InterruptedException e) {
                return;
            }
            if (worker.isAlive()) {
                LOG.error("shutdown did not finish within {} s; forcing the exit", grace.plus(WATCHDOG_MARGIN).toSeconds());
                forceExit(Parley.EXIT_FAILURE);
            }
        });
        return true;
    }

    private void forceExit(int status) {
        try {
            beforeForcedExit.run();
        } catch (RuntimeException ignored) {
            // exiting regardless
        }
        Runtime.getRuntime().halt(status);
    }
}
