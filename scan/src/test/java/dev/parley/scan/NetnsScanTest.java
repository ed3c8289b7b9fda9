package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Real scans of a network namespace this test creates: a veth pair, the far end holding
 * addresses .2 to .5 (the near end, .1, is one more live one) in a /24 where every other
 * address is unassigned (no ARP answer: down); inside, nftables drops SYNs to ports 2000-2099
 * except 2010 and 2020 (a listener: open) and 2030 (none: closed), and every SYN to .5, which
 * only answers ICMP echo.
 *
 * <p>Needs root (or password-less {@code sudo}), {@code ip} and {@code nft}; skipped with a
 * message when the namespace cannot be made, failed instead when {@code PARLEY_REQUIRE_NETNS=1}. Every namespace and veth of this
 * test's prefix is deleted before and after. Asserts states and the timeout the scan chose,
 * never durations.
 */
class NetnsScanTest {
    private static final String PREFIX = "pscan";
    private static final boolean ROOT = isRoot();
    private static final long PID = ProcessHandle.current().pid();
    private static final String NS = PREFIX + PID % 100_000;
    private static final String NEAR = PREFIX + PID % 100_000 + "a";
    private static final String FAR = PREFIX + PID % 100_000 + "b";
    private static final String NET = "10.231." + (PID % 200 + 20);
    /** An IPv6 /64 (unique local) beside the IPv4 /24: ::1 on the near end, ::2 on the far one. */
    private static final String NET6 = "fd23:" + Long.toHexString(PID % 200 + 20) + "::";
    private static Process listener;
    private static boolean ipv6;

    @BeforeAll
    static void makeNamespace() throws Exception {
        cleanLeftovers();
        String why = setUp();
        if (why != null) {
            tearDown();
            if ("1".equals(System.getenv("PARLEY_REQUIRE_NETNS"))) {
                fail("PARLEY_REQUIRE_NETNS=1 but the test namespace cannot be made: " + why);
            }
            assumeTrue(false, "skipped: cannot make a network namespace (" + why
                    + "); needs root, iproute2 and nftables");
        }
    }

    /** Null when all is in place, else why not. */
    private static String setUp() throws Exception {
        if (!Files.isExecutable(Path.of("/usr/sbin/nft")) && !Files.isExecutable(Path.of("/sbin/nft"))) {
            return "nft is not installed";
        }
        String[][] steps = {
                {"ip", "netns", "add", NS},
                {"ip", "link", "add", NEAR, "type", "veth", "peer", "name", FAR},
                {"ip", "link", "set", FAR, "netns", NS},
                {"ip", "addr", "add", NET + ".1/24", "dev", NEAR},
                {"ip", "link", "set", NEAR, "up"},
                {"ip", "netns", "exec", NS, "ip", "link", "set", "lo", "up"},
                {"ip", "netns", "exec", NS, "ip", "addr", "add", NET + ".2/24", "dev", FAR},
                {"ip", "netns", "exec", NS, "ip", "addr", "add", NET + ".3/24", "dev", FAR},
                {"ip", "netns", "exec", NS, "ip", "addr", "add", NET + ".4/24", "dev", FAR},
                {"ip", "netns", "exec", NS, "ip", "addr", "add", NET + ".5/24", "dev", FAR},
                {"ip", "netns", "exec", NS, "ip", "link", "set", FAR, "up"},
        };
        for (String[] step : steps) {
            String problem = run(null, step);
            if (problem != null) {
                return problem;
            }
        }
        String rules = """
                table inet parley_test {
                    chain input {
                        type filter hook input priority 0;
                        ip daddr %s.5 tcp dport 0-65535 drop
                        tcp dport { 2010, 2020, 2030 } accept
                        tcp dport 2000-2099 drop
                    }
                }
                """.formatted(NET);
        String problem = run(rules, "ip", "netns", "exec", NS, "nft", "-f", "-");
        if (problem != null) {
            return problem;
        }
        ipv6 = run(null, "ip", "-6", "addr", "add", NET6 + "1/64", "dev", NEAR, "nodad") == null
                && run(null, "ip", "netns", "exec", NS, "ip", "-6", "addr", "add", NET6 + "2/64", "dev", FAR, "nodad") == null;
        String java = ProcessHandle.current().info().command().orElse("java");
        listener = new ProcessBuilder(privileged("ip", "netns", "exec", NS, java, "-cp",
                System.getProperty("java.class.path"), NetnsListener.class.getName(), "2010", "2020"))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
        String line = r.readLine();
        return "ready".equals(line) ? null : "the listener in the namespace did not start: " + line;
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (listener != null) {
            listener.getOutputStream().close();
            if (!listener.waitFor(5, TimeUnit.SECONDS)) {
                listener.destroyForcibly();
            }
        }
        cleanLeftovers();
    }

