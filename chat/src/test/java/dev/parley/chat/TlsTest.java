package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls}: a self-signed server is refused unless {@code --tls-insecure} says to accept it. */
class TlsTest {
    private static final char[] PASS = "changeit".toCharArray();
    @TempDir
    static Path dir;
    private static SSLContext serverContext;

    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "irc", "-keyalg", "EC", "-dname", "CN=localhost", "-validity", "2",
                "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", new String(PASS))
                .redirectErrorStream(true).start();
        keytool.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            ks.load(in, PASS);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        serverContext = SSLContext.getInstance("TLS");
        serverContext.init(kmf.getKeyManagers(), null, null);
    }

    private static FakeServer tlsServer() throws Exception {
        SSLServerSocket ss = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        return new FakeServer(ss);
    }

    @Test
    void insecureModeTalksToASelfSignedServer() throws Exception {
        try (FakeServer server = tlsServer();
             PlainSession chat = PlainSession.start(server.address(), "--nick", "alice", "--tls", "--tls-insecure")) {
            server.accept().expectRegistration("alice");
            server.send(":fake CAP * LS :");
            server.expect("CAP END");
            server.welcome("alice");
            chat.expect("-- connected to " + server.address() + " (TLS)");
            chat.expect("- Welcome to the fake network alice");
        }
    }

    @Test
    void anUntrustedCertificateIsRefusedWithExitCodeOne() throws Exception {
        try (FakeServer server = tlsServer();
             PlainSession chat = PlainSession.start(server.address(), "--nick", "alice", "--tls")) {
            Thread handshake = new Thread(() -> {
                try {
                    server.accept().next();
                } catch (Exception | AssertionError expected) {
                    // the client drops the handshake
                }
            });
            handshake.setDaemon(true);
            handshake.start();
            chat.expect(l -> l.startsWith("! cannot connect to " + server.address()));
            assertThat(chat.awaitExit()).isEqualTo(1);
        }
    }
}
