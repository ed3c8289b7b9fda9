package dev.parley.chat;

import dev.parley.protocol.IrcMessage;

/**
 * What reaches the chat loop. Every other thread (network readers, the connector, the input
 * reader) talks to the loop only by posting one of these to its queue, so the loop alone
 * changes the client's state and writes to the screen.
 */
sealed interface Event {
    /** A line from connection {@code link}. */
    record Received(long link, IrcMessage message) implements Event {
    }

    /** Connection {@code link} ended (the server closed it, or reading failed). */
    record Closed(long link, String reason) implements Event {
    }

    /** The connector opened connection {@code id}. */
    record Connected(long id, Link link) implements Event {
    }

    /** The connector could not open connection {@code id}. */
    record ConnectFailed(long id, String reason) implements Event {
    }

    /** The user typed a line; {@code done} is run once the loop has taken it in. */
    record Typed(String line, Runnable done) implements Event {
    }

    /** The input ended (end of file, Ctrl-D, Ctrl-C). */
    record InputEnded() implements Event {
    }
}
