package dev.parley.server.http;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** An IRC client over WebSocket (the JDK's client) for tests: one line per message each way. */
final class WsClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final IrcMessage CLOSED = IrcMessage.from(null, "CLOSED");

    private final LinkedBlockingQueue<IrcMessage> inbox = new LinkedBlockingQueue<>();
    private final List<IrcMessage> skipped = new ArrayList<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final WebSocket ws;
    private final List<String> rawFrames = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<Boolean> binaryFrames = new java.util.concurrent.CopyOnWriteArrayList<>();

    private WsClient(String url, java.util.function.Consumer<WebSocket.Builder> setup, String... subprotocols) {
        HttpClient http = HttpClient.newHttpClient();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(TIMEOUT);
        setup.accept(b);
        if (subprotocols.length > 0) {
            b.subprotocols(subprotocols[0], java.util.Arrays.copyOfRange(subprotocols, 1, subprotocols.length));
        }
        ws = b.buildAsync(URI.create(url), new Listener()).join();
    }

    /** Connects, or throws (a CompletionException around the handshake's failure). */
    static WsClient connect(String url, String origin, String... subprotocols) {
        return new WsClient(url, b -> {
            if (origin != null) {
                b.header("Origin", origin);
            }
        }, subprotocols);
    }

    /** Connects with headers of the test's choosing. */
    static WsClient connectWith(String url, java.util.function.Consumer<WebSocket.Builder> setup, String... subprotocols) {
        return new WsClient(url, setup, subprotocols);
    }

    String subprotocol() {
        return ws.getSubprotocol();
    }

    void send(String line) {
        ws.sendText(line, true).join();
    }

    void sendBinary(byte[] bytes) {
        ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Registers as {@code nick} and waits for the end of the welcome. */
    WsClient register(String nick) {
        send("NICK " + nick);
        send("USER " + nick + " 0 * :Web " + nick);
        expect(m -> m.command().equals("376") || m.command().equals("422"));
        return this;
    }

    IrcMessage expect(Predicate<IrcMessage> p) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            IrcMessage m;
            try {
                m = inbox.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            if (m == null) {
                throw new AssertionError("timed out; skipped: " + skipped);
            }
            if (m == CLOSED) {
                inbox.add(CLOSED);
                throw new AssertionError("closed; skipped: " + skipped);
            }
            if (p.test(m)) {
                return m;
            }
            skipped.add(m);
        }
    }

    IrcMessage expect(String command) {
        return expect(m -> m.command().equals(command));
    }

    /** The close code the server sent, waiting for it. */
    int awaitClose() throws Exception {
        return closeCode.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Every message as received, and whether it came as a binary frame. */
    List<String> rawFrames() {
        return rawFrames;
    }

    List<Boolean> binaryFrames() {
        return binaryFrames;
    }

    @Override
    public void close() {
        try {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            ws.abort();
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();
        private java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                deliver(text.toString(), false);
                text.setLength(0);
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data, boolean last) {
            byte[] b = new byte[data.remaining()];
            data.get(b);
            bytes.writeBytes(b);
            if (last) {
                deliver(bytes.toString(StandardCharsets.UTF_8), true);
                bytes = new java.io.ByteArrayOutputStream();
            }
            w.request(1);
            return null;
        }

        private void deliver(String line, boolean binary) {
            rawFrames.add(line);
            binaryFrames.add(binary);
            try {
                inbox.add(IrcParser.parseLine(line));
            } catch (Exception e) {
                inbox.add(IrcMessage.from(null, "UNPARSABLE", line));
            }
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            closeCode.complete(statusCode);
            inbox.add(CLOSED);
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            closeCode.completeExceptionally(error);
            inbox.add(CLOSED);
        }
    }
}
