package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.config.EngineKind;
import dev.parley.server.core.Client;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The PROXY protocol on every engine: the address in the header is the client's address for
 * the connection limits and everything else; a malformed header or a source not in
 * {@code proxy-from} is closed.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
class ProxyProtocolContract extends EngineTestBase {
    private static final byte[] V2_SIGNATURE = {0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A};

    ProxyProtocolContract(EngineKind engine) {
        super(engine);
    }

    private Socket proxied(int port, byte[] header) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        s.getOutputStream().write(header);
        return s;
    }

    private TestClient registerBehind(int port, byte[] header, String nick) throws IOException {
        TestClient c = TestClient.over(proxied(port, header));
        c.send("NICK " + nick);
        c.send("USER " + nick + " 0 * :p");
        c.expect("001");
        return c;
    }

    private static InetAddress addressOf(ParleyServer s, String nick) {
        for (Client c : s.hub().clients()) {
            if (nick.equals(c.nick())) {
                return Sessions.transportOf(c).remoteAddress();
            }
        }
        return null;
    }

    private static byte[] v2(int family, byte[] src, byte[] dst) {
        ByteBuffer b = ByteBuffer.allocate(16 + src.length * 2 + 4);
        b.put(V2_SIGNATURE).put((byte) 0x21).put((byte) family).putShort((short) (src.length * 2 + 4));
        b.put(src).put(dst).putShort((short) 40000).putShort((short) 6667);
        return b.array();
    }

    @Test
    void v1HeaderGivesTheClientsAddressAndItCountsInTheLimits() throws IOException {
        ParleyServer s = start(config().proxyPort(0));
        TestClient c = registerBehind(s.proxyPort(),
                "PROXY TCP4 203.0.113.7 127.0.0.1 51000 6667\r\n".getBytes(StandardCharsets.US_ASCII), "viaone");
        InetAddress real = InetAddress.getByName("203.0.113.7");
        assertThat(addressOf(s, "viaone")).isEqualTo(real);
        assertThat(s.sessions().gate().connectionsFrom(real)).isEqualTo(1);
        c.send("QUIT");
        c.expectClosed();
        org.awaitility.Awaitility.await().atMost(TestClient.TIMEOUT)
                .until(() -> s.sessions().gate().connectionsFrom(real) == 0);
    }

    @Test
    void v2HeadersGiveIpv4AndIpv6Addresses() throws IOException {
        ParleyServer s = start(config().proxyPort(0));
        InetAddress v4 = InetAddress.getByName("198.51.100.20");
        InetAddress v6 = InetAddress.getByName("2001:db8::42");
        registerBehind(s.proxyPort(), v2(0x11, v4.getAddress(), InetAddress.getByName("127.0.0.1").getAddress()), "viafour");
        registerBehind(s.proxyPort(), v2(0x21, v6.getAddress(), InetAddress.getByName("::1").getAddress()), "viasix");
        assertThat(addressOf(s, "viafour")).isEqualTo(v4);
        assertThat(addressOf(s, "viasix")).isEqualTo(v6);
    }

    @Test
    void perAddressLimitAppliesToTheRealAddress() throws IOException {
        ParleyServer s = start(config().proxyPort(0).trustedAddresses(List.of()).maxConnectionsPerAddress(1));
        byte[] header = "PROXY TCP4 203.0.113.9 127.0.0.1 51000 6667\r\n".getBytes(StandardCharsets.US_ASCII);
        registerBehind(s.proxyPort(), header, "first");
        TestClient second = TestClient.over(proxied(s.proxyPort(), header));
        assertThat(second.expect("ERROR").last()).contains("too many connections from your address");
        second.close();
        registerBehind(s.proxyPort(), "PROXY TCP4 203.0.113.10 127.0.0.1 51000 6667\r\n"
                .getBytes(StandardCharsets.US_ASCII), "other"); // another real address is let in
    }

    @Test
    void malformedHeaderIsClosed() throws IOException {
        ParleyServer s = start(config().proxyPort(0));
        for (String bad : List.of("PROXY TCP4 not-an-address 127.0.0.1 1 2\r\n", "NICK nope\r\n",
                "PROXY " + "x".repeat(200) + "\r\n")) {
            try (Socket sock = proxied(s.proxyPort(), bad.getBytes(StandardCharsets.US_ASCII))) {
                assertClosed(sock);
            }
        }
        TestClient ok = registerBehind(s.proxyPort(), "PROXY UNKNOWN\r\n".getBytes(StandardCharsets.US_ASCII), "local");
        assertThat(addressOf(s, "local")).isEqualTo(InetAddress.getByName("127.0.0.1"));
        ok.close();
    }

    @Test
    void sourceNotAllowedIsClosed() throws IOException {
        ParleyServer s = start(config().proxyPort(0).proxyFrom(List.of("192.0.2.0/24")));
        try (Socket sock = proxied(s.proxyPort(), "PROXY TCP4 203.0.113.7 127.0.0.1 1 2\r\n".getBytes(StandardCharsets.US_ASCII))) {
            assertClosed(sock);
        }
        TestClient direct = fx.register(s, "direct"); // the plain listener is not a PROXY one
        assertThat(direct.isClosed()).isFalse();
    }

    @Test
    void tlsListenerBehindAProxyReadsTheHeaderBeforeTheHandshake() throws IOException {
        ParleyServer s = start(config().tlsPort(0).proxyTls(true));
        Socket raw = proxied(s.tlsPort(), "PROXY TCP6 2001:db8::7 ::1 51000 6697\r\n".getBytes(StandardCharsets.US_ASCII));
        SSLSocket ssl = (SSLSocket) TlsClients.trustingAny().getSocketFactory().createSocket(raw, "127.0.0.1", s.tlsPort(), true);
        ssl.startHandshake();
        TestClient c = TestClient.over(ssl);
        c.send("NICK secret");
        c.send("USER secret 0 * :p");
        c.expect("001");
        assertThat(addressOf(s, "secret")).isEqualTo(InetAddress.getByName("2001:db8::7"));
        c.close();
    }

    private static void assertClosed(Socket sock) throws IOException {
        sock.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
        InputStream in = sock.getInputStream();
        try {
            int r;
            do {
                r = in.read();
            } while (r >= 0 && r != -1);
            assertThat(r).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // closed with a reset: closed all the same
        }
    }
}
