package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLServerSocket;
import org.bouncycastle.asn1.x509.GeneralName;
import org.junit.jupiter.api.Test;

/**
 * The default verification with a trust store that holds the test's CA: a certificate for the
 * address connected to is accepted, one for another host name is refused (host name
 * verification), with its fingerprint in the reason.
 */
class ConnectorTest {
    private static KeyStore trusting(TestCertificates.Issued id) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", id.cert());
        return ks;
    }

    private static Event connect(TestCertificates.Issued serverId) throws Exception {
        try (FakeServer server = new FakeServer((SSLServerSocket) TestCertificates.serverContext(serverId)
                .getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress()))) {
            BlockingQueue<Event> events = new LinkedBlockingQueue<>();
            TlsSettings tls = new TlsSettings(new TlsSettings.ServerTrust.SystemTrust(trusting(serverId)), null);
            new Connector(new Endpoint("127.0.0.1", server.port()), tls, Duration.ofSeconds(10)).open(1, events::add);
            Thread handshake = new Thread(() -> {
                try {
                    server.accept().next();
                } catch (Exception | AssertionError expected) {
                    // the test closes the connection, or the client drops the handshake
                }
            }, "test-tls-accept");
            handshake.setDaemon(true);
            handshake.start();
            Event e = events.poll(20, TimeUnit.SECONDS);
            if (e instanceof Event.Connected c) {
                c.link().close();
            }
            return e;
        }
    }

    @Test
    void aTrustedCertificateForTheAddressIsAccepted() throws Exception {
        assertThat(connect(TestCertificates.selfSigned("localhost", "EC"))).isInstanceOf(Event.Connected.class);
    }

    @Test
    void aTrustedCertificateForAnotherHostIsRefused() throws Exception {
        TestCertificates.Issued elsewhere = TestCertificates.selfSigned("irc.example.org", "EC",
                new GeneralName(GeneralName.dNSName, "irc.example.org"));
        Event e = connect(elsewhere);
        assertThat(e).isInstanceOf(Event.ConnectFailed.class);
        assertThat(((Event.ConnectFailed) e).reason()).contains("the server's certificate is not trusted",
                "subject alternative names matching IP address 127.0.0.1", "--tls-fingerprint " + elsewhere.fingerprint());
    }
}
