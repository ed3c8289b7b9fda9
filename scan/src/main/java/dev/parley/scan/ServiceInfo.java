package dev.parley.scan;

/**
 * What service detection ({@code -sV}) learned about an open port.
 *
 * @param service the protocol it speaks ({@code ssh}, {@code http}, {@code https}, {@code mysql} …)
 * @param product the software, when the answer names it ({@code OpenSSH}, {@code nginx}); may be null
 * @param version its version, when the answer says; may be null
 * @param extra   anything else worth showing (a TLS certificate's subject and expiry, an OS
 *                hint); may be null
 */
record ServiceInfo(String service, String product, String version, String extra) {
    /** {@code OpenSSH 9.2p1 (Debian-2)}: product, version and extra, as far as known; empty when none. */
    String describe() {
        StringBuilder b = new StringBuilder();
        if (product != null) {
            b.append(product);
        }
        if (version != null) {
            b.append(b.isEmpty() ? "" : " ").append(version);
        }
        if (extra != null) {
            b.append(b.isEmpty() ? "" : " ").append('(').append(extra).append(')');
        }
        return b.toString();
    }
}
