package dev.parley.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading {@code --client-cert} and {@code --client-key}: both key forms, and clear refusals that never show the key. */
class ClientIdentityTest {
    @TempDir
    static Path dir;
    private static TestCertificates.Issued ec;
    private static TestCertificates.Issued rsa;

    @BeforeAll
    static void makeCertificates() throws Exception {
        ec = TestCertificates.selfSigned("alice", "EC");
        rsa = TestCertificates.selfSigned("bob", "RSA");
    }

    @Test
    void readsACertificateAndATraditionalKeyFromOneFile() throws Exception {
        Path both = TestCertificates.write(dir, "ec.pem", TestCertificates.traditionalPem(ec));
        assertThat(TestCertificates.traditionalPem(ec)).contains("BEGIN EC PRIVATE KEY");
        assertThat(ClientIdentity.load(both, null).certificate()).isEqualTo(ec.cert());

        Path rsaBoth = TestCertificates.write(dir, "rsa.pem", TestCertificates.traditionalPem(rsa));
        assertThat(TestCertificates.traditionalPem(rsa)).contains("BEGIN RSA PRIVATE KEY");
        assertThat(ClientIdentity.load(rsaBoth, null).certificate()).isEqualTo(rsa.cert());
    }

    @Test
    void readsAPkcs8KeyFromItsOwnFile() throws Exception {
        Path cert = TestCertificates.write(dir, "ec.crt", TestCertificates.certificatePem(ec));
        Path key = TestCertificates.write(dir, "ec.key", TestCertificates.pkcs8Pem(ec));
        assertThat(TestCertificates.pkcs8Pem(ec)).contains("BEGIN PRIVATE KEY");
        ClientIdentity id = ClientIdentity.load(cert, key);
        assertThat(id.certificate()).isEqualTo(ec.cert());
        assertThat(id.toString()).contains("CN=alice", ec.fingerprint(), "key hidden");
    }

    @Test
    void aMissingKeyOrCertificateIsExplained() throws Exception {
        Path cert = TestCertificates.write(dir, "only.crt", TestCertificates.certificatePem(ec));
        assertThatThrownBy(() -> ClientIdentity.load(cert, null)).hasMessageContaining("holds no private key")
                .hasMessageContaining("--client-key");
        Path key = TestCertificates.write(dir, "only.key", TestCertificates.pkcs8Pem(ec));
        assertThatThrownBy(() -> ClientIdentity.load(key, null)).hasMessageContaining("holds no PEM certificate");
        assertThatThrownBy(() -> ClientIdentity.load(dir.resolve("nope.pem"), null))
                .hasMessageContaining("does not exist");
        Path junk = TestCertificates.write(dir, "junk.pem", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n");
        assertThatThrownBy(() -> ClientIdentity.load(junk, null)).hasMessageContaining("not a readable PEM file");
    }

    @Test
    void aKeyOfAnotherCertificateIsRefusedWithoutShowingIt() throws Exception {
        Path cert = TestCertificates.write(dir, "alice.crt", TestCertificates.certificatePem(ec));
        Path wrongKey = TestCertificates.write(dir, "bob.key", TestCertificates.pkcs8Pem(rsa));
        String keyBase64 = Base64.getEncoder().encodeToString(rsa.keys().getPrivate().getEncoded());
        assertThatThrownBy(() -> ClientIdentity.load(cert, wrongKey))
                .hasMessageContaining("does not belong to the certificate")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("PRIVATE KEY", keyBase64.substring(0, 40)));
    }

    @Test
    void readsAnEd25519Key() throws Exception {
        TestCertificates.Issued ed = TestCertificates.selfSigned("carol", "Ed25519");
        Path cert = TestCertificates.write(dir, "ed.crt", TestCertificates.certificatePem(ed));
        Path key = TestCertificates.write(dir, "ed.key", TestCertificates.pkcs8Pem(ed));
        assertThat(ClientIdentity.load(cert, key).certificate()).isEqualTo(ed.cert());
    }

    @Test
    void anEncryptedKeyIsRefusedWithAHint() throws Exception {
        Path cert = TestCertificates.write(dir, "enc.crt", TestCertificates.certificatePem(ec));
        Path key = TestCertificates.write(dir, "enc.key", TestCertificates.encryptedPkcs8Pem(ec));
        assertThat(TestCertificates.encryptedPkcs8Pem(ec)).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> ClientIdentity.load(cert, key))
                .hasMessage("--client-key " + key + ": the private key is encrypted, which is not supported;"
                        + " write an unencrypted copy readable only by you (openssl pkey -in KEY -out KEY2)");
    }
}
