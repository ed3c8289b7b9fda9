package dev.parley.server.engine;

import dev.parley.server.core.Hub;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one connection's PROXY header on its selector loop, never blocking it: each read asks
 * for no more bytes than the header still needs, so nothing after it is consumed. A header
 * not complete by the deadline, malformed, or too long closes the connection. Loop only, but
 * for the deadline, which hands its check to the loop.
 */
final class NioProxyHeader implements SelectorLoop.Handler {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    /** What follows a complete header: admit the connection under {@code source}. Runs on the loop. */
    interface Then {
        void admit(InetAddress source, SelectionKey key);
    }

    private final SocketChannel channel;
    private final SelectorLoop loop;
    private final Then then;
    private final byte[] header = new byte[ProxyHeader.MAX_V2];
    private int have;
    private boolean finished;
    private SelectionKey key;

    NioProxyHeader(SocketChannel channel, SelectorLoop loop, Then then) {
        this.channel = channel;
        this.loop = loop;
        this.then = then;
    }

    /** Runs on the loop: registers for reading and sets the deadline. */
    void start(Hub hub, Duration deadline) {
        try {
            key = channel.register(loop.selector(), SelectionKey.OP_READ, this);
        } catch (IOException | RuntimeException e) {
            NioConnection.closeQuietly(channel);
            return;
        }
        hub.schedule(() -> loop.execute(() -> {
            if (!finished) {
                fail("no PROXY header in time");
            }
        }), deadline);
    }

    @Override
    public void ready(SelectionKey k) {
        try {
            int more;
            while ((more = ProxyHeader.more(header, have)) > 0) {
                int n = channel.read(ByteBuffer.wrap(header, have, more));
                if (n < 0) {
                    fail("closed before the PROXY header ended");
                    return;
                }
                if (n == 0) {
                    return; // the rest comes later
                }
                have += n;
            }
            InetAddress source = ProxyHeader.source(header, have);
            finished = true;
            then.admit(source != null ? source : ((InetSocketAddress) channel.getRemoteAddress()).getAddress(), key);
        } catch (IOException | ProxyHeader.Malformed e) {
            fail(e.getMessage());
        }
    }

    private void fail(String why) {
        finished = true;
        String from = "?";
        try {
            from = ((InetSocketAddress) channel.getRemoteAddress()).getAddress().getHostAddress();
        } catch (IOException | RuntimeException ignored) {
            // gone already
        }
        LOG.info("closed a connection from {}: {}", from, why);
        NioConnection.closeQuietly(channel);
    }
}
