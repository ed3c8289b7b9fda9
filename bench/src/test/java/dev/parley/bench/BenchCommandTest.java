package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.parley.server.ParleyServer;
import dev.parley.server.ServerFixture;
import dev.parley.server.config.EngineKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

class BenchCommandTest {
    private final ServerFixture fixture = new ServerFixture();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @AfterEach
    void stop() {
        fixture.close();
    }

    private int run(String... args) {
        CommandLine cl = new CommandLine(new BenchCommand());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private ParleyServer parley() throws IOException {
        return fixture.start(ServerFixture.config(EngineKind.VIRTUAL).build());
    }

    private static String self() {
        return Long.toString(ProcessHandle.current().pid());
    }

    @Test
    void floodOverTlsAgainstParleyLosesNothing() throws Exception {
        ParleyServer s = fixture.start(ServerFixture.config(EngineKind.NIO).port(-1).tlsPort(0).build());
        int code = run("--port", Integer.toString(s.tlsPort()), "--tls", "--clients", "6", "--senders", "3", "--flood",
                "--duration", "1s", "--warmup", "200ms", "--format", "json", "-q");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("setup").path("ready").asInt()).isEqualTo(6);
        JsonNode c = r.path("correctness");
        assertThat(c.path("expected").asLong()).isPositive();
        assertThat(c.path("received").asLong()).isEqualTo(c.path("expected").asLong());
        assertThat(c.path("missing").asLong()).isZero();
        assertThat(c.path("outOfOrder").asLong()).isZero();
        assertThat(r.path("disconnects").size()).isZero();
    }

