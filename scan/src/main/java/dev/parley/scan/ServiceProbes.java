package dev.parley.scan;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The table service detection works from, written for Parley: what to send to a port that
 * says nothing first ({@link #PROBES}), and how to read what comes back ({@link #RULES}).
 * Every probe is harmless: a greeting read, {@code HEAD /}, a TLS handshake, a Redis
 * {@code PING}, a PostgreSQL {@code SSLRequest}. Pure data and matching; no I/O here, so any
 * thread may use it.
 */
final class ServiceProbes {
    private ServiceProbes() {
    }

    /** What to send to a silent port; {@code tls} is the TLS handshake itself, done by the detector. */
    record Probe(String name, byte[] payload, boolean tls) {
    }

    /**
     * One way to recognise an answer.
     *
     * @param probe   the probe whose answer it reads ({@code greeting}: what the service said unasked)
     * @param pattern matched against the answer as ISO-8859-1 text, from its start
     * @param service the service it means
     * @param product the product, or {@code $1}…{@code $9} for a group; null when unknown
     * @param version the version, or a group; null when unknown
     * @param extra   extra information, or a group; null when none
     */
    record Rule(String probe, Pattern pattern, String service, String product, String version, String extra) {
        Rule(String probe, String regex, String service, String product, String version, String extra) {
            this(probe, Pattern.compile(regex, Pattern.DOTALL), service, product, version, extra);
        }
    }

    /** Ports where TLS is tried before plain HTTP. */
    static final Set<Integer> TLS_FIRST = Set.of(443, 465, 563, 636, 853, 989, 990, 992, 993, 994, 995, 4443, 5061,
            6697, 8443, 9443, 10443);

    static final Probe HTTP = new Probe("http", "HEAD / HTTP/1.0\r\nUser-Agent: parley-scan\r\nAccept: */*\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII), false);
    static final Probe TLS = new Probe("tls", new byte[0], true);
    static final Probe REDIS = new Probe("redis", "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII), false);
    /** PostgreSQL's SSLRequest: length 8, code 80877103; the server answers one byte, S or N. */
    static final Probe POSTGRES = new Probe("postgresql", new byte[] {0, 0, 0, 8, 0x04, (byte) 0xd2, 0x16, 0x2f}, false);

    /** The probes for a port that said nothing, in the order they are tried. */
    static List<Probe> forSilentPort(int port) {
        return TLS_FIRST.contains(port) ? List.of(TLS, HTTP, REDIS, POSTGRES) : List.of(HTTP, TLS, REDIS, POSTGRES);
    }

    static final List<Rule> RULES = List.of(
            // what services say first
            new Rule("greeting", "^SSH-([\\d.]+)-([A-Za-z]+)[_-]([\\w.]+)(?: ([^\\r\\n]+))?", "ssh", "$2", "$3", "$4"),
            new Rule("greeting", "^SSH-([\\d.]+)-([^\\s\\r\\n]+)", "ssh", "$2", null, null),
            new Rule("greeting", "^220[ -][^\\r\\n]*?\\bE?SMTP\\b ?(Postfix|Exim|Sendmail|Microsoft ESMTP MAIL Service|OpenSMTPD|"
                    + "qmail|MailEnable|hMailServer)?[ /]?([\\d][\\w.]*)?", "smtp", "$1", "$2", null),
            new Rule("greeting", "^220[ -][^\\r\\n]*?\\((vsFTPd) ([\\w.]+)\\)", "ftp", "$1", "$2", null),
            new Rule("greeting", "^220[ -][^\\r\\n]*?(ProFTPD) ([\\w.]+)", "ftp", "$1", "$2", null),
            new Rule("greeting", "^220[ -][^\\r\\n]*?(Pure-FTPd|FileZilla Server)(?: version)? ?([\\d][\\w.]*)?", "ftp",
                    "$1", "$2", null),
            new Rule("greeting", "^220[ -][^\\r\\n]*?\\bFTP\\b", "ftp", null, null, null),
            new Rule("greeting", "^\\+OK[^\\r\\n]*?(Dovecot)", "pop3", "$1", null, null),
            new Rule("greeting", "^\\+OK", "pop3", null, null, null),
            new Rule("greeting", "^\\* OK[^\\r\\n]*?(Dovecot|Cyrus IMAP|Courier-IMAP)(?: v?([\\d][\\w.]*))?", "imap", "$1",
                    "$2", null),
            new Rule("greeting", "^\\* OK", "imap", null, null, null),
            // MySQL/MariaDB: 3-byte length, sequence 0, protocol 10, then the version, NUL-terminated
            new Rule("greeting", "^...\\x00\\x0a(5\\.5\\.5-)?([\\d.]+)-(MariaDB)[^\\x00]*\\x00", "mysql", "$3", "$2", null),
            new Rule("greeting", "^...\\x00\\x0a([\\d.]+[^\\x00]*)\\x00", "mysql", "MySQL", "$1", null),
            new Rule("greeting", "^:[^ ]+ (NOTICE|020) [^\\r\\n]*", "irc", null, null, null),
            new Rule("greeting", "^220[ -]", "smtp", null, null, null),
            // answers to probes
            new Rule("http", "^HTTP/1\\.[01] \\d{3}.*?\\r?\\nServer: ?([^/\\r\\n ]+)/([\\w.-]+)(?: ([^\\r\\n]+))?", "http", "$1",
                    "$2", "$3"),
            new Rule("http", "^HTTP/1\\.[01] \\d{3}.*?\\r?\\nServer: ?([^\\r\\n]+)", "http", "$1", null, null),
            new Rule("http", "^HTTP/1\\.[01] \\d{3}", "http", null, null, null),
            new Rule("redis", "^(\\+PONG|-NOAUTH|-DENIED|-ERR)", "redis", "Redis", null, null),
            new Rule("postgresql", "^[SN]$", "postgresql", "PostgreSQL", null, null));

    /** The first rule of {@code probe} that matches {@code answer}, as a result; null when none does. */
    static ServiceInfo match(String probe, byte[] answer) {
        if (answer == null || answer.length == 0) {
            return null;
        }
        String text = new String(answer, StandardCharsets.ISO_8859_1);
        for (Rule r : RULES) {
            if (!r.probe().equals(probe)) {
                continue;
            }
            Matcher m = r.pattern().matcher(text);
            if (m.find()) {
                return new ServiceInfo(r.service(), fill(r.product(), m), fill(r.version(), m), fill(r.extra(), m));
            }
        }
        return null;
    }

    /** A template with {@code $n} replaced by group n; null when the template or the group is empty. */
    private static String fill(String template, Matcher m) {
        if (template == null) {
            return null;
        }
        if (template.length() == 2 && template.charAt(0) == '$') {
            int group = template.charAt(1) - '0';
            String g = group <= m.groupCount() ? m.group(group) : null;
            return g == null || g.isBlank() ? null : printable(g.strip());
        }
        return template;
    }

    /** Answers are untrusted: only printable ASCII is kept, and not too much of it. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '.');
        }
        return b.toString();
    }

    /** {@code https} for {@code http} over TLS; the name for a TLS service whose inner protocol is unknown is {@code ssl}. */
    static String overTls(String service) {
        return service == null ? "ssl" : service.toLowerCase(Locale.ROOT).equals("http") ? "https" : service + "s";
    }
}
