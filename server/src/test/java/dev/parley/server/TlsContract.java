package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import dev.parley.server.core.Client;
import dev.parley.server.session.Sessions;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** TLS on every engine: what a TLS client sees, a large burst, a stalled handshake, client certificates, openssl. */
@ParameterizedClass(name = "engine {0}")
@EnumSource(EngineKind.class)
class TlsContract extends EngineTestBase {
    TlsContract(EngineKind engine) {
        super(engine);
    }

    @Override
    protected boolean overTls() {
        return true;
    }

    @Test
    void tlsClientIsShownAsSecureInWhois() throws IOException {
        ParleyServer s = start();
        TestClient alice = fx.register(s, "alice");
        assertThat(((SSLSocket) alice.socket()).getSession().getProtocol()).isEqualTo("TLSv1.3");
        alice.send("WHOIS alice");
        alice.expect("671");
    }

    @Test
    void twoThousandLinesSpanningManyRecordsArriveCompleteAndInOrder() throws IOException {
        ParleyServer s = start();
        TestClient alice = joined(s, "alice", "#big");
        TestClient bob = joined(s, "bob", "#big");
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            burst.append("PRIVMSG #big :line ").append(i).append(" of a burst that spans many TLS records\r\n");
        }
        alice.sendRaw(burst.toString().getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 2000; i++) {
            IrcMessage m = bob.expect("PRIVMSG");
            assertThat(m.last()).isEqualTo("line " + i + " of a burst that spans many TLS records");
        }
    }

    @Test
    void clientStoppingMidHandshakeIsDroppedAtTheDeadlineWhileOthersAreServed() throws IOException {
        ParleyServer s = start(config().registrationTimeout(Duration.ofSeconds(1)));
        try (Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", s.tlsPort()), 5000);
            stalled.getOutputStream().write(new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xc8, 0x01}); // a ClientHello's start
            stalled.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            TestClient alice = fx.register(s, "alice");
            alice.send("PING :still-here");
            alice.expect("PONG");
            InputStream in = stalled.getInputStream();
            int r;
            do {
                r = in.read();
            } while (r >= 0);
            assertThat(r).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // dropped with a reset: just as good
        }
        org.awaitility.Awaitility.await().atMost(TestClient.TIMEOUT).until(() -> s.engine().connectionCount() == 1);
    }

    @Test
    void clientCertificateIsOptionalAndFingerprinted() throws Exception {
        ParleyServer s = start();
        TestClient plain = fx.register(s, "nocert");
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        KeyPair pair = gen.generateKeyPair();
        X500Name name = new X500Name("CN=carol");
        X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                name, pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("me", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
        kmf.init(ks, new char[0]);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {trustAll()}, new SecureRandom());
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", s.tlsPort()), 5000);
            SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "127.0.0.1", s.tlsPort(), true);
            ssl.startHandshake();
            ssl.getOutputStream().write("NICK carol\r\nUSER carol 0 * :Carol\r\nPING :done\r\n".getBytes(StandardCharsets.US_ASCII));
            ssl.getOutputStream().flush();
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
            org.awaitility.Awaitility.await().atMost(TestClient.TIMEOUT).until(() -> fingerprintOf(s, "carol") != null);
            assertThat(fingerprintOf(s, "carol")).isEqualTo(expected);
        }
        assertThat(plain.isClosed()).isFalse();
        assertThat(s.hub().clients().stream().anyMatch(c -> "nocert".equals(c.nick()))).isTrue();
        assertThat(fingerprintOf(s, "nocert")).isNull();
    }

    /** A TLS context presenting a fresh self-signed client certificate for {@code cn}, and its SHA-256 fingerprint. */
    private record ClientCert(SSLContext context, String fingerprint) {
        static ClientCert make(String cn) throws Exception {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(256);
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=" + cn);
            X509Certificate cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)),
                    name, pair.getPublic()).build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("me", pair.getPrivate(), new char[0], new X509Certificate[] {cert});
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, new char[0]);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {trustAll()}, new SecureRandom());
            return new ClientCert(ctx, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded())));
        }

        TestClient connect(ParleyServer s) throws IOException {
            Socket raw = new Socket();
            raw.connect(new InetSocketAddress("127.0.0.1", s.tlsPort()), 5000);
            SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(raw, "127.0.0.1", s.tlsPort(), true);
            ssl.startHandshake();
            return TestClient.over(ssl);
        }
    }

    @Test
    void aBoundClientCertificateLogsInWithSaslExternal() throws Exception {
        ParleyServer s = start();
        ClientCert cert = ClientCert.make("dora");
        TestClient owner = cert.connect(s);
        owner.send("NICK dora");
        owner.send("USER dora 0 * :Dora");
        owner.expect("001");
        owner.send("WHOIS dora");
        assertThat(owner.expect("276").last()).as("WHOIS shows the owner its certificate").contains(cert.fingerprint());
        owner.send("PRIVMSG NickServ :REGISTER dora-password");
        owner.expect(m -> m.command().equals("NOTICE") && m.last().contains("registered"));
        owner.send("PRIVMSG NickServ :CERT ADD");
        assertThat(owner.expect(m -> m.command().equals("NOTICE") && m.last().startsWith("Certificate")).last())
                .contains(cert.fingerprint()).contains("added");
        owner.send("QUIT");

        TestClient other = fx.register(s, "watcher");
        TestClient again = cert.connect(s);
        again.send("CAP LS 302");
        assertThat(again.capLs()).contains("sasl=PLAIN,EXTERNAL,SCRAM-SHA-256");
        again.send("CAP REQ :sasl");
        again.expect("CAP");
        again.send("NICK dora2");
        again.send("USER dora 0 * :Dora");
        again.send("AUTHENTICATE EXTERNAL");
        assertThat(again.expect("AUTHENTICATE").params()).containsExactly("+");
        again.send("AUTHENTICATE +");
        assertThat(again.expect("900").param(2)).isEqualTo("dora");
        again.expect("903");
        again.send("CAP END");
        again.expect("001");
        other.send("WHOIS dora2");
        List<String> whois = new ArrayList<>();
        other.expect(m -> {
            whois.add(m.command());
            return m.command().equals("318");
        });
        assertThat(whois).as("another user does not see the fingerprint").contains("330").doesNotContain("276");

        TestClient stranger = ClientCert.make("mallory").connect(s);
        stranger.send("CAP REQ :sasl");
        stranger.expect("CAP");
        stranger.send("AUTHENTICATE EXTERNAL");
        stranger.expect("AUTHENTICATE");
        stranger.send("AUTHENTICATE +");
        stranger.expect("904");
    }

    private static String fingerprintOf(ParleyServer s, String nick) {
        for (Client c : s.hub().clients()) {
            if (nick.equals(c.nick()) && Sessions.transportOf(c) != null) {
                return Sessions.transportOf(c).certFingerprint();
            }
        }
        return null;
    }

    private static javax.net.ssl.X509TrustManager trustAll() {
        return new javax.net.ssl.X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }

    @Test
    void tls12ClientRenegotiationIsRefused() throws Exception {
        ParleyServer s = start();
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress("127.0.0.1", s.tlsPort()), 5000);
            SSLSocket ssl = (SSLSocket) TlsClients.trustingAny().getSocketFactory().createSocket(raw, "127.0.0.1", s.tlsPort(), true);
            ssl.setEnabledProtocols(new String[] {"TLSv1.2"});
            ssl.startHandshake();
            assertThat(ssl.getSession().getProtocol()).isEqualTo("TLSv1.2");
            assertThat(ssl.getSession().getCipherSuite()).startsWith("TLS_ECDHE_");
            ssl.setSoTimeout((int) TestClient.TIMEOUT.toMillis());
            boolean renegotiated;
            try {
                ssl.startHandshake(); // asks for a renegotiation
                ssl.getOutputStream().write("PING :after\r\n".getBytes(StandardCharsets.US_ASCII));
                ssl.getOutputStream().flush();
                renegotiated = ssl.getInputStream().read() >= 0;
            } catch (IOException refused) {
                renegotiated = false;
            }
            assertThat(renegotiated).as("renegotiation refused, the connection ended").isFalse();
        }
        TestClient alice = fx.register(s, "alice"); // still serving
        alice.send("PING :x");
        alice.expect("PONG");
    }

    @Test
    void opensslSpeaksTls13AndIsRefusedTls11() throws Exception {
        assumeTrue(openssl(), "openssl is not installed: skipping the openssl s_client checks");
        ParleyServer s = start();
        Result ok = sClient(s.tlsPort(), "-tls1_3");
        assertThat(ok.output).contains("TLSv1.3");
        assertThat(ok.output).contains("PONG");
        Result old = sClient(s.tlsPort(), "-tls1_1");
        assertThat(old.output).doesNotContain("PONG");
        assertThat(old.exit).isNotZero();
        TestClient alice = fx.register(s, "alice"); // still serving
        alice.send("PING :x");
        alice.expect("PONG");
    }

    private record Result(int exit, String output) {
    }

    private static boolean openssl() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Result sClient(int port, String version) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port, version,
                "-brief", "-ign_eof"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("NICK ossl\r\nUSER ossl 0 * :o\r\nPING :openssl\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().flush();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}
