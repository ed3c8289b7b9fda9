package dev.parley.server.config;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The server's TLS certificate and key, and the {@link SSLContext} made from them: TLS 1.2 and
 * 1.3 only, forward-secret AEAD cipher suites, client certificates asked for but optional (any
 * certificate is accepted: it is only fingerprinted). Immutable; a reload makes a new one.
 * Any thread.
 */
public final class TlsMaterial {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger("parley.server");

    static {
        // TLS 1.3 has no renegotiation; refuse a TLS 1.2 client's attempt at one.
        System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
    }

    /** The protocols offered, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    static final String SELF_SIGNED_CERT = "tls-self-signed.crt";
    static final String SELF_SIGNED_KEY = "tls-self-signed.key";

    private final SSLContext context;
    private final String[] cipherSuites;
    private final String fingerprint;
    private final String source;

    private TlsMaterial(SSLContext context, X509Certificate leaf, String source) {
        this.context = context;
        this.fingerprint = fingerprint(leaf);
        this.source = source;
        String[] supported = context.getSupportedSSLParameters().getCipherSuites();
        this.cipherSuites = Arrays.stream(supported).filter(TlsMaterial::strong).toArray(String[]::new);
    }

    /** TLS 1.3 suites (all AEAD) and, for 1.2, ECDHE with AES-GCM or ChaCha20-Poly1305. */
    private static boolean strong(String suite) {
        if (suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")) {
            return true;
        }
        return suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("CHACHA20_POLY1305"));
    }

    /**
     * The material {@code config} names: its {@code --tls-cert}/{@code --tls-key}, or the
     * self-signed certificate in its data directory (made on first use).
     *
     * @throws IllegalArgumentException with a message naming the file, when one cannot be used
     */
    public static TlsMaterial load(ServerConfig config) {
        if (config.tlsCert() != null) {
            return fromPem(config.tlsCert(), config.tlsKey());
        }
        return selfSigned(config.dataDir(), config.serverName());
    }

    /** Reads a PEM certificate chain and its PEM private key. */
    public static TlsMaterial fromPem(Path certFile, Path keyFile) {
        List<X509Certificate> chain = readChain(certFile);
        PrivateKey key = readKey(keyFile);
        checkPair(chain.getFirst(), key, certFile, keyFile);
        return build(chain, key, certFile.toString());
    }

    /**
     * The self-signed certificate kept in {@code dataDir}, made (EC P-256, CN and SAN the
     * server name, SANs localhost, 127.0.0.1 and ::1) when it is not there yet.
     */
    public static TlsMaterial selfSigned(Path dataDir, String serverName) {
        Path cert = dataDir.resolve(SELF_SIGNED_CERT);
        Path key = dataDir.resolve(SELF_SIGNED_KEY);
        synchronized (TlsMaterial.class) { // servers starting together in one process make one certificate
            if (!Files.exists(cert) || !Files.exists(key)) {
                generate(cert, key, serverName);
            }
        }
        try {
            PrivateFiles.file(key);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot make " + key + " private: " + e.getMessage(), e);
        }
        return fromPem(cert, key);
    }

    private static void generate(Path certFile, Path keyFile, String serverName) {
        try {
            PrivateFiles.directory(certFile.toAbsolutePath().getParent());
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=" + serverName);
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), name, pair.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            sans.add(new GeneralName(GeneralName.dNSName, serverName));
            if (!serverName.equals("localhost")) {
                sans.add(new GeneralName(GeneralName.dNSName, "localhost"));
            }
            sans.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
            sans.add(new GeneralName(GeneralName.iPAddress, "::1"));
            b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans.toArray(GeneralName[]::new)));
            X509CertificateHolder holder = b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            Path keyTmp = keyFile.resolveSibling(keyFile.getFileName() + ".new");
            Path certTmp = certFile.resolveSibling(certFile.getFileName() + ".new");
            Files.deleteIfExists(keyTmp);
            PrivateFiles.file(keyTmp); // 0600 before the key is in it
            Files.writeString(keyTmp, pem(new org.bouncycastle.util.io.pem.PemObject("PRIVATE KEY",
                    pair.getPrivate().getEncoded())), StandardCharsets.US_ASCII); // PKCS#8
            Files.deleteIfExists(certTmp);
            PrivateFiles.file(certTmp);
            Files.writeString(certTmp, pem(holder), StandardCharsets.US_ASCII);
            Files.move(keyTmp, keyFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.move(certTmp, certFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            LOG.info("made a self-signed TLS certificate for {} in {}", serverName, certFile.toAbsolutePath().getParent());
        } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalArgumentException("cannot make a self-signed TLS certificate in "
                    + certFile.toAbsolutePath().getParent() + ": " + e.getMessage(), e);
        }
    }

    private static String pem(Object o) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(o);
        }
        return out.toString();
    }

    private static List<X509Certificate> readChain(Path file) {
        List<X509Certificate> chain = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            JcaX509CertificateConverter conv = new JcaX509CertificateConverter();
            Object o;
            while ((o = p.readObject()) != null) {
                if (o instanceof X509CertificateHolder h) {
                    chain.add(conv.getCertificate(h));
                }
            }
        } catch (IOException | CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the TLS certificate " + file + ": " + e.getMessage(), e);
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("the TLS certificate file " + file + " holds no PEM certificate");
        }
        return chain;
    }

    /** Never puts key material in a message: only the file's name and what kind of object it held. */
    private static PrivateKey readKey(Path file) {
        Object o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser p = new PEMParser(r)) {
            o = p.readObject();
            while (o != null && !(o instanceof PEMKeyPair || o instanceof PrivateKeyInfo || o instanceof PEMEncryptedKeyPair)) {
                o = p.readObject();
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the TLS key " + file + " (not a PEM private key)", e);
        }
        try {
            JcaPEMKeyConverter conv = new JcaPEMKeyConverter();
            return switch (o) {
                case PEMKeyPair kp -> conv.getPrivateKey(kp.getPrivateKeyInfo());
                case PrivateKeyInfo info -> conv.getPrivateKey(info);
                case PEMEncryptedKeyPair ignored -> throw new IllegalArgumentException("the TLS key " + file
                        + " is encrypted; give an unencrypted key (file mode 0600)");
                case null, default -> throw new IllegalArgumentException("the TLS key file " + file
                        + " holds no PEM private key (PKCS#8, RSA or EC)");
            };
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot use the TLS key " + file + ": unsupported key", e);
        }
    }

    /** Signs and verifies a few bytes: the key must belong to the certificate. */
    private static void checkPair(X509Certificate cert, PrivateKey key, Path certFile, Path keyFile) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new IllegalArgumentException("the TLS key " + keyFile + " is a " + key.getAlgorithm()
                    + " key; use RSA or EC");
        };
        try {
            byte[] probe = "parley".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            if (v.verify(sig)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("the TLS key " + keyFile + " does not belong to the certificate " + certFile);
    }

    private static TlsMaterial build(List<X509Certificate> chain, PrivateKey key, String source) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            char[] pw = new char[0];
            ks.setKeyEntry("parley", key, pw, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance("PKIX");
            kmf.init(ks, pw);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), new TrustManager[] {new AnyClientCertificate()}, new SecureRandom());
            return new TlsMaterial(ctx, chain.getFirst(), source);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot use the TLS certificate " + source + ": " + e.getMessage(), e);
        }
    }

    /** The SHA-256 fingerprint of the server's certificate, lower-case hex. */
    public String fingerprint() {
        return fingerprint;
    }

    /** Where the certificate came from (its file). */
    public String source() {
        return source;
    }

    /** The SSL context, for listeners that configure their engines themselves (HTTPS). */
    public SSLContext context() {
        return context;
    }

    /** The cipher suites offered, strongest first. */
    public String[] cipherSuites() {
        return cipherSuites.clone();
    }

    /** A server-side engine for one connection, configured as described above. */
    public SSLEngine newEngine() {
        SSLEngine e = context.createSSLEngine();
        e.setUseClientMode(false);
        e.setSSLParameters(parameters());
        return e;
    }

    /** Wraps an accepted socket as the server side of a TLS connection (closing it closes {@code s}). */
    public SSLSocket wrap(Socket s) throws IOException {
        SSLSocket ssl = (SSLSocket) context.getSocketFactory().createSocket(s, null, s.getPort(), true);
        ssl.setUseClientMode(false);
        ssl.setSSLParameters(parameters());
        return ssl;
    }

    private SSLParameters parameters() {
        SSLParameters p = context.getDefaultSSLParameters();
        p.setProtocols(PROTOCOLS.toArray(String[]::new));
        p.setCipherSuites(cipherSuites);
        p.setUseCipherSuitesOrder(true);
        p.setWantClientAuth(true);
        return p;
    }

    /** Lower-case hex SHA-256 of a certificate's DER encoding; null for null. */
    public static String fingerprint(Certificate cert) {
        if (cert == null) {
            return null;
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(cert.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Accepts any client certificate: it only identifies (by fingerprint), it is never trusted as a CA chain. */
    private static final class AnyClientCertificate extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("a server does not check servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
