package dev.parley.server.session;

import dev.parley.protocol.IrcParser;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Hub;

/**
 * What the engines (and any other door that speaks IRC lines) talk to: opens a {@link Session}
 * for each accepted connection and admits connections through the {@link ConnectionGate}.
 * Thread-safe.
 */
public final class Sessions {
    private final Hub hub;
    private final Dispatcher dispatcher;
    private final IrcParser parser;
    private final ConnectionGate gate;

    public Sessions(Hub hub, Dispatcher dispatcher) {
        this.hub = hub;
        this.dispatcher = dispatcher;
        ServerConfig cfg = hub.config();
        this.parser = new IrcParser(cfg.maxTagBytes(), cfg.maxLineBytes(), IrcParser.MAX_CLIENT_TAG_DATA);
        this.gate = new ConnectionGate(hub);
    }

    public Hub hub() {
        return hub;
    }

    /** Admits connections: the total and per-address limits every door applies. */
    public ConnectionGate gate() {
        return gate;
    }

    /**
     * A session for a new connection; its client joins the hub now. {@code onOutputReady} runs
     * whenever its SendQ goes from empty to not empty.
     */
    public Session open(Transport transport, Runnable onOutputReady) {
        return new Session(hub, dispatcher, parser, transport, onOutputReady, gate);
    }

    /** The connection {@code client} is served over, or null when it is not an IRC connection's (a UDP participant). */
    public static Transport transportOf(dev.parley.server.core.Client client) {
        return client.outbox() instanceof SessionOutput out ? out.transport() : null;
    }
}
