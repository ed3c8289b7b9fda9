package dev.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.EngineKind;
import java.time.Duration;
import java.util.Optional;
import java.util.SortedSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import net.engio.mbassy.listener.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kitteh.irc.client.library.Client.Builder.Server.SecurityType;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.element.Channel;
import org.kitteh.irc.client.library.element.mode.ChannelUserMode;
import org.kitteh.irc.client.library.event.channel.ChannelMessageEvent;

/**
 * Parley driven by KittehIRCClientLib, a widely used Java IRC library that nobody here wrote:
 * it negotiates its capabilities, joins, tracks names and modes, and exchanges messages whose
 * server-time and msgid tags it parses itself.
 */
class KittehClientTest {
    private final ServerFixture fx = new ServerFixture();
    private Client kit;

    @AfterEach
    void tearDown() {
        if (kit != null) {
            kit.shutdown("test over");
        }
        fx.close();
    }

    /** Collects channel messages on Kitteh's event thread. */
    public static final class Inbox {
        final LinkedBlockingQueue<ChannelMessageEvent> messages = new LinkedBlockingQueue<>();

        @Handler
        public void onMessage(ChannelMessageEvent e) {
            messages.add(e);
        }
    }

    @Test
    void independentClientLibraryNegotiatesJoinsSeesModesAndChats() throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.VIRTUAL).build());
        TestClient alice = fx.register(s, "alice");
        alice.send("JOIN #kitteh");
        alice.expect("366");

        Inbox inbox = new Inbox();
        kit = Client.builder()
                .nick("kit")
                .realName("Kitteh Test")
                .server().host("127.0.0.1").port(s.port(), SecurityType.INSECURE).then()
                .build();
        kit.getEventManager().registerEventListener(inbox);
        kit.connect();
        kit.addChannel("#kitteh");

        await().atMost(Duration.ofSeconds(20)).until(() -> kit.getChannel("#kitteh")
                .map(ch -> ch.getNicknames().contains("kit") && ch.getNicknames().contains("alice"))
                .orElse(false));
        assertThat(kit.getCapabilityManager().getCapability("server-time")).isPresent();
        assertThat(kit.getCapabilityManager().getCapability("message-tags")).isPresent();
        assertThat(kit.getCapabilityManager().getCapability("multi-prefix")).isPresent();
        Channel channel = kit.getChannel("#kitteh").orElseThrow();
        assertThat(modes(channel, "alice")).contains("@");

        alice.send("MODE #kitteh +v kit");
        await().atMost(Duration.ofSeconds(20)).until(() -> modes(kit.getChannel("#kitteh").orElseThrow(), "kit").contains("+"));

        alice.send("PRIVMSG #kitteh :hello, kitteh");
        ChannelMessageEvent got = inbox.messages.poll(20, TimeUnit.SECONDS);
        assertThat(got).isNotNull();
        assertThat(got.getActor().getNick()).isEqualTo("alice");
        assertThat(got.getMessage()).isEqualTo("hello, kitteh");
        assertThat(got.getTag("time")).isPresent();
        assertThat(got.getTag("msgid")).isPresent();

        kit.sendMessage("#kitteh", "hello, alice");
        IrcMessage reply = alice.expect("PRIVMSG");
        assertThat(reply.source()).startsWith("kit!");
        assertThat(reply.last()).isEqualTo("hello, alice");
    }

    @Test
    void independentClientLibraryConnectsOverTlsTrustingTheGeneratedCertificate(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.NIO).dataDir(dir).tlsPort(0).build());
        java.security.cert.Certificate generated;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(dir.resolve("tls-self-signed.crt"))) {
            generated = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("parley", generated);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        TestClient alice = fx.register(s, "alice");
        alice.send("JOIN #secure");
        alice.expect("366");

        kit = Client.builder()
                .nick("kit")
                .server().host("localhost").port(s.tlsPort(), SecurityType.SECURE).secureTrustManagerFactory(tmf).then()
                .build();
        kit.connect();
        kit.addChannel("#secure");
        await().atMost(Duration.ofSeconds(20)).until(() -> kit.getChannel("#secure")
                .map(ch -> ch.getNicknames().contains("kit")).orElse(false));
        alice.send("WHOIS kit");
        alice.expect("671"); // kit is on a secure connection
        kit.sendMessage("#secure", "hello over TLS");
        IrcMessage reply = alice.expect("PRIVMSG");
        assertThat(reply.last()).isEqualTo("hello over TLS");
    }

    @Test
    void independentClientLibraryLogsInWithSaslExternalOverTls(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        ParleyServer s = fx.start(ServerFixture.config(EngineKind.THREADS).dataDir(dir).tlsPort(0).build());
        java.security.KeyPairGenerator gen = java.security.KeyPairGenerator.getInstance("EC");
        gen.initialize(256);
        java.security.KeyPair pair = gen.generateKeyPair();
        org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500Name("CN=kit");
        java.security.cert.X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter()
                .getCertificate(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, java.math.BigInteger.TWO,
                        java.util.Date.from(java.time.Instant.now().minusSeconds(60)),
                        java.util.Date.from(java.time.Instant.now().plusSeconds(3600)), name, pair.getPublic())
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                                .build(pair.getPrivate())));
        java.util.Base64.Encoder pem = java.util.Base64.getMimeEncoder(64, "\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.nio.file.Path certFile = dir.resolve("kit.crt");
        java.nio.file.Path keyFile = dir.resolve("kit.key");
        java.nio.file.Files.writeString(certFile, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        java.nio.file.Files.writeString(keyFile, "-----BEGIN PRIVATE KEY-----\n" + pem.encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        String fingerprint = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));

        TestClient owner = fx.register(s, "kitowner");
        owner.send("PRIVMSG NickServ :REGISTER kit-password-1");
        owner.expect(m -> m.command().equals("NOTICE") && m.last().contains("registered"));
        owner.send("PRIVMSG NickServ :CERT ADD " + fingerprint);
        owner.expect(m -> m.command().equals("NOTICE") && m.last().contains("added"));
        owner.send("QUIT");

        java.security.cert.Certificate generated;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(dir.resolve("tls-self-signed.crt"))) {
            generated = java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        java.security.KeyStore trusted = java.security.KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("parley", generated);
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance("PKIX");
        tmf.init(trusted);
        TestClient alice = fx.register(s, "alice");
        alice.send("JOIN #secure");
        alice.expect("366");

        kit = Client.builder()
                .nick("kit")
                .server().host("localhost").port(s.tlsPort(), SecurityType.SECURE).secureTrustManagerFactory(tmf)
                .secureKeyCertChain(certFile).secureKey(keyFile).then()
                .build();
        kit.getAuthManager().addProtocol(new org.kitteh.irc.client.library.feature.auth.SaslExternal(kit));
        kit.connect();
        kit.addChannel("#secure");
        await().atMost(Duration.ofSeconds(20)).until(() -> kit.getChannel("#secure")
                .map(ch -> ch.getNicknames().contains("kit")).orElse(false));
        alice.send("WHOIS kit");
        assertThat(alice.expect("330").param(2)).as("logged in by its certificate").isEqualTo("kitowner");
    }

    private static String modes(Channel channel, String nick) {
        Optional<SortedSet<ChannelUserMode>> modes = channel.getUserModes(nick);
        StringBuilder sb = new StringBuilder();
        modes.ifPresent(set -> set.forEach(m -> sb.append(m.getNickPrefix())));
        return sb.toString();
    }
}
