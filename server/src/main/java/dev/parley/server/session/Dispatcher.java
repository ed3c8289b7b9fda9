package dev.parley.server.session;

import dev.parley.protocol.IrcMessage;

/** Runs one parsed command for a session (the command table). Called on the session's reader. */
@FunctionalInterface
public interface Dispatcher {
    void dispatch(Session session, IrcMessage message);
}
