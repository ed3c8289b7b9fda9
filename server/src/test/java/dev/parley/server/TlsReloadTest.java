package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.server.config.ConfigFile;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.TlsMaterial;
import dev.parley.server.service.PasswordHasher;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Reloading the TLS certificate (the console's {@code reload-tls}, REHASH) while clients chat:
 * nobody is dropped, a new connection gets the new certificate, a broken file is refused and
 * the old certificate stays.
 */
@ParameterizedClass(name = "engine {0}")
@EnumSource(value = EngineKind.class, names = {"VIRTUAL", "NIO"})
class TlsReloadTest {
    private final ServerFixture fx = new ServerFixture();
    private final EngineKind engine;
    @TempDir
    Path dir;

    TlsReloadTest(EngineKind engine) {
        this.engine = engine;
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    /** Makes a self-signed pair in {@code sub} and copies it to the paths the server reads. */
    private String install(String sub, Path cert, Path key) throws IOException {
        Path made = Files.createDirectories(dir.resolve(sub));
        TlsMaterial m = TlsMaterial.selfSigned(made, "irc.test");
        Files.copy(made.resolve("tls-self-signed.crt"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(made.resolve("tls-self-signed.key"), key, StandardCopyOption.REPLACE_EXISTING);
        return m.fingerprint();
    }

    private static String fingerprintSeenAt(int port) throws IOException {
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            SSLSocket ssl = (SSLSocket) TlsClients.trustingAny().getSocketFactory().createSocket(raw, "127.0.0.1", port, true);
            ssl.startHandshake();
            Certificate[] chain = ssl.getSession().getPeerCertificates();
            return TlsMaterial.fingerprint(chain[0]);
        }
    }

    @Test
    void reloadUnderLoadKeepsEveryoneAndServesTheNewCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        String first = install("one", cert, key);
        ParleyServer s = fx.start(ServerFixture.config(engine).tlsPort(0).tlsCert(cert).tlsKey(key).build());
        assertThat(fingerprintSeenAt(s.tlsPort())).isEqualTo(first);
        List<TestClient> clients = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            TestClient c = TestClient.connectTls(s.tlsPort());
            c.send("NICK u" + i);
            c.send("USER u" + i + " 0 * :u");
            c.send("JOIN #load");
            c.expect("366");
            clients.add(c);
        }
        for (int i = 0; i < 200; i++) {
            clients.get(i % 5).send("PRIVMSG #load :before and during " + i);
        }
        String second = install("two", cert, key);
        assertThat(s.reloadTls()).isEqualTo(second);
        assertThat(fingerprintSeenAt(s.tlsPort())).isEqualTo(second);
        clients.get(0).send("PRIVMSG #load :after the reload");
        for (int i = 1; i < 5; i++) {
            TestClient c = clients.get(i);
            c.expect(m -> m.command().equals("PRIVMSG") && m.last().equals("after the reload"));
            assertThat(c.isClosed()).isFalse();
        }

        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\nnot a certificate\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(s::reloadTls).hasMessageContaining("cannot read the TLS certificate " + cert);
        assertThat(fingerprintSeenAt(s.tlsPort())).isEqualTo(second);
        clients.forEach(TestClient::close);
    }

    @Test
    void rehashReloadsTheCertificateAndRefusesABrokenKey() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        install("one", cert, key);
        Path toml = dir.resolve("parley.toml");
        Files.writeString(toml, """
                [tls]
                cert = "cert.pem"
                key = "key.pem"
                [[operator]]
                name = "root"
                password-hash = "%s"
                hosts = ["*@127.0.0.1"]
                """.formatted(PasswordHasher.hash("s3cret")));
        ParleyServer s = fx.start(ConfigFile.source(toml, ServerFixture.config(engine).tlsPort(0), b -> b));
        TestClient alice = TestClient.connectTls(s.tlsPort());
        alice.send("NICK alice");
        alice.send("USER alice 0 * :a");
        alice.expect("001");
        alice.send("OPER root s3cret");
        alice.expect("381");
        String second = install("two", cert, key);
        alice.send("REHASH");
        alice.expect("382");
        alice.send("PING :after");
        alice.expect("PONG");
        assertThat(fingerprintSeenAt(s.tlsPort())).isEqualTo(second);

        install("three", dir.resolve("other-cert.pem"), key); // the key no longer matches the certificate
        alice.send("REHASH");
        alice.expect("382");
        assertThat(alice.expect("NOTICE").last()).contains("REHASH failed").contains("does not belong to the certificate");
        assertThat(fingerprintSeenAt(s.tlsPort())).isEqualTo(second);
        alice.close();
    }
}
