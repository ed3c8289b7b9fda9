package dev.parley.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * Everything a UDP-mode session needs, resolved from options and answers. Immutable; any thread.
 *
 * @param endpoint      the server's UDP door
 * @param nick          the nick to say hello with
 * @param answerTimeout how long to wait for the server's first reply to the hello
 * @param quitTimeout   how long to wait for {@code -- bye} after sending quit
 * @param pingInterval  time without sending anything after which the client sends {@code ping}
 * @param maxDatagram   longest datagram the client sends, in UTF-8 bytes; longer lines are refused
 */
record UdpSettings(Endpoint endpoint, String nick, Duration answerTimeout, Duration quitTimeout,
        Duration pingInterval, int maxDatagram) {
    /** The server's datagram limit, which the option defaults to. */
    static final int DEFAULT_MAX_DATAGRAM = 512;
    /** Smallest {@code --udp-max-datagram}: room for the hello with a long nick. */
    static final int MIN_MAX_DATAGRAM = 128;
    /** Largest {@code --udp-max-datagram}: the largest UDP payload over IPv4. */
    static final int MAX_MAX_DATAGRAM = 65_507;

    UdpSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(nick, "nick");
        if (maxDatagram < MIN_MAX_DATAGRAM || maxDatagram > MAX_MAX_DATAGRAM) {
            throw new IllegalArgumentException("--udp-max-datagram must be between " + MIN_MAX_DATAGRAM + " and "
                    + MAX_MAX_DATAGRAM + " bytes, not " + maxDatagram);
        }
    }
}
