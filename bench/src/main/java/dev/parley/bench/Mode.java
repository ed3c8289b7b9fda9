package dev.parley.bench;

import java.util.Locale;

/** What a bench run does once its clients are registered. */
enum Mode {
    /** Closed loop: each sender keeps at most a window of messages in flight. */
    FLOOD,
    /** Open loop: senders send at a fixed total rate whatever the server does. */
    RATE,
    /** Nobody sends: clients are held so the server's memory per client can be read. */
    IDLE;

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
