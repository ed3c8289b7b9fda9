package dev.parley.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.TestClient;
import dev.parley.server.config.EngineKind;
import dev.parley.server.config.ServerConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /metrics (checked line by line as the Prometheus text format), /healthz, /readyz, the page, HTTPS. */
class HttpEndpointsTest {
    private final ServerFixture fx = new ServerFixture();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @AfterEach
    void tearDown() {
        fx.close();
    }

    private static ServerConfig.Builder config() {
        return ServerFixture.config(EngineKind.VIRTUAL).httpPort(0);
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    // ---- a Prometheus text-format reader, strict enough to catch a malformed exposition ----

    private static final Pattern SAMPLE = Pattern.compile(
            "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{((?:[a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*)\\})? "
                    + "(-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One sample: its name, labels and value. */
    private record Sample(String name, Map<String, String> labels, double value) {
    }

    /** Parses an exposition; every sample's family must have been declared by # TYPE before it. */
    private static List<Sample> parse(String text) {
        Map<String, String> types = new HashMap<>();
        List<Sample> out = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                String[] p = line.split(" ");
                assertThat(p).as("TYPE line: %s", line).hasSize(4);
                assertThat(p[3]).isIn("counter", "gauge", "summary", "histogram", "untyped");
                types.put(p[2], p[3]);
                continue;
            }
            if (line.startsWith("#")) {
                assertThat(line).as("comment line").startsWith("# HELP ");
                continue;
            }
            Matcher m = SAMPLE.matcher(line);
            assertThat(m.matches()).as("sample line: %s", line).isTrue();
            String name = m.group(1);
            String family = types.keySet().stream().filter(f -> name.equals(f) || name.startsWith(f + "_"))
                    .findFirst().orElse(null);
            assertThat(family).as("declared family of %s", name).isNotNull();
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(3) != null) {
                Matcher l = LABEL.matcher(m.group(3));
                while (l.find()) {
                    labels.put(l.group(1), l.group(2));
                }
            }
            out.add(new Sample(name, labels, Double.parseDouble(m.group(4).replace("+Inf", "Infinity"))));
        }
        return out;
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .mapToDouble(Sample::value).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name + labels));
    }

    @Test
    void metricsAreValidPrometheusTextAndMoveWithTraffic() throws Exception {
        ParleyServer s = fx.start(config().build());
        int port = s.httpDoor().httpPort();
        HttpResponse<String> first = get(port, "/metrics");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        List<Sample> before = parse(first.body());
        double linesIn = value(before, "parley_lines_in_total", Map.of());
        double registrations = value(before, "parley_registrations_total", Map.of());

        TestClient a = fx.register(s, "alice");
        TestClient b = fx.register(s, "bob");
        a.send("JOIN #m");
        b.send("JOIN #m");
        a.expect("366");
        b.expect("366");
        a.send("PRIVMSG #m :counted");
        b.expect("PRIVMSG");
        try (WsClient web = WsClient.connect("ws://127.0.0.1:" + port + HttpDoor.IRC_PATH, null, "text.ircv3.net")) {
            web.register("webby");
            Thread.sleep(1100); // the per-scrape census of connections is at most a second old
            List<Sample> after = parse(get(port, "/metrics").body());
            assertThat(value(after, "parley_lines_in_total", Map.of())).isGreaterThan(linesIn + 8);
            assertThat(value(after, "parley_registrations_total", Map.of())).isEqualTo(registrations + 3);
            assertThat(value(after, "parley_users", Map.of())).isEqualTo(3);
            assertThat(value(after, "parley_connections", Map.of("transport", "websocket", "engine", "virtual"))).isEqualTo(1);
            assertThat(value(after, "parley_connections", Map.of("transport", "tcp"))).isEqualTo(2);
            assertThat(value(after, "parley_lines_out_total", Map.of())).isPositive();
            assertThat(value(after, "jvm_memory_used_bytes", Map.of("area", "heap"))).isPositive();
            assertThat(after).anyMatch(x -> x.name().startsWith("jvm_threads_live"));
            assertThat(after).anyMatch(x -> x.name().equals("parley_history_queue_depth"));
            assertThat(after).anyMatch(x -> x.name().equals("parley_login_failures_total"));
            assertThat(after).anyMatch(x -> x.name().equals("parley_bans_hit_total"));
            assertThat(after).anyMatch(x -> x.name().equals("parley_sendq_bytes"));
        }
    }

    @Test
    void readinessFlipsWhilePausedAndDuringShutdownAndLivenessStaysUp() throws Exception {
        ParleyServer s = fx.start(config().shutdownGrace(Duration.ofSeconds(4)).build());
        int port = s.httpDoor().httpPort();
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);
        s.pause();
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(503);
        assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
        s.resume();
        assertThat(get(port, "/readyz").statusCode()).isEqualTo(200);

        // a client that never closes its side holds the shutdown in its grace period
        java.net.Socket stubborn = TestClient.rawSocket(s.port());
        stubborn.getOutputStream().write("NICK stubborn\r\nUSER s 0 * :s\r\n".getBytes());
        Thread down = Thread.ofVirtual().start(() -> s.shutdown("maintenance"));
        int seen = 200;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (seen != 503 && System.nanoTime() < deadline) {
            try {
                seen = get(port, "/readyz").statusCode();
            } catch (ConnectException e) {
                break;
            }
        }
        assertThat(seen).isEqualTo(503);
        down.join();
        stubborn.close();
    }

    @Test
    void metricsCanHaveAListenerOfTheirOwn() throws Exception {
        ParleyServer s = fx.start(config().metricsPort(0).build());
        int web = s.httpDoor().httpPort();
        int metrics = s.httpDoor().metricsPort();
        assertThat(get(web, "/metrics").statusCode()).isEqualTo(404);
        assertThat(get(metrics, "/metrics").statusCode()).isEqualTo(200);
        assertThat(get(metrics, "/readyz").statusCode()).isEqualTo(200);
        assertThat(get(metrics, "/").statusCode()).isEqualTo(404);
        assertThat(get(web, "/").statusCode()).isEqualTo(200);
    }

    @Test
    void thePageIsServedWithSafeHeadersAndNothingOutsideItsDirectory() throws Exception {
        ParleyServer s = fx.start(config().build());
        int port = s.httpDoor().httpPort();
        HttpResponse<String> page = get(port, "/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.body()).containsIgnoringCase("parley");
        assertThat(get(port, "/../../etc/passwd").statusCode()).isIn(400, 404);
        assertThat(get(port, "/dev/parley/server/ParleyServer.class").statusCode()).isEqualTo(404);
        assertThat(get(port, "/no-such-file.js").statusCode()).isEqualTo(404);
    }

    @Test
    void httpsServesTheSameWithTheTlsCertificate() throws Exception {
        ParleyServer s = fx.start(config().httpPort(-1).httpsPort(0).tlsPort(0)
                .dataDir(java.nio.file.Files.createTempDirectory("parley-https")).build());
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
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
        }}, null);
        // the self-signed certificate names the server, not 127.0.0.1
        System.setProperty("jdk.internal.httpclient.disableHostnameVerification", "true");
        HttpClient https = HttpClient.newBuilder().sslContext(trustAll).build();
        HttpResponse<String> r = https.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + s.httpDoor().httpsPort() + "/readyz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("ready\n");
    }
}
