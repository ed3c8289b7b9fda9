package dev.parley.chat;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/** Self-signed certificates made in the test, PEM files of them, and TLS contexts for fake servers. */
final class TestCertificates {
    private static final char[] PASS = "test".toCharArray();

    private TestCertificates() {
    }

    /** A key pair and its self-signed certificate. */
    record Issued(KeyPair keys, X509Certificate cert) {
        String fingerprint() {
            return Fingerprint.of(cert);
        }
    }

    /** A self-signed certificate for {@code cn} (also a SAN for 127.0.0.1) with an "EC" or "RSA" key. */
    static Issued selfSigned(String cn, String keyAlgorithm) throws GeneralSecurityException, IOException {
        return selfSigned(cn, keyAlgorithm, new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    /** A self-signed certificate for {@code cn} naming the hosts {@code names} (subject alternative names). */
    static Issued selfSigned(String cn, String keyAlgorithm, GeneralName... names) throws GeneralSecurityException, IOException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(keyAlgorithm);
        if (!keyAlgorithm.equals("Ed25519")) {
            gen.initialize(keyAlgorithm.equals("RSA") ? 2048 : 256);
        }
        KeyPair keys = gen.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=" + cn);
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name, keys.getPublic());
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        try {
            var signer = new JcaContentSignerBuilder(switch (keyAlgorithm) {
                case "RSA" -> "SHA256withRSA";
                case "Ed25519" -> "Ed25519";
                default -> "SHA256withECDSA";
            })
                    .build(keys.getPrivate());
            return new Issued(keys, new JcaX509CertificateConverter().getCertificate(b.build(signer)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException(e);
        }
    }

    /**
     * PEM of the certificate and then the key in its traditional form, as {@code openssl} writes
     * it: {@code RSA PRIVATE KEY}, or {@code EC PRIVATE KEY} naming its curve.
     */
    static String traditionalPem(Issued id) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(id.cert());
            if (id.keys().getPrivate() instanceof ECPrivateKey ec) {
                PrivateKeyInfo info = PrivateKeyInfo.getInstance(ec.getEncoded());
                SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(id.keys().getPublic().getEncoded());
                org.bouncycastle.asn1.sec.ECPrivateKey traditional = new org.bouncycastle.asn1.sec.ECPrivateKey(
                        ec.getParams().getOrder().bitLength(), ec.getS(), pub.getPublicKeyData(),
                        info.getPrivateKeyAlgorithm().getParameters());
                pem.writeObject(new PemObject("EC PRIVATE KEY", traditional.getEncoded()));
            } else {
                pem.writeObject(id.keys());
            }
        }
        return w.toString();
    }

    static String certificatePem(Issued id) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(id.cert());
        }
        return w.toString();
    }

    /** The key alone as PKCS#8 ({@code PRIVATE KEY}). */
    static String pkcs8Pem(Issued id) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(id.keys().getPrivate(), null));
        }
        return w.toString();
    }

    /** The key alone as encrypted PKCS#8 ({@code ENCRYPTED PRIVATE KEY}). */
    static String encryptedPkcs8Pem(Issued id) throws IOException, OperatorCreationException {
        StringWriter w = new StringWriter();
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword("hunter2".toCharArray()).build();
        try (JcaPEMWriter pem = new JcaPEMWriter(w)) {
            pem.writeObject(new JcaPKCS8Generator(id.keys().getPrivate(), encryptor));
        }
        return w.toString();
    }

    static Path write(Path dir, String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** A server context presenting {@code id}, taking any client certificate. */
    static SSLContext serverContext(Issued id) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("irc", id.keys().getPrivate(), PASS, new X509Certificate[] {id.cert()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, PASS);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClient()}, null);
        return ctx;
    }

    /** The fake server's view of clients: any certificate is let in, so the test can look at it. */
    private static final class AnyClient implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
            throw new UnsupportedOperationException("a server does not judge servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
