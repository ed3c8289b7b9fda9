package dev.parley.server.config;

import java.util.Locale;

/** The I/O engines a server can run on. */
public enum EngineKind {
    /** One platform thread per connection reads, one writes: the classic design. */
    THREADS,
    /** The same blocking code on virtual threads: cheap enough for tens of thousands of clients. */
    VIRTUAL,
    /** Non-blocking sockets served in turn by one selector loop per core. */
    NIO;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static EngineKind parse(String s) {
        for (EngineKind k : values()) {
            if (k.label().equalsIgnoreCase(s)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown engine '" + s + "' (choose one of: threads, virtual, nio)");
    }
}
