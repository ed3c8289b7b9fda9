package dev.parley.scan;

import static dev.parley.scan.FakeClock.ms;
import static dev.parley.scan.ScriptedConnector.Act.ACCEPT;
import static dev.parley.scan.ScriptedConnector.Act.REFUSE;
import static dev.parley.scan.ScriptedConnector.Act.SILENT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.parley.scan.ScriptedConnector.Reply;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code parley scan} through the real command-line parser. */
class ScanCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Listeners listeners = new Listeners();
    private final InetAddress lo = InetAddress.getLoopbackAddress();

    @AfterEach
    void closeListeners() throws Exception {
        listeners.close();
    }

    private int run(Consumer<ScanCommand> setUp, String... args) {
        ScanCommand command = new ScanCommand();
        command.stderrIsTerminal = () -> false;
        command.in = new ByteArrayInputStream(new byte[0]);
        command.pingers = () -> Pinger.NONE; // the scripted network answers no ICMP
        command.resolver = host -> {
            if (host.equals("localhost")) {
                return InetAddress.getByName("127.0.0.1");
            }
            throw new UnknownHostException(host);
        };
        setUp.accept(command);
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    private int run(String... args) {
        return run(c -> { }, args);
    }

    /** Scans on a scripted network: ports 22 and 6667 accept (22 greets), 23 is silent, the rest refuse. */
    private static Consumer<ScanCommand> scripted() {
        FakeClock clock = new FakeClock();
        return c -> {
            c.clock = clock;
            c.connectorFactory = () -> new ScriptedConnector(clock, (t, n) -> switch (t.getPort()) {
                case 22 -> new Reply(ACCEPT, ms(1), "SSH-2.0-Fake \"quoted\", \\ and more\r\n");
                case 6667 -> Reply.of(ACCEPT);
                case 23 -> Reply.of(SILENT);
                default -> Reply.of(REFUSE);
            });
        };
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    private List<String> outLines() {
        return out.toString().lines().toList();
    }

    @Test
    void findsLocalListenersOpenInAscendingOrderThenSummarises() throws Exception {
        int a = listeners.silent(lo).getLocalPort();
        int b = listeners.silent(lo).getLocalPort();
        int closed = Listeners.closedPort(lo);
        int low = Math.min(a, b);
        int high = Math.max(a, b);

        int code = run("127.0.0.1", "-p", high + "," + closed + "," + low, "--timeout", "10000");

        assertThat(code).isZero();
        List<String> lines = outLines();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).isEqualTo(TextWriter.line(low, PortState.OPEN, Services.bundled().name(low), null));
        assertThat(lines.get(1)).isEqualTo(TextWriter.line(high, PortState.OPEN, Services.bundled().name(high), null));
        assertThat(lines.get(2)).matches(
                "Scanned 1 host, 3 ports in \\d+\\.\\d\\d s \\(\\d+ ports/s\\): 2 open, 1 closed, 0 filtered");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void textLinesNameTheServiceAndShowBanners() {
        int code = run(scripted(), "192.0.2.1", "-p", "20-25,6667", "--banner", "--threads", "1");

        assertThat(code).isZero();
        assertThat(outLines()).startsWith(
                "Port 22 open  ssh  \"SSH-2.0-Fake \"quoted\", \\ and more\"",
                "Port 6667 open  ircd");
        assertThat(outLines().get(2)).startsWith("Scanned 1 host, 7 ports in ")
                .endsWith(": 2 open, 4 closed, 1 filtered");
    }

    @Test
    void showAllListsEveryPortWithItsState() {
        run(scripted(), "192.0.2.1", "-p", "21-23", "--show", "all", "--threads", "1");

        assertThat(outLines()).startsWith("Port 21 closed  ftp", "Port 22 open  ssh", "Port 23 filtered  telnet");
    }

    @Test
    void severalHostsEachGetAHeaderBeforeTheirLines() {
        run(scripted(), "192.0.2.1-2", "localhost", "-p", "22,80", "--threads", "1");

        assertThat(outLines()).startsWith("Host 192.0.2.1", "Port 22 open  ssh", "Host 192.0.2.2", "Port 22 open  ssh",
                "Host localhost (127.0.0.1)", "Port 22 open  ssh");
        assertThat(outLines().get(6)).startsWith("Scanned 3 hosts, 6 ports");
    }

    @Test
    void jsonIsWellFormedAndCarriesEveryPortWithShowAll() throws IOException {
        int code = run(scripted(), "192.0.2.1", "localhost", "-p", "21-23", "--format", "json", "--show", "all",
                "--banner", "--threads", "1");

        assertThat(code).isZero();
        Map<String, Object> doc = JsonTree.object(out.toString());
        assertThat(doc).containsOnlyKeys("errors", "hosts", "summary");
        assertThat((List<?>) doc.get("errors")).isEmpty();
        List<?> hosts = (List<?>) doc.get("hosts");
        assertThat(hosts).hasSize(2);
        Map<?, ?> first = (Map<?, ?>) hosts.get(0);
        assertThat(first.get("address")).isEqualTo("192.0.2.1");
        assertThat(first.containsKey("name")).isFalse();
        assertThat(list(first.get("ports"))).containsExactly(
                Map.of("port", 21L, "state", "closed", "reason", "refused", "service", "ftp"),
                Map.of("port", 22L, "state", "open", "reason", "connected", "service", "ssh",
                        "banner", "SSH-2.0-Fake \"quoted\", \\ and more"),
                Map.of("port", 23L, "state", "filtered", "reason", "no-response", "service", "telnet"));
        assertThat(first.get("open")).isEqualTo(1L);
        Map<?, ?> second = (Map<?, ?>) hosts.get(1);
        assertThat(second.get("name")).isEqualTo("localhost");
        assertThat(second.get("address")).isEqualTo("127.0.0.1");
        Map<?, ?> summary = (Map<?, ?>) doc.get("summary");
        assertThat(summary.get("hosts")).isEqualTo(2L);
        assertThat(summary.get("ports")).isEqualTo(6L);
        assertThat(summary.get("open")).isEqualTo(2L);
        assertThat(summary.get("closed")).isEqualTo(2L);
        assertThat(summary.get("filtered")).isEqualTo(2L);
    }

    @Test
    void jsonWithoutShowAllCarriesOnlyOpenPorts() throws IOException {
        run(scripted(), "192.0.2.1", "-p", "1-100", "--format", "json", "--threads", "1");

        Map<String, Object> doc = JsonTree.object(out.toString());
        Map<?, ?> host = (Map<?, ?>) ((List<?>) doc.get("hosts")).get(0);
        assertThat(list(host.get("ports")).stream().map(p -> (Object) ((Map<?, ?>) p).get("port")).toList())
                .containsExactly(22L);
        assertThat(host.get("closed")).isEqualTo(98L);
    }

    @Test
    void csvIsWellFormedWithAHeaderAndOneRecordPerPort() {
        int code = run(scripted(), "192.0.2.1", "localhost", "-p", "21-23", "--format", "csv", "--show", "all",
                "--banner", "--threads", "1");

        assertThat(code).isZero();
        List<List<String>> records = Csv.parse(out.toString());
        assertThat(records).containsExactly(
                List.of("host", "address", "port", "state", "reason", "service", "banner"),
                List.of("", "192.0.2.1", "21", "closed", "refused", "ftp", ""),
                List.of("", "192.0.2.1", "22", "open", "connected", "ssh", "SSH-2.0-Fake \"quoted\", \\ and more"),
                List.of("", "192.0.2.1", "23", "filtered", "no-response", "telnet", ""),
                List.of("localhost", "127.0.0.1", "21", "closed", "refused", "ftp", ""),
                List.of("localhost", "127.0.0.1", "22", "open", "connected", "ssh", "SSH-2.0-Fake \"quoted\", \\ and more"),
                List.of("localhost", "127.0.0.1", "23", "filtered", "no-response", "telnet", ""));
    }

    @Test
    void csvFieldsAreQuotedOnlyWhenTheyMustBe() {
        assertThat(CsvWriter.escape("plain")).isEqualTo("plain");
        assertThat(CsvWriter.escape(null)).isEmpty();
        assertThat(CsvWriter.escape("a,b")).isEqualTo("\"a,b\"");
        assertThat(CsvWriter.escape("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
        assertThat(CsvWriter.escape("two\nlines")).isEqualTo("\"two\nlines\"");
        assertThat(CsvWriter.escape("cr\r")).isEqualTo("\"cr\r\"");
        assertThat(CsvWriter.escape(" padded ")).isEqualTo("\" padded \"");
        for (String s : List.of("a,b", "say \"hi\"", "two\nlines", "x\r\ny", " padded ", "\"", ",,,")) {
            assertThat(Csv.parse(CsvWriter.escape(s) + "," + CsvWriter.escape(s) + "\n"))
                    .containsExactly(List.of(s, s));
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-p 0 127.0.0.1|port 0 out of range 1-65535",
            "-p 70000 127.0.0.1|port 70000 out of range 1-65535",
            "-p 10-1 127.0.0.1|backwards port range '10-1'",
            "10.0.0.1-300|bad address range '10.0.0.1-300': 300 is no octet",
            "10.0.0.300|bad IPv4 address '10.0.0.300'",
            "--format yaml 127.0.0.1|unknown format 'yaml' (text, json, csv, grep or xml)",
            "--show some 127.0.0.1|unknown --show 'some' (open or all)",
            "--timeout 0 127.0.0.1|--timeout must be positive",
            "--retries -1 127.0.0.1|--retries must be between 0 and 100",
            "--concurrency 0 127.0.0.1|--concurrency must be at least 1",
            "--rate 0 127.0.0.1|--rate must be at least 1",
            "--threads 0 127.0.0.1|--threads must be between 1 and 64",
            "--top-ports 0 127.0.0.1|--top-ports must be between 1 and 1000",
            "--top-ports 1001 127.0.0.1|--top-ports must be between 1 and 1000",
            "--top-ports 10 -p 22 127.0.0.1|give either -p or --top-ports, not both",
            "10.0.0.0/8|'10.0.0.0/8' holds 16777216 addresses, more than --max-hosts 65536",
            "--max-hosts 3 10.0.0.1-2 10.0.0.7-8|4 addresses to scan, more than --max-hosts 3",
            "nope.test|cannot resolve host 'nope.test'"})
    void badInputGetsOneLineAndExitCodeTwo(String args, String message) {
        int code = run(scripted(), args.split(" "));

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("parley scan: " + message + System.lineSeparator());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnresolvableHostIsReportedAndTheOthersStillScanned() throws IOException {
        int code = run(scripted(), "nope.test", "192.0.2.1", "-p", "22", "--threads", "1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEqualTo("parley scan: cannot resolve host 'nope.test'" + System.lineSeparator());
        assertThat(outLines()).startsWith("Port 22 open  ssh");

        out.getBuffer().setLength(0);
        run(scripted(), "nope.test", "192.0.2.1", "-p", "22", "--format", "json", "--threads", "1");
        Map<String, Object> doc = JsonTree.object(out.toString());
        assertThat(list(doc.get("errors"))).containsExactly(
                Map.of("target", "nope.test", "error", "cannot resolve host 'nope.test'"));
    }

    @Test
    void withoutATargetItAsksForOne() {
        int code = run(c -> {
            scripted().accept(c);
            c.in = new ByteArrayInputStream("192.0.2.1\n".getBytes(StandardCharsets.UTF_8));
        }, "-p", "22", "--threads", "1");

        assertThat(code).isZero();
        assertThat(err.toString()).isEqualTo("host? ");
        assertThat(outLines()).startsWith("Port 22 open  ssh");
    }

    @Test
    void anEmptyAnswerToTheQuestionIsAnError() {
        int code = run(c -> c.in = new ByteArrayInputStream("\n".getBytes(StandardCharsets.UTF_8)), "-p", "22");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).isEqualTo("host? parley scan: no target given" + System.lineSeparator());
    }

    @Test
    void theConcurrencyFitsTheOpenFileLimit() throws IOException {
        Consumer<ScanCommand> tight = c -> {
            scripted().accept(c);
            c.fdBudget = () -> new FdBudget(100, 60);
        };
        run(tight, "192.0.2.1", "-p", "1-500", "--format", "json", "--threads", "1");
        Map<?, ?> summary = (Map<?, ?>) JsonTree.object(out.toString()).get("summary");
        assertThat(summary.get("concurrency")).isEqualTo(8L);
        assertThat((Long) summary.get("max_in_flight")).isBetween(1L, 8L);
        assertThat(err.toString()).isEmpty();

        out.getBuffer().setLength(0);
        run(tight, "192.0.2.1", "-p", "1-500", "--format", "json", "--concurrency", "50", "--threads", "1");
        assertThat(err.toString()).isEqualTo("parley scan: --concurrency 50 lowered to 8 to fit the open-file limit (100)"
                + System.lineSeparator());
        summary = (Map<?, ?>) JsonTree.object(out.toString()).get("summary");
        assertThat((Long) summary.get("max_in_flight")).isBetween(1L, 8L);
    }

    @Test
    void noDescriptorsToSpareIsAFailure() {
        int code = run(c -> c.fdBudget = () -> new FdBudget(50, 40), "127.0.0.1", "-p", "22");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).startsWith("parley scan: no file descriptors to spare (open-file limit 50, 40 in use)");
    }

    @Test
    void noProgressBarWhenStderrIsNoTerminalOrWhenAskedNot() {
        run(scripted(), "192.0.2.1", "-p", "1-1000", "--threads", "1");
        assertThat(err.toString()).isEmpty();

        run(c -> {
            scripted().accept(c);
            c.stderrIsTerminal = () -> true;
        }, "192.0.2.1", "-p", "1-1000", "--no-progress", "--threads", "1");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void onATerminalAProgressBarIsDrawnOnStderrAndWipedAtTheEnd() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        int[] code = new int[1];
        Thread scan = Thread.ofPlatform().start(() -> code[0] = run(c -> {
            c.stderrIsTerminal = () -> true;
            c.connectorFactory = () -> new HeldConnector(release);
        }, "192.0.2.1", "-p", "1-100", "--timeout", "600000", "--min-timeout", "600000",
                "--threads", "1"));

        await().atMost(Duration.ofSeconds(20)).until(() -> err.toString().contains("ETA"));
        assertThat(err.toString()).contains("0/100");
        release.countDown();
        scan.join(TimeUnit.SECONDS.toMillis(20));

        assertThat(code[0]).isZero();
        assertThat(err.toString()).startsWith("\r[").endsWith("\r\033[K");
        assertThat(out.toString()).doesNotContain("\033").startsWith("Scanned 1 host, 100 ports");
    }

    /** A connector on which nothing is answered until released; then every port is refused. */
    private static final class HeldConnector implements Connector {
        private final CountDownLatch release;
        private final java.util.ArrayDeque<Attempt> pending = new java.util.ArrayDeque<>();
        private final java.util.ArrayDeque<Attempt> answeredAtOnce = new java.util.ArrayDeque<>();

        HeldConnector(CountDownLatch release) {
            this.release = release;
        }

        @Override
        public boolean connect(Attempt a) {
            a.handle = a;
            if (Discovery.DEFAULT_PORTS.contains(a.port()) && a.port() > 100) {
                answeredAtOnce.add(a); // the host is up: discovery ends at once
                return true;
            }
            pending.add(a);
            return false;
        }

        @Override
        public void awaitData(Attempt a) {
        }

        @Override
        public void close(Attempt a) {
            a.handle = null;
        }

        @Override
        public void poll(long maxWaitNanos, Events events) {
            Attempt up;
            while ((up = answeredAtOnce.poll()) != null) {
                if (up.handle == up) {
                    events.refused(up);
                }
            }
            try {
                if (!release.await(maxWaitNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Attempt a;
            while ((a = pending.poll()) != null) {
                if (a.handle == a) {
                    events.refused(a);
                }
            }
        }

        @Override
        public int openSockets() {
            return pending.size();
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theScanStopsWhenNobodyReadsItsOutputAnyMore() {
        FakeClock clock = new FakeClock();
        List<ScriptedConnector> made = new java.util.ArrayList<>();
        ScanCommand command = new ScanCommand();
        command.stderrIsTerminal = () -> false;
        command.clock = clock;
        command.connectorFactory = () -> {
            ScriptedConnector c = new ScriptedConnector(clock, (t, n) -> Reply.of(REFUSE));
            made.add(c);
            return c;
        };
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(new java.io.Writer() {
            private int writes;

            @Override
            public void write(char[] buf, int off, int len) throws IOException {
                if (++writes > 3) {
                    throw new IOException("Broken pipe");
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        }));
        cl.setErr(new PrintWriter(err, true));

        int code = cl.execute("192.0.2.1", "-p-", "--show", "all", "--threads", "1");

        assertThat(code).isEqualTo(1);
        assertThat(err.toString()).isEmpty();
        assertThat(made.get(0).log.stream().filter(e -> e.what().equals("connect")).count()).isLessThan(65535);
    }

    @Test
    void helpListsTheOptionsAndVersionNamesParley() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("TARGET", "--ports", "--concurrency", "--timeout", "--retries", "--format",
                "--show", "--banner", "--no-progress", "--rate", "--threads", "--max-hosts");
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("Parley ");
    }

    @Test
    void withoutPortsTheThousandMostCommonAreScannedAndTopPortsPicksTheFirstN() {
        run(scripted(), "192.0.2.1", "--threads", "1");
        assertThat(outLines()).startsWith("Port 22 open  ssh", "Port 6667 open  ircd");
        assertThat(outLines().get(2)).startsWith("Scanned 1 host, 1000 ports");

        out.getBuffer().setLength(0);
        run(scripted(), "192.0.2.1", "--top-ports", "3", "--show", "all", "--threads", "1");
        assertThat(outLines()).startsWith("Port 22 open  ssh", "Port 80 closed  http", "Port 443 closed  https");
        assertThat(outLines().get(3)).startsWith("Scanned 1 host, 3 ports");
    }

    @Test
    void theTopPortsListIsRankedWithoutRepeats() {
        int[] ranked = TopPorts.ranked();
        assertThat(ranked).hasSize(1000).doesNotHaveDuplicates();
        assertThat(ranked).startsWith(80, 443, 22);
        assertThat(TopPorts.first(1000).toArray()).contains(21, 23, 25, 53, 110, 3306, 3389, 5432, 6379, 8080);
    }

    @Test
    void greppableOutputHasOneLineOfPortsPerHostAsNmapWritesIt() {
        int code = run(scripted(), "192.0.2.1", "localhost", "-p", "20-25,6667", "--format", "grep", "--banner",
                "--threads", "1");

        assertThat(code).isZero();
        assertThat(outLines()).hasSize(6);
        assertThat(outLines().get(0)).startsWith("# Parley scan as: parley scan 192.0.2.1 localhost");
        assertThat(outLines().get(1)).isEqualTo("Host: 192.0.2.1 ()\tStatus: Up");
        assertThat(outLines().get(2)).isEqualTo("Host: 192.0.2.1 ()\tPorts: "
                + "22/open/tcp//ssh//SSH-2.0-Fake \"quoted\"  \\ and more/, 6667/open/tcp//ircd///");
        assertThat(outLines().get(4)).startsWith("Host: 127.0.0.1 (localhost)\tPorts: 22/open/tcp//ssh//");
        assertThat(outLines().get(5)).startsWith("# Parley done: 2 IP addresses (2 hosts up) scanned in ");
    }

    @Test
    void xmlFollowsNmapsLayoutAndCanAlsoGoToAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path file = dir.resolve("scan.xml");
        int code = run(scripted(), "192.0.2.1", "-p", "20-25,6667", "-oX", file.toString(), "--threads", "1");

        assertThat(code).isZero();
        assertThat(outLines().get(0)).isEqualTo("Port 22 open  ssh");
        org.w3c.dom.Document doc = javax.xml.parsers.DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(file.toFile());
        org.w3c.dom.Element run = doc.getDocumentElement();
        assertThat(run.getTagName()).isEqualTo("nmaprun");
        assertThat(run.getAttribute("args")).isEqualTo("parley scan 192.0.2.1 -p 20-25,6667 -oX " + file
                + " --threads 1");
        org.w3c.dom.Element info = (org.w3c.dom.Element) doc.getElementsByTagName("scaninfo").item(0);
        assertThat(info.getAttribute("services")).isEqualTo("20-25,6667");
        assertThat(info.getAttribute("numservices")).isEqualTo("7");
        org.w3c.dom.Element address = (org.w3c.dom.Element) doc.getElementsByTagName("address").item(0);
        assertThat(address.getAttribute("addr")).isEqualTo("192.0.2.1");
        assertThat(address.getAttribute("addrtype")).isEqualTo("ipv4");
        org.w3c.dom.NodeList ports = doc.getElementsByTagName("port");
        assertThat(ports.getLength()).isEqualTo(2);
        org.w3c.dom.Element ssh = (org.w3c.dom.Element) ports.item(0);
        assertThat(ssh.getAttribute("portid")).isEqualTo("22");
        assertThat(((org.w3c.dom.Element) ssh.getElementsByTagName("state").item(0)).getAttribute("state"))
                .isEqualTo("open");
        assertThat(((org.w3c.dom.Element) ssh.getElementsByTagName("service").item(0)).getAttribute("name"))
                .isEqualTo("ssh");
        org.w3c.dom.NodeList extra = doc.getElementsByTagName("extraports");
        assertThat(extra.getLength()).isEqualTo(2);
        assertThat(((org.w3c.dom.Element) extra.item(0)).getAttribute("state")).isEqualTo("closed");
        assertThat(((org.w3c.dom.Element) extra.item(0)).getAttribute("count")).isEqualTo("4");
        assertThat(((org.w3c.dom.Element) extra.item(1)).getAttribute("state")).isEqualTo("filtered");
        org.w3c.dom.Element hosts = (org.w3c.dom.Element) doc.getElementsByTagName("hosts").item(0);
        assertThat(hosts.getAttribute("up")).isEqualTo("1");
        assertThat(hosts.getAttribute("total")).isEqualTo("1");
    }

    @Test
    void dashPMeansAllPorts() {
        run(scripted(), "192.0.2.1", "-p-", "--threads", "1");
        assertThat(outLines()).containsExactly("Port 22 open  ssh", "Port 6667 open  ircd",
                outLines().get(2));
        assertThat(outLines().get(2)).startsWith("Scanned 1 host, 65535 ports").endsWith("65532 closed, 1 filtered");
    }
}
