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

    /** What the datagram reader of UDP mode posts ({@link UdpLink}). */
    sealed interface Udp extends Event {
    }

    /** One datagram from the server: one line of text. */
    record Datagram(String line) implements Udp {
    }

    /** The server's host answered that no one listens on the port (ICMP port unreachable). */
    record Unreachable() implements Udp {
    }

    /** Reading datagrams failed for another reason. */
    record DatagramFailed(String reason) implements Udp {
    }
}
