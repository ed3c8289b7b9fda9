package dev.parley.chat;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * A datagram channel connected to the server's UDP door, so the kernel drops datagrams from
 * anyone else and reports an ICMP port unreachable as {@link PortUnreachableException}. Its
 * reader thread ({@code chat-udp}) posts every datagram as an {@link Event.Datagram}; {@link #send}
 * and {@link #close} are called only by the chat loop thread.
 */
final class UdpLink implements AutoCloseable {
    /** Receive buffer: the largest UDP payload fits. */
    static final int RECEIVE_BUFFER = 65_536;

    private final DatagramChannel channel;

    private UdpLink(DatagramChannel channel) {
        this.channel = channel;
    }

    /** Resolves the host and connects a channel to it; nothing is sent yet. */
    static UdpLink open(Endpoint endpoint) throws IOException {
        InetSocketAddress address = new InetSocketAddress(endpoint.host(), endpoint.port());
        if (address.isUnresolved()) {
            throw new UnknownHostException(endpoint.host());
        }
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.connect(address);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new UdpLink(ch);
    }

    /** Starts the reader thread. */
    void start(Consumer<Event> events) {
        Thread.ofPlatform().daemon().name("chat-udp").start(() -> read(events));
    }

    private void read(Consumer<Event> events) {
        ByteBuffer buf = ByteBuffer.allocate(RECEIVE_BUFFER);
        try {
            while (true) {
                buf.clear();
                channel.read(buf);
                buf.flip();
                events.accept(new Event.Datagram(StandardCharsets.UTF_8.decode(buf).toString()));
            }
        } catch (PortUnreachableException e) {
            events.accept(new Event.Unreachable());
        } catch (ClosedChannelException e) {
            // closed by the chat loop at the end of the session
        } catch (IOException e) {
            events.accept(new Event.DatagramFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    /** Sends one datagram. */
    void send(String text) throws IOException {
        channel.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
