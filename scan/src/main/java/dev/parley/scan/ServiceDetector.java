package dev.parley.scan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.ZoneOffset;
import java.util.List;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Service detection for one open port ({@code -sV}): reads what the service says unasked;
 * when it says nothing, tries the {@link ServiceProbes#forSilentPort probes} one connection
 * each, and reads the answers through the {@link ServiceProbes#RULES rules}. TLS is a real
 * handshake (with SNI when the host was given by name) that trusts any certificate, since
 * it only reads the certificate's subject and expiry. Blocking I/O: each call runs on a
 * virtual thread of its own ({@link DetectingWriter}); the detector itself holds no state.
 */
final class ServiceDetector {
    /** Bytes read from one answer at most. */
    static final int MAX_ANSWER = 4096;
    /** Once an answer has started, how long a pause ends it. */
    private static final int QUIET_MILLIS = 150;

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final SSLContext trustAll;

    ServiceDetector(long connectTimeoutMillis, long readTimeoutMillis) {
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, connectTimeoutMillis);
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, readTimeoutMillis);
        try {
            trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[] {new TrustAll()}, null);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS here: " + e.getMessage(), e);
        }
    }

    /** What runs on {@code port}; null when nothing was recognised. */
    ServiceInfo detect(ScanHost host, int port) {
        byte[] greeting = exchange(host, port, null);
        if (greeting.length > 0) {
            return ServiceProbes.match("greeting", greeting);
        }
        for (ServiceProbes.Probe probe : ServiceProbes.forSilentPort(port)) {
            ServiceInfo info = probe.tls() ? tls(host, port) : ServiceProbes.match(probe.name(),
                    exchange(host, port, probe.payload()));
            if (info != null) {
                return info;
            }
        }
        return null;
    }

    private Socket connect(ScanHost host, int port) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host.address(), port), connectTimeoutMillis);
            s.setSoTimeout(readTimeoutMillis);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends {@code payload} (when not null) on a fresh connection and returns what comes back (empty on silence or error). */
    private byte[] exchange(ScanHost host, int port, byte[] payload) {
        try (Socket s = connect(host, port)) {
            if (payload != null) {
                s.getOutputStream().write(payload);
                s.getOutputStream().flush();
            }
            return read(s, s.getInputStream());
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /** Reads until the peer closes, pauses after speaking, or {@link #MAX_ANSWER} bytes came. */
    private static byte[] read(Socket s, InputStream in) throws IOException {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[1024];
        try {
            while (got.size() < MAX_ANSWER) {
                int n = in.read(buf, 0, Math.min(buf.length, MAX_ANSWER - got.size()));
                if (n < 0) {
                    break;
                }
                got.write(buf, 0, n);
                s.setSoTimeout(QUIET_MILLIS);
            }
        } catch (SocketTimeoutException e) {
            // silence: the answer (if any) is complete
        }
        return got.toByteArray();
    }

    /** A TLS handshake: the certificate's subject and expiry, and what speaks inside (HTTP or not). */
    private ServiceInfo tls(ScanHost host, int port) {
        try (Socket plain = connect(host, port);
             SSLSocket s = (SSLSocket) trustAll.getSocketFactory().createSocket(plain,
                     host.name() != null ? host.name() : host.addressText(), port, true)) {
            SSLParameters p = s.getSSLParameters();
            if (host.name() != null && !host.name().isEmpty() && !Character.isDigit(host.name().charAt(0))
                    && !host.name().contains(":")) {
                p.setServerNames(List.of(new SNIHostName(host.name())));
            }
            s.setSSLParameters(p);
            s.setSoTimeout(readTimeoutMillis);
            s.startHandshake();
            String extra = s.getSession().getProtocol();
            Certificate[] chain = s.getSession().getPeerCertificates();
            if (chain.length > 0 && chain[0] instanceof X509Certificate x) {
                extra = "cert " + commonName(x) + ", expires "
                        + x.getNotAfter().toInstant().atZone(ZoneOffset.UTC).toLocalDate() + ", " + extra;
            }
            OutputStream out = s.getOutputStream();
            out.write(ServiceProbes.HTTP.payload());
            out.flush();
            ServiceInfo inner = ServiceProbes.match("http", read(s, s.getInputStream()));
            if (inner == null) {
                return new ServiceInfo("ssl", null, null, ServiceProbes.printable(extra));
            }
            return new ServiceInfo("https", inner.product(), inner.version(), ServiceProbes.printable(extra));
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** {@code CN=example.org} from the subject, else the whole subject. */
    static String commonName(X509Certificate cert) {
        String subject = cert.getSubjectX500Principal().getName();
        try {
            for (Rdn rdn : new LdapName(subject).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return "CN=" + rdn.getValue();
                }
            }
        } catch (InvalidNameException e) {
            // fall through
        }
        return new String(subject.getBytes(StandardCharsets.UTF_8), StandardCharsets.US_ASCII);
    }

    /** Accepts every certificate: detection only reads them, it sends nothing secret. */
    private static final class TrustAll implements X509TrustManager {
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
    }
}
