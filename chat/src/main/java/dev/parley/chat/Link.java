package dev.parley.chat;

import dev.parley.protocol.IrcFormatter;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.LineDecoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;

/**
 * One open connection to a server. Its reader thread ({@code chat-net-N}) frames and parses
 * lines and posts them to the chat loop; {@link #send} is called only by the chat loop thread.
 * A line the parser rejects is dropped; so is an over-long line (the decoder never buffers it).
 */
final class Link implements AutoCloseable {
    /** Tags (8191) plus a 512-byte message: the longest line a server may send. */
    static final int MAX_LINE_BYTES = IrcParser.DEFAULT_MAX_TAG_BYTES + 512;

    private final long id;
    private final Socket socket;
    private final OutputStream out;

    Link(long id, Socket socket) throws IOException {
        this.id = id;
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    long id() {
        return id;
    }

    /** The SHA-256 fingerprint of the server's TLS certificate, or null on plain TCP. */
    String serverFingerprint() {
        if (socket instanceof SSLSocket s) {
            try {
                Certificate[] chain = s.getSession().getPeerCertificates();
                if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
                    return Fingerprint.of(leaf);
                }
            } catch (SSLPeerUnverifiedException e) {
                return null;
            }
        }
        return null;
    }

    /** Starts the reader thread; every line and the final close go to {@code events}. */
    void start(Consumer<Event> events) {
        Thread.ofPlatform().daemon().name("chat-net-" + id).start(() -> read(events));
    }

    private void read(Consumer<Event> events) {
        LineDecoder decoder = new LineDecoder(MAX_LINE_BYTES);
        IrcParser parser = new IrcParser(IrcParser.DEFAULT_MAX_TAG_BYTES, 8192);
        String reason = "connection closed by the server";
        byte[] buf = new byte[16384];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                decoder.feed(buf, 0, n, frame -> {
                    if (frame instanceof LineDecoder.Frame.Line line) {
                        try {
                            events.accept(new Event.Received(id, parser.parse(line.text())));
                        } catch (IrcParseException e) {
                            // a line that is not IRC carries nothing to show
                        }
                    }
                });
            }
        } catch (IOException e) {
            reason = socket.isClosed() ? "connection closed" : e.getMessage();
        } finally {
            close();
            events.accept(new Event.Closed(id, reason));
        }
    }

    /** Writes one message; a failed write closes the socket, which ends the reader. */
    void send(IrcMessage m) {
        try {
            out.write(IrcFormatter.toBytes(m));
            out.flush();
        } catch (IOException e) {
            close();
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort
        }
    }
}
