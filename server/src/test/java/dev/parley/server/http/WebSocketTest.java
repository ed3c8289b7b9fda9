package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The IRCv3 WebSocket transport at /irc: both subprotocols, chat with TCP users, the Origin
 * allow-list, the line limit, invalid UTF-8 in binary frames, flood control, and per-address
 * limits by the real client address behind a trusted reverse proxy.
 */
class WebSocketTest {
    private final ServerFixture fx = new ServerFixture();
    private final List<WsClient> clients = new java.util.ArrayList<>();

    @AfterEach
    void tearDown() {
        clients.forEach(WsClient::close);
        fx.close();
    }

    private static ServerConfig.Builder config() {
        return ServerFixture.config(EngineKind.VIRTUAL).httpPort(0);
    }

    private static String url(ParleyServer s) {
        return "ws://127.0.0.1:" + s.httpDoor().httpPort() + HttpDoor.IRC_PATH;
    }

    private WsClient ws(ParleyServer s, String origin, String... protocols) {
        WsClient c = WsClient.connect(url(s), origin, protocols);
        clients.add(c);
        return c;
    }

    @Test
    void aTextWebSocketUserChatsWithATcpUser() throws IOException {
        ParleyServer s = fx.start(config().build());
        WsClient web = ws(s, null, "text.ircv3.net");
        assertThat(web.subprotocol()).isEqualTo("text.ircv3.net");
        web.register("webby");
        web.send("JOIN #mixed");
        web.expect(m -> m.command().equals("366"));
        TestClient tcp = fx.register(s, "tcpuser");
        tcp.send("JOIN #mixed");
        tcp.expect("366");
        web.expect(m -> m.command().equals("JOIN") && m.source().startsWith("tcpuser!"));

        web.send("PRIVMSG #mixed :hello from the browser");
        assertThat(tcp.expect("PRIVMSG").last()).isEqualTo("hello from the browser");
        tcp.send("PRIVMSG #mixed :hello from a terminal");
        IrcMessage got = web.expect("PRIVMSG");
        assertThat(got.source()).startsWith("tcpuser!");
        assertThat(got.last()).isEqualTo("hello from a terminal");
        assertThat(web.rawFrames()).allSatisfy(f -> assertThat(f).doesNotContain("\r", "\n"));
        assertThat(web.binaryFrames()).containsOnly(false);
    }

    @Test
    void theBinarySubprotocolCarriesLinesAsBinaryFramesAndInvalidUtf8AsOverTcp() throws IOException {
        ParleyServer s = fx.start(config().build());
        WsClient web = ws(s, null, "binary.ircv3.net", "text.ircv3.net");
        assertThat(web.subprotocol()).isEqualTo("binary.ircv3.net");
        web.register("bin");
        web.send("JOIN #b");
        web.expect(m -> m.command().equals("366"));
        TestClient tcp = fx.register(s, "tcp");
        tcp.send("JOIN #b");
        tcp.expect("366");
        byte[] latin1 = "PRIVMSG #b :caf\u00e9".getBytes(StandardCharsets.ISO_8859_1);
        web.sendBinary(latin1);
        assertThat(tcp.expect("PRIVMSG").last()).isEqualTo("caf\uFFFD");
        tcp.send("PRIVMSG #b :back");
        web.expect(m -> m.command().equals("PRIVMSG"));
        assertThat(web.binaryFrames()).containsOnly(true);
    }

    @Test
    void withUtf8OnlyInvalidBinaryFramesAreRefused() throws IOException {
        ParleyServer s = fx.start(config().utf8Only(true).build());
        WsClient web = ws(s, null, "binary.ircv3.net");
        web.register("bin");
        web.sendBinary("PRIVMSG bin :caf\u00e9".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(web.expect("FAIL").params()).startsWith("PRIVMSG", "INVALID_UTF8");
    }

    @Test
    void aForeignOriginIsRefusedAndTheOwnOrAListedOneLetIn() throws IOException {
        ParleyServer s = fx.start(config().httpOrigins("https://chat.example.org").build());
        int port = s.httpDoor().httpPort();
        assertThatThrownBy(() -> ws(s, "https://evil.example", "text.ircv3.net"))
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(403));
        ws(s, "http://127.0.0.1:" + port, "text.ircv3.net").register("own");
        ws(s, "https://chat.example.org", "text.ircv3.net").register("listed");
        ws(s, null, "text.ircv3.net").register("noorigin");
    }

    @Test
    void anUnknownSubprotocolIsRefused() {
        ParleyServer s = assertStarted();
        assertThatThrownBy(() -> ws(s, null, "mqtt"))
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(400));
    }

    private ParleyServer assertStarted() {
        try {
            return fx.start(config().build());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void anOversizedMessageClosesTheConnectionAndPeersSeeTheQuit() throws Exception {
        ParleyServer s = fx.start(config().build());
        TestClient tcp = fx.register(s, "watcher");
        tcp.send("JOIN #big");
        tcp.expect("366");
        WsClient web = ws(s, null, "text.ircv3.net").register("big");
        web.send("JOIN #big");
        web.expect(m -> m.command().equals("366"));
        web.send("PRIVMSG #big :" + "x".repeat(20_000));
        assertThat(web.awaitClose()).isEqualTo(1009);
        assertThat(tcp.expect(m -> m.command().equals("QUIT")).source()).startsWith("big!");
    }

    @Test
    void floodControlAppliesAsToTcpUsers() throws Exception {
        ParleyServer s = fx.start(config().trustedAddresses(List.of()).floodBurst(3).floodRate(1).recvQBytes(1024).build());
        WsClient web = ws(s, null, "text.ircv3.net").register("flooder");
        try {
            for (int i = 0; i < 200; i++) {
                web.send("PRIVMSG flooder :line " + i + " " + "y".repeat(40));
            }
        } catch (CompletionException e) {
            // the server hung up while the flood was still going out
        }
        IrcMessage error = web.expect("ERROR");
        assertThat(error.last()).contains("Excess Flood");
        assertThat(web.awaitClose()).isEqualTo(1000);
    }

    @Test
    void behindATrustedProxyTheForwardedAddressIsTheUsersForTheLimits() throws IOException {
        ParleyServer s = fx.start(config().trustedAddresses(List.of()).maxConnectionsPerAddress(1)
                .httpProxyFrom(List.of("127.0.0.1")).build());
        WsClient first = forwarded(s, "203.0.113.7").register("first");
        WsClient other = forwarded(s, "198.51.100.9").register("other");
        WsClient again = forwarded(s, "203.0.113.7");
        assertThat(again.expect("ERROR").last()).contains("too many connections from your address");
        assertThat(s.hub().findNick("other").address().getHostAddress()).isEqualTo("198.51.100.9");
        assertThat(s.hub().findNick("first").address().getHostAddress()).isEqualTo("203.0.113.7");
        first.send("PING x");
        first.expect("PONG");
    }

    private WsClient forwarded(ParleyServer s, String address) {
        WsClient c = WsClient.connectWith(url(s), b -> b.header("X-Forwarded-For", "10.0.0.1, " + address),
                "text.ircv3.net");
        clients.add(c);
        return c;
    }
}
