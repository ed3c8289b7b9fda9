package dev.parley.chat;

import java.io.IOException;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The client certificate ({@code --client-cert}, {@code --client-key}) presented in the TLS
 * handshake: a certificate chain and its private key, read from PEM (the key as PKCS#8
 * {@code PRIVATE KEY} or as a traditional {@code RSA PRIVATE KEY} / {@code EC PRIVATE KEY}).
 * The key never appears in a message or in {@link #toString}. Immutable; any thread.
 */
final class ClientIdentity {
    private static final String ALIAS = "client";
    /** Private key algorithms by OID, for the JDK's key factories. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
            "1.2.840.113549.1.1.1", "RSA",
            "1.2.840.113549.1.1.10", "RSASSA-PSS",
            "1.2.840.10045.2.1", "EC",
            "1.3.101.112", "Ed25519",
            "1.3.101.113", "Ed448");

    private final X509Certificate[] chain;
    private final PrivateKey key;

    private ClientIdentity(List<X509Certificate> chain, PrivateKey key) {
        this.chain = chain.toArray(X509Certificate[]::new);
        this.key = key;
    }

    /**
     * Reads the certificate (and, when {@code keyFile} is null, the key) from {@code certFile}.
     *
     * @throws IllegalArgumentException with a one-line reason that names the file, never its contents
     */
    static ClientIdentity load(Path certFile, Path keyFile) {
        Contents certs = read(certFile, "--client-cert");
        if (certs.certificates.isEmpty()) {
            throw new IllegalArgumentException("--client-cert " + certFile + " holds no PEM certificate"
                    + " (-----BEGIN CERTIFICATE-----)");
        }
        PrivateKey key;
        if (keyFile == null) {
            if (certs.key == null) {
                throw new IllegalArgumentException("--client-cert " + certFile + " holds no private key;"
                        + " put the key in the same file or give it with --client-key");
            }
            key = certs.key;
        } else {
            Contents keys = read(keyFile, "--client-key");
            if (keys.key == null) {
                throw new IllegalArgumentException("--client-key " + keyFile + " holds no PEM private key");
            }
            key = keys.key;
        }
        if (!matches(key, certs.certificates.get(0))) {
            throw new IllegalArgumentException("the private key does not belong to the certificate in " + certFile);
        }
        return new ClientIdentity(certs.certificates, key);
    }

    X509Certificate certificate() {
        return chain[0];
    }

    /** A key manager that offers this certificate whatever issuers the server names. */
    X509ExtendedKeyManager keyManager() {
        return new KeyManager();
    }

    @Override
    public String toString() {
        return "ClientIdentity[" + chain[0].getSubjectX500Principal().getName() + ", SHA-256 "
                + Fingerprint.of(chain[0]) + ", key hidden]";
    }

    private record Contents(List<X509Certificate> certificates, PrivateKey key) {
    }

    private static Contents read(Path file, String option) {
        List<X509Certificate> certs = new ArrayList<>();
        PrivateKey key = null;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            Object o;
            while ((o = pem.readObject()) != null) {
                switch (o) {
                    case X509CertificateHolder h -> certs.add((X509Certificate) cf.generateCertificate(
                            new java.io.ByteArrayInputStream(h.getEncoded())));
                    case PEMKeyPair pair -> key = key(pair.getPrivateKeyInfo(), file, option);
                    case PrivateKeyInfo info -> key = key(info, file, option);
                    case PEMEncryptedKeyPair e -> throw encrypted(file, option);
                    case PKCS8EncryptedPrivateKeyInfo e -> throw encrypted(file, option);
                    default -> {
                        // other PEM blocks (parameters, CSRs) are not ours to use
                    }
                }
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(option + " " + file + " does not exist");
        } catch (IOException | CertificateException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae && iae.getMessage() != null
                    && iae.getMessage().startsWith(option)) {
                throw iae;
            }
            throw new IllegalArgumentException("cannot read " + option + " " + file + ": not a readable PEM file");
        }
        return new Contents(certs, key);
    }

    private static PrivateKey key(PrivateKeyInfo info, Path file, String option) {
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String algorithm = KEY_ALGORITHMS.get(oid);
        if (algorithm == null) {
            throw new IllegalArgumentException(option + " " + file + ": unsupported key type (OID " + oid
                    + "); use RSA, EC or Ed25519");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(option + " " + file + ": the " + algorithm + " private key cannot be read");
        }
    }

    private static IllegalArgumentException encrypted(Path file, String option) {
        return new IllegalArgumentException(option + " " + file + ": the private key is encrypted, which is not"
                + " supported; write an unencrypted copy readable only by you (openssl pkey -in KEY -out KEY2)");
    }

    /** The key signs something the certificate's public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate cert) {
        String alg = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (alg == null) {
            return true; // no simple check; the handshake will tell
        }
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(alg);
            signer.initSign(key);
            signer.update(challenge);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance(alg);
            verifier.initVerify(cert.getPublicKey());
            verifier.update(challenge);
            return verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** Offers the one certificate for any key type it can serve. */
    private final class KeyManager extends X509ExtendedKeyManager {
        private boolean fits(String[] keyTypes) {
            if (keyTypes == null) {
                return true;
            }
            for (String t : keyTypes) {
                if (t.equalsIgnoreCase(key.getAlgorithm())
                        || (t.equalsIgnoreCase("EdDSA") && key.getAlgorithm().startsWith("Ed"))) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            return fits(keyTypes) ? ALIAS : null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return fits(keyTypes) ? ALIAS : null;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return fits(new String[] {keyType}) ? new String[] {ALIAS} : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
