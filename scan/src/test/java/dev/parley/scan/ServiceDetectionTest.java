package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/**
 * {@code -sV}: the probe table on recorded answers, and real detection of servers this test
 * starts on loopback: an HTTP server, an SSH-like greeting and a TLS server with a certificate
 * made by {@code keytool} for the test.
 */
class ServiceDetectionTest {
    private final Listeners listeners = new Listeners();
    private final InetAddress lo = InetAddress.getLoopbackAddress();
    private HttpServer http;
    private SSLServerSocket tls;

    @AfterEach
    void stop() throws Exception {
        listeners.close();
        if (http != null) {
            http.stop(0);
        }
        if (tls != null) {
            tls.close();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "greeting|SSH-2.0-OpenSSH_9.2p1 Debian-2\\r\\n|ssh|OpenSSH|9.2p1|Debian-2",
            "greeting|SSH-2.0-dropbear_2022.83\\r\\n|ssh|dropbear|2022.83|",
            "greeting|220 mail.example ESMTP Postfix (Debian/GNU)\\r\\n|smtp|Postfix||",
            "greeting|220 mx.example ESMTP Exim 4.96 Sat, 05 Dec 2026\\r\\n|smtp|Exim|4.96|",
            "greeting|220 (vsFTPd 3.0.3)\\r\\n|ftp|vsFTPd|3.0.3|",
            "greeting|220 ProFTPD 1.3.8 Server (Debian)\\r\\n|ftp|ProFTPD|1.3.8|",
            "greeting|+OK Dovecot (Debian) ready.\\r\\n|pop3|Dovecot||",
            "greeting|* OK [CAPABILITY IMAP4rev1] Dovecot (Debian) ready.\\r\\n|imap|Dovecot||",
            "greeting|:irc.example NOTICE * :*** Looking up your hostname...\\r\\n|irc|||",
            "http|HTTP/1.1 200 OK\\r\\nServer: nginx/1.22.1\\r\\n\\r\\n|http|nginx|1.22.1|",
            "http|HTTP/1.0 200 OK\\r\\nServer: SimpleHTTP/0.6 Python/3.11.2\\r\\n\\r\\n|http|SimpleHTTP|0.6|Python/3.11.2",
            "http|HTTP/1.1 404 Not Found\\r\\nServer: Microsoft-IIS/10.0\\r\\n\\r\\n|http|Microsoft-IIS|10.0|",
            "http|HTTP/1.1 200 OK\\r\\nContent-Length: 0\\r\\n\\r\\n|http|||",
            "redis|+PONG\\r\\n|redis|Redis||",
            "redis|-NOAUTH Authentication required.\\r\\n|redis|Redis||",
            "postgresql|N|postgresql|PostgreSQL||"})
    void theTableReadsWhatServicesSay(String probe, String answer, String service, String product, String version,
                                      String extra) {
        ServiceInfo info = ServiceProbes.match(probe, answer.replace("\\r", "\r").replace("\\n", "\n")
                .getBytes(StandardCharsets.ISO_8859_1));

        assertThat(info).isEqualTo(new ServiceInfo(service, product, version, extra));
    }

    @Test
    void mysqlAndMariadbGreetingsNameTheirVersion() {
        assertThat(ServiceProbes.match("greeting", mysqlGreeting("8.0.35"))).isEqualTo(
                new ServiceInfo("mysql", "MySQL", "8.0.35", null));
        assertThat(ServiceProbes.match("greeting", mysqlGreeting("5.5.5-10.11.4-MariaDB-1~deb12u1"))).isEqualTo(
                new ServiceInfo("mysql", "MariaDB", "10.11.4", null));
        assertThat(ServiceProbes.match("greeting", "nothing known".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    private static byte[] mysqlGreeting(String version) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        int length = 1 + v.length + 1 + 20;
        b.write(length);
        b.write(0);
        b.write(0);
        b.write(0);
        b.write(10);
        b.writeBytes(v);
        b.write(0);
        b.writeBytes(new byte[20]);
        return b.toByteArray();
    }

    @Test
    void realServersAreRecognisedWithProductAndVersion(@TempDir Path dir) throws Exception {
        int ssh = listeners.greeting(lo, "SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n").getLocalPort();
        http = HttpServer.create(new InetSocketAddress(lo, 0), 16);
        http.createContext("/", exchange -> {
            exchange.getResponseHeaders().set("Server", "TestHTTP/1.2");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        http.start();
        int web = http.getAddress().getPort();
        tls = tlsServer(dir);
        int secure = tls.getLocalPort();
        int silent = listeners.silent(lo).getLocalPort();

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ScanCommand command = new ScanCommand();
        command.stderrIsTerminal = () -> false;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("127.0.0.1", "-p", ssh + "," + web + "," + secure + "," + silent, "-sV",
                "--banner-timeout", "500", "--format", "json", "--no-progress");

        assertThat(code).as(err.toString()).isZero();
        Map<String, Object> doc = JsonTree.object(out.toString());
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> ports = (List<Map<String, Object>>) ((List<Map<String, Object>>) doc.get("hosts"))
                .get(0).get("ports");
        Map<Integer, Map<String, Object>> byPort = new java.util.HashMap<>();
        ports.forEach(p -> byPort.put(((Number) p.get("port")).intValue(), p));
        assertThat(byPort.get(ssh)).containsEntry("service", "ssh").containsEntry("product", "OpenSSH")
                .containsEntry("version", "9.2p1").containsEntry("extra", "Debian-2");
        assertThat(byPort.get(web)).containsEntry("service", "http").containsEntry("product", "TestHTTP")
                .containsEntry("version", "1.2");
        assertThat(byPort.get(secure)).containsEntry("service", "https").containsEntry("product", "TinyTLS")
                .containsEntry("version", "0.9");
        assertThat((String) byPort.get(secure).get("extra")).startsWith("cert CN=scan-test.example, expires 20")
                .contains("TLSv1.");
        assertThat(byPort.get(silent)).containsEntry("state", "open").doesNotContainKey("product");
    }

    /** A TLS server on loopback with a fresh self-signed certificate; answers HTTP with {@code Server: TinyTLS/0.9}. */
    private static SSLServerSocket tlsServer(Path dir) throws Exception {
        Path store = dir.resolve("test.p12");
        String javaBinary = ProcessHandle.current().info().command().orElseThrow();
        Path keytool = Path.of(javaBinary).resolveSibling("keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-keystore", store.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-alias", "test", "-keyalg", "EC",
                "-dname", "CN=scan-test.example", "-validity", "30").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(store)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory()
                .createServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket c = server.accept()) {
                    c.setSoTimeout(5000);
                    InputStream in = c.getInputStream();
                    byte[] buf = new byte[1024];
                    StringBuilder request = new StringBuilder();
                    int n;
                    while (!request.toString().contains("\r\n\r\n") && (n = in.read(buf)) > 0) {
                        request.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    }
                    OutputStream out = c.getOutputStream();
                    out.write("HTTP/1.0 200 OK\r\nServer: TinyTLS/0.9\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // a plain-text probe or a client gone: next one
                }
            }
        });
        return server;
    }
}
