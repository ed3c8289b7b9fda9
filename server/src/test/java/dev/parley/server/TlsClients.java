package dev.parley.server;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** Client-side TLS for tests: a context that trusts any server (the test servers' certificates are self-signed). */
final class TlsClients {
    private static volatile SSLContext trustingAny;

    private TlsClients() {
    }

    static SSLContext trustingAny() {
        SSLContext c = trustingAny;
        if (c == null) {
            c = make();
            trustingAny = c;
        }
        return c;
    }

    private static SSLContext make() {
        try {
            SSLContext c = SSLContext.getInstance("TLS");
            c.init(null, new TrustManager[] {new X509TrustManager() {
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
            }}, new SecureRandom());
            return c;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