    @ParameterizedTest
    @EnumSource(value = EngineKind.class, names = {"VIRTUAL", "NIO"})
    void floodOverWebSocketAgainstParleyLosesNothing(EngineKind engine) throws Exception {
        ParleyServer s = fixture.start(ServerFixture.config(engine).httpPort(0).build());
        int port = s.httpDoor().httpPort();
        int code = run("--port", Integer.toString(port), "--websocket", "--clients", "8", "--senders", "3", "--flood",
                "--payload", "200", "--duration", "1s", "--warmup", "200ms", "--format", "json", "-q");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("server").asText()).isEqualTo("ws://127.0.0.1:" + port + "/irc");
        assertThat(r.path("setup").path("ready").asInt()).isEqualTo(8);
        assertThat(r.path("load").path("deliveries").asLong()).isPositive();
        JsonNode c = r.path("correctness");
        assertThat(c.path("expected").asLong()).isPositive();
        assertThat(c.path("received").asLong()).isEqualTo(c.path("expected").asLong());
        assertThat(c.path("missing").asLong()).isZero();
        assertThat(c.path("duplicated").asLong()).isZero();
        assertThat(c.path("outOfOrder").asLong()).isZero();
        assertThat(r.path("disconnects").size()).isZero();
    }

    @Test
    void idleOverWebSocketHoldsItsClients() throws Exception {
        ParleyServer s = fixture.start(ServerFixture.config(EngineKind.VIRTUAL).httpPort(0).build());
        int code = run("--port", Integer.toString(s.httpDoor().httpPort()), "--websocket", "--clients", "20",
                "--channels", "2", "--idle", "--duration", "300ms", "--warmup", "0s", "-q");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("ws://127.0.0.1:", "20 ready, 0 failed", "disconnects:     none");
    }

    @Test
    void aRefusedWebSocketUpgradeIsASetupFailureWithItsStatus() throws Exception {
        ParleyServer s = fixture.start(ServerFixture.config(EngineKind.VIRTUAL).httpPort(0).build());
        int code = run("--port", Integer.toString(s.httpDoor().httpPort()), "--websocket", "--websocket-path", "/nothing",
                "--clients", "3", "--senders", "1", "-q");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).contains("WebSocket upgrade refused: HTTP 404").hasLineCount(1);
    }

    @Test
    void floodSmokeRunAgainstParleyLosesNothing() throws Exception {
        ParleyServer s = parley();
        int code = run("--port", Integer.toString(s.port()), "--clients", "6", "--senders", "3", "--flood",
                "--duration", "1s", "--warmup", "200ms", "--server-pid", self(), "--format", "json", "-q");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("mode").asText()).isEqualTo("flood");
        assertThat(r.path("setup").path("ready").asInt()).isEqualTo(6);
        assertThat(r.path("load").path("messagesSent").asLong()).isPositive();
        assertThat(r.path("load").path("deliveries").asLong()).isPositive();
        JsonNode c = r.path("correctness");
        assertThat(c.path("expected").asLong()).isPositive();
        assertThat(c.path("received").asLong()).isEqualTo(c.path("expected").asLong());
        assertThat(c.path("missing").asLong()).isZero();
        assertThat(c.path("duplicated").asLong()).isZero();
        assertThat(c.path("outOfOrder").asLong()).isZero();
        assertThat(r.path("disconnects").size()).isZero();
        assertThat(r.path("serverProcess").path("cpuSeconds").isNumber()).isTrue();
        assertThat(r.path("load").path("latency").path("p99").asDouble())
                .isGreaterThanOrEqualTo(r.path("load").path("latency").path("p50").asDouble());
        // the count checked against the server's own writes (here the bench shares its process, so
        // those include the senders' lines too: the server side holds at least what was counted,
        // but for what was still in the sockets at the window's edges)
        JsonNode x = r.path("crossCheck");
        assertThat(x.path("deliveryBytes").asLong()).isPositive();
        assertThat(x.path("averageLineBytes").asDouble()).isGreaterThan(20);
        assertThat(x.path("agreement").asDouble()).isGreaterThan(0.8);
    }

    @Test
    void floodOverSeveralServersSplitsLatencyBySameAndAcrossServers() throws Exception {
        // one server named twice: the bench treats it as two, so both kinds of delivery happen
        ParleyServer s = parley();
        String at = "127.0.0.1:" + s.port();
        int code = run("--servers", at + "," + at, "--clients", "8", "--senders", "4", "--flood",
                "--duration", "1s", "--warmup", "200ms", "--server-pid", self() + "," + self(), "--watch-pid", self(),
                "--format", "json", "-q");
        assertThat(code).as(err.toString()).isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.path("server").asText()).isEqualTo(at + "," + at);
        assertThat(r.path("setup").path("ready").asInt()).isEqualTo(8);
        JsonNode load = r.path("load");
        long same = load.path("latencySameServer").path("count").asLong();
        long across = load.path("latencyAcrossServers").path("count").asLong();
        assertThat(same).isPositive();
        assertThat(across).isPositive();
        assertThat(same + across).isEqualTo(load.path("latency").path("count").asLong());
        assertThat(r.path("correctness").path("missing").asLong()).isZero();
        assertThat(r.path("serverProcess").path("pids").size()).isEqualTo(2);
        assertThat(r.path("watchedProcesses").path("cpuSeconds").isNumber()).isTrue();
    }

    @Test
    void oneServerReportsNoSplitLatency() throws Exception {
        ParleyServer s = parley();
        int code = run("--port", Integer.toString(s.port()), "--clients", "4", "--senders", "2", "--flood",
                "--duration", "500ms", "--warmup", "100ms");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("latency ms:").doesNotContain("same server", "cross-server");
    }

    @Test
    void openLoopSmokeRunOverTwoLoopsAndTwoChannelsLosesNothing() throws Exception {
        ParleyServer s = parley();
        int code = run("--port", Integer.toString(s.port()), "--clients", "8", "--channels", "2", "--senders", "4",
                "--rate", "200", "--threads", "2", "--duration", "1s", "--warmup", "200ms",
                "--source-addresses", "127.0.0.1-127.0.0.2");
        assertThat(code).as(err.toString()).isZero();
        String text = out.toString();
        assertThat(text).contains("open loop, 200 msg/s", "8 ready, 0 failed", "deliveries/s",
                " 0 missing, 0 duplicated, 0 out of order", "disconnects:     none");
        assertThat(err.toString()).contains("setup: 8 of 8 ready");
    }

    @Test
    void idleRunReportsTheServersMemoryPerClient() throws Exception {
        ParleyServer s = parley();
        int code = run("--port", Integer.toString(s.port()), "--clients", "5", "--idle", "--duration", "300ms",
                "--warmup", "0s", "--server-pid", self(), "-q");
        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("idle", "5 ready", "kB per client").doesNotContain("deliveries");
    }

    @Test
    void aServerThatLosesDuplicatesAndReordersIsCaught() throws Exception {
        try (FaultyRelay relay = new FaultyRelay()) {
            int code = run("--port", Integer.toString(relay.port()), "--clients", "3", "--senders", "1",
                    "--window", "4", "--duration", "1s", "--warmup", "0s", "--inflight-timeout", "200ms", "--drain", "500ms",
                    "--format", "json", "-q");
            assertThat(code).as(err.toString()).isZero();
            JsonNode c = new ObjectMapper().readTree(out.toString()).path("correctness");
            assertThat(c.path("missing").asLong()).isEqualTo(1);
            assertThat(c.path("duplicated").asLong()).isEqualTo(1);
            assertThat(c.path("outOfOrder").asLong()).isEqualTo(1);
            assertThat(c.path("received").asLong()).isEqualTo(c.path("expected").asLong() - 1);
        }
    }

    @Test
    void nobodyListeningIsAOneLineFailure() throws Exception {
        int port;
        try (ServerSocket ss = new ServerSocket(0)) {
            port = ss.getLocalPort();
        }
        assertThat(run("--port", Integer.toString(port), "--clients", "3", "--senders", "1", "-q")).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley bench: no client could connect")
                .contains("Connection refused").hasLineCount(1);
    }

    @Test
    void badOptionsAreUsageErrors() {
        assertThat(run("--clients", "0")).isEqualTo(2);
        assertThat(err.toString()).contains("--clients must be between 1");
        assertThat(run("--rate", "10", "--flood")).isEqualTo(2);
        assertThat(err.toString()).contains("mutually exclusive");
        assertThat(run("--source-addresses", "here")).isEqualTo(2);
        assertThat(err.toString()).contains("not an IPv4 address: 'here'");
        assertThat(run("--duration", "soon")).isEqualTo(2);
        assertThat(err.toString()).contains("'soon' is not a duration");
        assertThat(run("--format", "xml")).isEqualTo(2);
        assertThat(err.toString()).contains("'xml' is not a format");
        assertThat(run("--server-pid", "999999999")).isEqualTo(2);
        assertThat(err.toString()).contains("no such process");
        assertThat(run("--senders", "5", "--clients", "4")).isEqualTo(2);
        assertThat(err.toString()).contains("--senders must be between 1 and 4");
        assertThat(run("--websocket", "--tls")).isEqualTo(2);
        assertThat(err.toString()).contains("--websocket and --tls cannot be combined");
        assertThat(run("--websocket", "--websocket-path", "irc")).isEqualTo(2);
        assertThat(err.toString()).contains("--websocket-path must start with /");
        assertThat(run("--servers", "127.0.0.1:6667,127.0.0.1:6668", "--port", "6669")).isEqualTo(2);
        assertThat(err.toString()).contains("--servers cannot be combined with --host or --port");
        assertThat(run("--servers", "127.0.0.1:6667", "--host", "127.0.0.1")).isEqualTo(2);
        assertThat(run("--servers", "127.0.0.1")).isEqualTo(2);
        assertThat(err.toString()).contains("'127.0.0.1' is not HOST:PORT");
        assertThat(run("--server-pid", self() + ",999999999")).isEqualTo(2);
        assertThat(err.toString()).contains("--server-pid 999999999: no such process");
    }

    @Test
    void tooManyClientsForTheDescriptorLimitIsRefusedUpFront() {
        assertThat(run("--clients", Integer.toString(FloodWindow.MAX_RECEIVERS), "--idle", "-q")).isEqualTo(1);
        assertThat(err.toString()).contains("file descriptors", "ulimit -n");
    }

    @Test
    void helpListsTheOptions() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("--clients", "--channels", "--senders", "--rate", "--flood", "--idle",
                "--duration", "--warmup", "--connect-concurrency", "--source-addresses", "--format", "--server-pid",
                "--websocket", "--websocket-path");
    }
}
