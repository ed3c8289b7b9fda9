package dev.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The TLS material: the generated certificate, PEM files in their usual forms, and clear refusals. */
class TlsMaterialTest {
    @TempDir
    Path dir;

    @Test
    void generatedCertificateIsPrivateAndReusedOnTheNextRun() throws Exception {
        TlsMaterial first = TlsMaterial.selfSigned(dir, "irc.example.org");
        Path key = dir.resolve("tls-self-signed.key");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        TlsMaterial again = TlsMaterial.selfSigned(dir, "irc.example.org");
        assertThat(again.fingerprint()).isEqualTo(first.fingerprint()).matches("[0-9a-f]{64}");
    }

    @Test
    void traditionalRsaKeyAndItsCertificateAreAccepted() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair pair = gen.generateKeyPair();
        Path cert = dir.resolve("rsa.crt");
        Path key = dir.resolve("rsa.key");
        X500Name name = new X500Name("CN=rsa.test");
        Files.writeString(cert, pem(new JcaX509v3CertificateBuilder(name, BigInteger.TWO, Date.from(Instant.now().minusSeconds(60)),
                Date.from(Instant.now().plusSeconds(3600)), name, pair.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate()))));
        Files.writeString(key, pem(pair.getPrivate())); // JcaPEMWriter: "RSA PRIVATE KEY", the traditional form
        assertThat(Files.readString(key)).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(TlsMaterial.fromPem(cert, key).newEngine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Test
    void brokenOrMismatchedFilesAreRefusedByName() throws Exception {
        TlsMaterial.selfSigned(dir.resolve("a"), "a.test");
        TlsMaterial.selfSigned(dir.resolve("b"), "b.test");
        Path certA = dir.resolve("a/tls-self-signed.crt");
        Path keyB = dir.resolve("b/tls-self-signed.key");
        assertThatThrownBy(() -> TlsMaterial.fromPem(certA, keyB)).hasMessageContaining("does not belong to the certificate");
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        assertThatThrownBy(() -> TlsMaterial.fromPem(empty, keyB)).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> TlsMaterial.fromPem(certA, certA)).hasMessageContaining("holds no PEM private key")
                .hasMessageNotContaining("BEGIN");
        assertThatThrownBy(() -> TlsMaterial.fromPem(dir.resolve("missing.pem"), keyB)).hasMessageContaining("missing.pem");
    }

    @Test
    void onlyForwardSecretAeadSuitesAreOffered() throws Exception {
        String[] suites = TlsMaterial.selfSigned(dir, "irc.test").newEngine().getEnabledCipherSuites();
        assertThat(suites).isNotEmpty().allMatch(s -> s.startsWith("TLS_AES_") || s.startsWith("TLS_CHACHA20_")
                || (s.startsWith("TLS_ECDHE_") && (s.contains("_GCM_") || s.contains("CHACHA20"))));
    }

    private static String pem(Object o) throws Exception {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }
}