    /** Deletes every namespace and link whose name starts with this test's prefix. */
    private static void cleanLeftovers() throws Exception {
        for (String ns : lines("ip", "netns", "list")) {
            String name = ns.split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                run(null, "ip", "netns", "delete", name);
            }
        }
        for (String link : lines("ip", "-o", "link", "show")) {
            String[] f = link.split(":\\s+");
            if (f.length > 1) {
                String name = f[1].split("@")[0];
                if (name.startsWith(PREFIX)) {
                    run(null, "ip", "link", "delete", name);
                }
            }
        }
    }

    private static List<String> lines(String... command) throws Exception {
        try {
            Process p = new ProcessBuilder(privileged(command)).redirectErrorStream(true).start();
            List<String> out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The command as root: as it is when this test runs as root, else through {@code sudo -n} when there is one. */
    private static List<String> privileged(String... command) {
        List<String> c = new ArrayList<>();
        if (!ROOT && Files.isExecutable(Path.of("/usr/bin/sudo"))) {
            c.addAll(List.of("/usr/bin/sudo", "-n"));
        }
        c.addAll(List.of(command));
        return c;
    }

    private static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).strip().split("\\s+")[1].equals("0");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }

    /** Runs a command (with {@code input} on its stdin); null when it succeeded, else its output. */
    private static String run(String input, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(privileged(command)).redirectErrorStream(true).start();
        } catch (IOException e) {
            return String.join(" ", command) + ": " + e.getMessage();
        }
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": no end";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + ": " + out;
    }

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private Map<String, Object> scan(String... args) throws IOException {
        ScanCommand command = new ScanCommand();
        command.stderrIsTerminal = () -> false;
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--format", "json", "--show", "all", "--no-progress"));
        assertThat(cl.execute(all.toArray(String[]::new))).as(err.toString()).isZero();
        return JsonTree.object(out.toString());
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @Test
    void droppedPortsAreFilteredAfterARoundTripLearnedTimeoutAndTheOthersRight() throws IOException {
        Map<String, Object> doc = scan(NET + ".2", "-p", "2000-2099", "--timeout", "5000", "--min-timeout", "100");

        List<Map<String, Object>> hosts = list(doc.get("hosts"));
        assertThat(hosts).hasSize(1);
        Map<String, Object> host = hosts.get(0);
        for (Map<String, Object> port : list(host.get("ports"))) {
            int p = ((Number) port.get("port")).intValue();
            String expected = switch (p) {
                case 2010, 2020 -> "open";
                case 2030 -> "closed";
                default -> "filtered";
            };
            assertThat(port.get("state")).as("port " + p).isEqualTo(expected);
        }
        assertThat(host).containsEntry("open", 2L).containsEntry("closed", 1L).containsEntry("filtered", 97L);
        // the discovery probes (closed ports outside the dropped range) measured the round trip,
        // so silent ports waited for a fraction of the 5 s --timeout, not all of it
        assertThat(host).containsEntry("rtt_learned", true);
        assertThat(((Number) host.get("timeout_ms")).longValue()).isGreaterThanOrEqualTo(100).isLessThan(5000);
    }

    @Test
    void onlyTheAddressesThatAnswerDiscoveryAreScannedAndAnEchoReplyCounts() throws IOException {
        assumeTrue(Pinger.privileged(), "ICMP echo needs root or CAP_NET_RAW");
        Map<String, Object> doc = scan(NET + ".0/28", "-p", "2010,2030", "--timeout", "1000");

        Map<String, Object> summary = map(doc.get("summary"));
        assertThat(summary).containsEntry("addresses", 16L).containsEntry("up", 5L).containsEntry("hosts", 5L);
        assertThat(list(doc.get("hosts"))).extracting(h -> h.get("address"))
                .containsExactly(NET + ".1", NET + ".2", NET + ".3", NET + ".4", NET + ".5");
        for (Map<String, Object> host : list(doc.get("hosts")).subList(1, 4)) {
            assertThat(list(host.get("ports"))).extracting(p -> p.get("state")).containsExactly("open", "closed");
        }
        // .5 drops every SYN: only its echo reply made it up, and its ports are filtered
        Map<String, Object> icmpOnly = list(doc.get("hosts")).get(4);
        assertThat(list(icmpOnly.get("ports"))).extracting(p -> p.get("state")).containsExactly("filtered", "filtered");
        assertThat(icmpOnly).containsEntry("rtt_learned", true);
    }

    @Test
    void ipv6AddressesAreDiscoveredAndScannedLikeIpv4Ones() throws IOException {
        assumeTrue(ipv6, "IPv6 is off here");
        Map<String, Object> doc = scan(NET6 + "/124", "-p", "2000,2010,2030", "--timeout", "1000");

        Map<String, Object> summary = map(doc.get("summary"));
        assertThat(summary).containsEntry("addresses", 16L).containsEntry("hosts", 2L);
        assertThat(list(doc.get("hosts"))).extracting(h -> h.get("address")).containsExactly(NET6 + "1", NET6 + "2");
        Map<String, Object> far = list(doc.get("hosts")).get(1);
        assertThat(list(far.get("ports"))).extracting(p -> p.get("state")).containsExactly("filtered", "open", "closed");
        assertThat(far).containsEntry("rtt_learned", true);
    }

    @Test
    void withoutDiscoveryEveryAddressIsScannedAndTheSilentOnesAreFiltered() throws IOException {
        Map<String, Object> doc = scan(NET + ".2-6", "-p", "2010", "--timeout", "500", "-Pn");

        Map<String, Object> summary = map(doc.get("summary"));
        assertThat(summary).containsEntry("addresses", 5L).containsEntry("hosts", 5L);
        assertThat(list(doc.get("hosts"))).extracting(h -> list(h.get("ports")).get(0).get("state"))
                .containsExactly("open", "open", "open", "filtered", "filtered");
    }
}
