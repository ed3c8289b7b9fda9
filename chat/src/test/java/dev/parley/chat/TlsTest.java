package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.util.Locale;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --tls} against a self-signed server on loopback: the system trust store refuses it and
 * names its fingerprint, {@code --tls-fingerprint} accepts exactly that certificate,
 * {@code --tls-insecure} accepts it with a warning, and {@code --client-cert} is presented and
 * logs in with SASL EXTERNAL.
 */
class TlsTest {
    @TempDir
    static Path dir;
    private static TestCertificates.Issued serverId;
    private static TestCertificates.Issued otherId;
    private static TestCertificates.Issued clientId;
    private static Path clientPem;

    private FakeServer server;
    private PlainSession chat;

    @BeforeAll
    static void makeCertificates() throws Exception {
        serverId = TestCertificates.selfSigned("localhost", "EC");
        otherId = TestCertificates.selfSigned("localhost", "EC");
        clientId = TestCertificates.selfSigned("alice", "EC");
        clientPem = TestCertificates.write(dir, "alice.pem", TestCertificates.traditionalPem(clientId));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (chat != null) {
            chat.close();
        }
        if (server != null) {
            server.close();
        }
    }

    /** A scripted TLS server presenting {@code serverId}; it asks for a client certificate when {@code wantClientCert}. */
    private static FakeServer tlsServer(boolean wantClientCert) throws Exception {
        SSLServerSocket ss = (SSLServerSocket) TestCertificates.serverContext(serverId).getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        ss.setWantClientAuth(wantClientCert);
        return new FakeServer(ss);
    }

    /** Lets the client's handshake run against a server thread that expects nothing from it. */
    private void acceptInBackground() {
        Thread handshake = new Thread(() -> {
            try {
                server.accept().next();
            } catch (Exception | AssertionError expected) {
                // the client drops the handshake
            }
        }, "test-tls-accept");
        handshake.setDaemon(true);
        handshake.start();
    }

    private void registerWithoutCaps(String nick) throws Exception {
        server.accept().expectRegistration(nick);
        server.send(":fake CAP * LS :");
        server.expect("CAP END");
        server.welcome(nick);
    }

    @Test
    void theSystemTrustStoreRefusesASelfSignedServerAndNamesItsFingerprint() throws Exception {
        server = tlsServer(false);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls");
        acceptInBackground();
        String fp = serverId.fingerprint();
        String line = chat.expect(l -> l.startsWith("! cannot connect to " + server.address()));
        assertThat(line).contains("the server's certificate is not trusted", "SHA-256 fingerprint is " + fp,
                "--tls-fingerprint " + fp);
        assertThat(chat.awaitExit()).isEqualTo(1);
    }

    @Test
    void aPinnedFingerprintIsAcceptedWithoutCaOrHostNameChecks() throws Exception {
        server = tlsServer(false);
        String pin = serverId.fingerprint().replace(":", "").toLowerCase(Locale.ROOT);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-fingerprint", pin);
        registerWithoutCaps("alice");
        chat.expect("-- connected to " + server.address() + " (TLS)");
        chat.expect("- Welcome to the fake network alice");
        assertThat(chat.output()).noneMatch(l -> l.contains("WARNING"));
    }

    @Test
    void aWrongPinIsRefused() throws Exception {
        server = tlsServer(false);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-fingerprint", otherId.fingerprint());
        acceptInBackground();
        String line = chat.expect(l -> l.startsWith("! cannot connect to " + server.address()));
        assertThat(line).contains("does not match --tls-fingerprint", "expected " + otherId.fingerprint(),
                "the server sent " + serverId.fingerprint());
        assertThat(chat.awaitExit()).isEqualTo(1);
    }

    @Test
    void insecureModeConnectsAndWarnsWithTheFingerprint() throws Exception {
        server = tlsServer(false);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-insecure");
        registerWithoutCaps("alice");
        chat.expect("-- connected to " + server.address() + " (TLS)");
        String warning = chat.expect(l -> l.startsWith("! WARNING: --tls-insecure"));
        assertThat(warning).contains("--tls-fingerprint " + serverId.fingerprint());
        chat.expect("- Welcome to the fake network alice");
    }

    @Test
    void theClientCertificateIsPresentedAndLogsInWithSaslExternal() throws Exception {
        server = tlsServer(true);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-fingerprint",
                serverId.fingerprint(), "--client-cert", clientPem.toString());
        server.accept().expectRegistration("alice");
        Certificate[] seen = ((SSLSocket) server.socket()).getSession().getPeerCertificates();
        assertThat(seen[0]).isEqualTo(clientId.cert());

        server.send(":fake CAP * LS :server-time sasl=PLAIN,EXTERNAL");
        assertThat(server.next()).isEqualTo("CAP REQ :server-time sasl");
        server.send(":fake CAP * ACK :server-time sasl");
        assertThat(server.next()).isEqualTo("AUTHENTICATE EXTERNAL");
        server.send("AUTHENTICATE +");
        assertThat(server.next()).isEqualTo("AUTHENTICATE +");
        server.send(":fake 900 alice alice!a@h alice :You are now logged in as alice",
                ":fake 903 alice :SASL authentication successful");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.expect("-- logged in with the client certificate (SASL EXTERNAL)");
        assertThat(server.received()).noneMatch(l -> l.contains("PLAIN") && l.startsWith("AUTHENTICATE"));
    }

    @Test
    void saslExternalIsGivenUpWhenTheServerDoesNotTakeIt() throws Exception {
        TestCertificates.Issued rsa = TestCertificates.selfSigned("bob", "RSA");
        Path cert = TestCertificates.write(dir, "bob.crt", TestCertificates.certificatePem(rsa));
        Path key = TestCertificates.write(dir, "bob.key", TestCertificates.pkcs8Pem(rsa));
        server = tlsServer(true);
        chat = PlainSession.start(server.address(), "--nick", "bob", "--tls", "--tls-fingerprint",
                serverId.fingerprint(), "--client-cert", cert.toString(), "--client-key", key.toString(),
                "--sasl", "external");
        server.accept().expectRegistration("bob");
        assertThat(((SSLSocket) server.socket()).getSession().getPeerCertificates()[0]).isEqualTo(rsa.cert());

        server.send(":fake CAP * LS :sasl");
        assertThat(server.next()).isEqualTo("CAP REQ sasl");
        server.send(":fake CAP * ACK :sasl");
        assertThat(server.next()).isEqualTo("AUTHENTICATE EXTERNAL");
        server.send(":fake 908 bob PLAIN :are available SASL mechanisms",
                ":fake 904 bob :SASL authentication failed");
        assertThat(server.next()).isEqualTo("AUTHENTICATE *");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("bob");
        chat.expect("! not logged in: the server offers no SASL EXTERNAL (the client certificate was presented all the same)");
    }

    @Test
    void aRefusedSaslExternalLoginIsReported() throws Exception {
        server = tlsServer(true);
        chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-fingerprint",
                serverId.fingerprint(), "--client-cert", clientPem.toString());
        server.accept().expectRegistration("alice");
        server.send(":fake CAP * LS :sasl=EXTERNAL");
        server.expect("CAP REQ sasl");
        server.send(":fake CAP * ACK :sasl");
        server.expect("AUTHENTICATE EXTERNAL");
        server.send("AUTHENTICATE +");
        server.expect("AUTHENTICATE +");
        server.send(":fake 904 alice :SASL authentication failed");
        assertThat(server.next()).isEqualTo("CAP END");
        server.welcome("alice");
        chat.expect("! SASL EXTERNAL login failed: SASL authentication failed");
    }
}
