package dev.parley.scan;

import static dev.parley.scan.FakeClock.ms;
import static dev.parley.scan.ScriptedConnector.Act.ACCEPT;
import static dev.parley.scan.ScriptedConnector.Act.LOCAL_FAILURE;
import static dev.parley.scan.ScriptedConnector.Act.NETWORK_TIMEOUT;
import static dev.parley.scan.ScriptedConnector.Act.REFUSE;
import static dev.parley.scan.ScriptedConnector.Act.SELF_CONNECT;
import static dev.parley.scan.ScriptedConnector.Act.SILENT;
import static dev.parley.scan.ScriptedConnector.Act.UNREACHABLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.scan.RecordingListener.Result;
import dev.parley.scan.ScriptedConnector.Event;
import dev.parley.scan.ScriptedConnector.Reply;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The scan loop's decisions, on a scripted network and a fake clock: no sockets, no waiting. */
class ScannerTest {
    private final FakeClock clock = new FakeClock();
    private final RecordingListener listener = new RecordingListener();
    private final List<ScriptedConnector> connectors = Collections.synchronizedList(new ArrayList<>());

    private static final ScanSettings BASE = ScanSettings.defaults()
            .withTimeouts(ms(1000), ms(100)).withRetries(1).withConcurrency(64);

    private ScanSummary scan(ScanSettings settings, ScriptedConnector.Script script, List<ScanHost> hosts,
                             int... ports) throws Exception {
        Scanner scanner = new Scanner(settings, () -> {
            ScriptedConnector c = new ScriptedConnector(clock, script);
            connectors.add(c);
            return c;
        }, clock, listener, hosts.iterator(), hosts.size(), PortList.of(ports));
        ScanSummary summary = scanner.run();
        assertThat(scanner.done()).isEqualTo(summary.ports());
        return summary;
    }

    private ScanSummary scan(ScanSettings settings, ScriptedConnector.Script script, int... ports) throws Exception {
        return scan(settings, script, List.of(host("192.0.2.1")), ports);
    }

    private ScriptedConnector connector() {
        assertThat(connectors).hasSize(1);
        return connectors.get(0);
    }

    private static ScanHost host(String address) throws UnknownHostException {
        return new ScanHost(null, InetAddress.getByName(address));
    }

    @Test
    void inRandomOrderPortsAreTriedShuffledButReportedAscendingEachOnce() throws Exception {
        int[] ports = IntStream.rangeClosed(1000, 1199).toArray();
        scan(BASE.withRandomOrder(true).withConcurrency(1), (t, n) -> Reply.of(t.getPort() % 7 == 0 ? ACCEPT : REFUSE),
                ports);

        List<Integer> tried = connector().log.stream().filter(e -> e.what().equals("connect")).map(Event::port).toList();
        assertThat(tried).containsExactlyInAnyOrderElementsOf(IntStream.of(ports).boxed().toList());
        assertThat(tried).isNotEqualTo(IntStream.of(ports).boxed().toList());
        assertThat(listener.results).extracting(Result::port).containsExactlyElementsOf(IntStream.of(ports).boxed().toList());
        assertThat(listener.results).filteredOn(r -> r.reason() == Reason.CONNECTED).extracting(Result::port)
                .allMatch(p -> p % 7 == 0);
    }

    @Test
    void inRandomOrderHostsAreTakenShuffledButReportedInTheOrderGiven() throws Exception {
        List<ScanHost> hosts = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            hosts.add(host("192.0.2." + i));
        }
        List<String> firstSeen = Collections.synchronizedList(new ArrayList<>());
        scan(BASE.withRandomOrder(true).withConcurrency(2), (t, n) -> {
            String a = t.getAddress().getHostAddress();
            synchronized (firstSeen) {
                if (!firstSeen.contains(a)) {
                    firstSeen.add(a);
                }
            }
            return Reply.of(t.getPort() == 22 ? ACCEPT : REFUSE);
        }, hosts, 21, 22, 23);

        List<String> given = hosts.stream().map(ScanHost::addressText).toList();
        assertThat(firstSeen).containsExactlyInAnyOrderElementsOf(given).isNotEqualTo(given);
        assertThat(listener.results).extracting(Result::host).containsExactlyElementsOf(
                given.stream().flatMap(h -> java.util.stream.Stream.of(h, h, h)).toList());
        assertThat(listener.hostEvents).containsExactlyElementsOf(given.stream()
                .flatMap(h -> java.util.stream.Stream.of("start " + h, "end " + h + " 1/2/0")).toList());
    }

    @Test
    void eachOutcomeGivesItsStateAndReason() throws Exception {
        ScanSummary s = scan(BASE, (t, n) -> switch (t.getPort()) {
            case 22 -> Reply.of(ACCEPT);
            case 23 -> Reply.of(REFUSE);
            case 24 -> Reply.of(SILENT);
            default -> Reply.of(UNREACHABLE);
        }, 22, 23, 24, 25);

        assertThat(listener.results).extracting(Result::port, Result::reason).containsExactly(
                org.assertj.core.groups.Tuple.tuple(22, Reason.CONNECTED),
                org.assertj.core.groups.Tuple.tuple(23, Reason.REFUSED),
                org.assertj.core.groups.Tuple.tuple(24, Reason.NO_RESPONSE),
                org.assertj.core.groups.Tuple.tuple(25, Reason.UNREACHABLE));
        assertThat(s.open()).isEqualTo(1);
        assertThat(s.closed()).isEqualTo(1);
        assertThat(s.filtered()).isEqualTo(2);
        assertThat(s.ports()).isEqualTo(4);
        assertThat(s.hosts()).isEqualTo(1);
    }

    @Test
    void resultsArriveInPortOrderWhateverOrderTheAnswersCameIn() throws Exception {
        // lower ports answer later: 1 after 900 ms, 2 after 800 ms ... 9 after 100 ms
        scan(BASE, (t, n) -> Reply.after(t.getPort() % 2 == 0 ? ACCEPT : REFUSE, 1000 - 100L * t.getPort()),
                9, 8, 7, 6, 5, 4, 3, 2, 1);

        assertThat(listener.results).extracting(Result::port).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9);
        List<Event> answered = connector().log.stream().filter(e -> e.what().equals("close")).toList();
        assertThat(answered.get(0).port()).isEqualTo(9);
    }

    @Test
    void hostsAreReportedInTheOrderGiven() throws Exception {
        List<ScanHost> hosts = List.of(host("192.0.2.9"), host("192.0.2.1"), host("2001:db8::5"));
        // the first host answers slowest
        scan(BASE, (t, n) -> Reply.after(REFUSE, t.getAddress().getHostAddress().equals("192.0.2.9") ? 500 : 1),
                hosts, 80, 81);

        assertThat(listener.results).extracting(Result::host, Result::port).containsExactly(
                org.assertj.core.groups.Tuple.tuple("192.0.2.9", 80),
                org.assertj.core.groups.Tuple.tuple("192.0.2.9", 81),
                org.assertj.core.groups.Tuple.tuple("192.0.2.1", 80),
                org.assertj.core.groups.Tuple.tuple("192.0.2.1", 81),
                org.assertj.core.groups.Tuple.tuple("2001:db8::5", 80),
                org.assertj.core.groups.Tuple.tuple("2001:db8::5", 81));
        assertThat(listener.hostEvents).containsExactly(
                "start 192.0.2.9", "end 192.0.2.9 0/2/0",
                "start 192.0.2.1", "end 192.0.2.1 0/2/0",
                "start 2001:db8::5", "end 2001:db8::5 0/2/0");
    }

    @Test
    void aSilentPortIsTriedOncePerRetryEachForTheFullTimeoutThenFiltered() throws Exception {
        scan(BASE.withRetries(2), (t, n) -> Reply.of(SILENT), 7);

        ScriptedConnector c = connector();
        List<Event> starts = c.events("connect", 7);
        List<Event> gaveUp = c.events("close", 7);
        assertThat(starts).hasSize(3);
        assertThat(gaveUp).hasSize(3);
        for (int i = 0; i < 3; i++) {
            // no answers from this host yet, so every try waits the whole --timeout
            assertThat(gaveUp.get(i).at() - starts.get(i).at()).isEqualTo(ms(1000));
        }
        assertThat(listener.result(7).reason()).isEqualTo(Reason.NO_RESPONSE);
    }

    @Test
    void withoutRetriesOneSilentTryIsEnough() throws Exception {
        scan(BASE.withRetries(0), (t, n) -> Reply.of(SILENT), 7);

        assertThat(connector().events("connect", 7)).hasSize(1);
        assertThat(listener.result(7).reason()).isEqualTo(Reason.NO_RESPONSE);
    }

    @Test
    void aPortThatAnswersTheRetryGetsThatAnswer() throws Exception {
        scan(BASE, (t, n) -> n == 1 ? Reply.of(SILENT) : Reply.of(ACCEPT), 443);

        assertThat(connector().events("connect", 443)).hasSize(2);
        assertThat(listener.result(443).reason()).isEqualTo(Reason.CONNECTED);
    }

    @Test
    void anAnswerAfterTheDeadlineIsIgnored() throws Exception {
        // the first try's acceptance would come 1500 ms in, after the 1000 ms timeout; the retry is refused
        scan(BASE, (t, n) -> n == 1 ? Reply.after(ACCEPT, 1500) : Reply.of(REFUSE), 8080);

        assertThat(listener.result(8080).reason()).isEqualTo(Reason.REFUSED);
        assertThat(listener.results).hasSize(1);
    }

    @Test
    void aRefusalIsFinalAndNeverRetried() throws Exception {
        scan(BASE.withRetries(3), (t, n) -> Reply.of(REFUSE), 23);

        assertThat(connector().events("connect", 23)).hasSize(1);
    }

    @Test
    void theNetworksOwnTimeoutCountsAsSilenceAndIsRetried() throws Exception {
        scan(BASE, (t, n) -> Reply.of(NETWORK_TIMEOUT), 25);

        assertThat(connector().events("connect", 25)).hasSize(2);
        assertThat(listener.result(25).reason()).isEqualTo(Reason.NO_RESPONSE);
    }

    @Test
    void onceAHostHasAnsweredItsTimeoutAdaptsButNeverBelowTheMinimumAndDoublesPerRetry() throws Exception {
        // ports 1-10 answer in 2 ms; port 11 never does. One attempt at a time, so 11 starts last.
        scan(BASE.withConcurrency(1), (t, n) -> t.getPort() <= 10 ? Reply.after(REFUSE, 2) : Reply.of(SILENT),
                IntStream.rangeClosed(1, 11).toArray());

        ScriptedConnector c = connector();
        List<Event> starts = c.events("connect", 11);
        List<Event> gaveUp = c.events("close", 11);
        assertThat(gaveUp.get(0).at() - starts.get(0).at()).isEqualTo(ms(100));
        assertThat(gaveUp.get(1).at() - starts.get(1).at()).isEqualTo(ms(200));
        assertThat(listener.result(11).reason()).isEqualTo(Reason.NO_RESPONSE);
    }

    @Test
    void theAdaptiveTimeoutNeverExceedsTheConfiguredOne() throws Exception {
        // answers take 400 ms: srtt + 4 rttvar is far above --timeout 500, so --timeout applies
        scan(BASE.withConcurrency(1).withTimeouts(ms(500), ms(100)),
                (t, n) -> t.getPort() <= 5 ? Reply.after(REFUSE, 400) : Reply.of(SILENT), 1, 2, 3, 4, 5, 6);

        ScriptedConnector c = connector();
        List<Event> starts = c.events("connect", 6);
        List<Event> gaveUp = c.events("close", 6);
        assertThat(gaveUp.get(0).at() - starts.get(0).at()).isEqualTo(ms(500));
        assertThat(gaveUp.get(1).at() - starts.get(1).at()).isEqualTo(ms(500));
    }

    @Test
    void attemptsInFlightNeverExceedTheConcurrencyBound() throws Exception {
        ScanSummary s = scan(BASE.withConcurrency(10), (t, n) -> Reply.after(REFUSE, 5 + t.getPort() % 7),
                IntStream.rangeClosed(1, 500).toArray());

        assertThat(connector().peakOpenSockets()).isEqualTo(10);
        assertThat(s.maxInFlight()).isEqualTo(10);
        assertThat(connector().openSockets()).isZero();
        assertThat(listener.results).hasSize(500);
    }

    @Test
    void everySocketIsClosedWhateverTheOutcome() throws Exception {
        scan(BASE.withBanner(ms(300)), (t, n) -> switch (t.getPort() % 4) {
            case 0 -> new Reply(ACCEPT, ms(1), "hello\r\n");
            case 1 -> Reply.of(ACCEPT);
            case 2 -> Reply.of(SILENT);
            default -> Reply.of(REFUSE);
        }, IntStream.rangeClosed(1, 200).toArray());

        ScriptedConnector c = connector();
        assertThat(c.openSockets()).isZero();
        assertThat(c.isClosed()).isTrue();
        long starts = c.log.stream().filter(e -> e.what().equals("connect")).count();
        long closes = c.log.stream().filter(e -> e.what().equals("close")).count();
        assertThat(closes).isEqualTo(starts);
    }

    @Test
    void theRateLimitSpacesOutStarts() throws Exception {
        // 100 attempts a second with a burst of 5: 50 starts need at least 0.45 s of (fake) time
        scan(BASE.withRate(100), (t, n) -> Reply.of(REFUSE), IntStream.rangeClosed(1, 50).toArray());

        List<Long> starts = connector().log.stream().filter(e -> e.what().equals("connect")).map(Event::at).toList();
        assertThat(starts).hasSize(50);
        assertThat(starts.get(49) - starts.get(0)).isGreaterThanOrEqualTo(ms(450));
        for (int i = 10; i < 50; i++) {
            // never more than the burst plus the elapsed time's worth
            long allowed = 5 + (starts.get(i) - starts.get(0)) / ms(10);
            assertThat((long) i).isLessThanOrEqualTo(allowed);
        }
    }

    @Test
    void localFailuresAreRetriedWithoutCountingAsTries() throws Exception {
        scan(BASE.withRetries(0), (t, n) -> n <= 3 ? Reply.of(LOCAL_FAILURE) : Reply.of(ACCEPT), 22);

        assertThat(listener.result(22).reason()).isEqualTo(Reason.CONNECTED);
        assertThat(connector().events("connect", 22)).hasSize(4);
    }

    @Test
    void aSocketThatConnectedToItselfIsTriedAgainNotCountedOpen() throws Exception {
        scan(BASE.withRetries(0), (t, n) -> n == 1 ? Reply.of(SELF_CONNECT) : Reply.of(REFUSE), 47912);

        assertThat(listener.result(47912).reason()).isEqualTo(Reason.REFUSED);
        assertThat(connector().events("connect", 47912)).hasSize(2);
        assertThat(connector().openSockets()).isZero();
    }

    @Test
    void aPortThatOnlyEverReachesItselfIsClosed() throws Exception {
        scan(BASE, (t, n) -> Reply.of(SELF_CONNECT), 47912);

        assertThat(listener.result(47912).reason()).isEqualTo(Reason.REFUSED);
    }

    @Test
    void persistentLocalFailureEndsTheScanWithAnError() {
        assertThatThrownBy(() -> scan(BASE, (t, n) -> Reply.of(LOCAL_FAILURE), 22, 23))
                .isInstanceOf(ScanFailedException.class)
                .hasMessageContaining("Too many open files");
    }

    @Test
    void aBannerIsReadAndCleaned() throws Exception {
        scan(BASE.withBanner(ms(500)), (t, n) -> t.getPort() == 22
                ? new Reply(ACCEPT, ms(1), "SSH-2.0-Test_1.0\r\nmore")
                : Reply.of(ACCEPT), 22, 80);

        assertThat(listener.result(22).banner()).isEqualTo("SSH-2.0-Test_1.0");
        assertThat(listener.result(80).banner()).isNull();
        assertThat(listener.result(80).reason()).isEqualTo(Reason.CONNECTED);
    }

    @Test
    void severalLanesShareTheWorkAndTheBound() throws Exception {
        // each lane has its own connector; results stay in order
        ScanSettings two = BASE.withConcurrency(9).withLanes(2);
        ScanSummary s = scan(two, (t, n) -> Reply.of(t.getPort() % 3 == 0 ? ACCEPT : REFUSE),
                IntStream.rangeClosed(1, 300).toArray());

        assertThat(connectors).hasSize(2);
        assertThat(connectors).allSatisfy(c -> assertThat(c.peakOpenSockets()).isLessThanOrEqualTo(5));
        assertThat(connectors.get(0).peakOpenSockets() + connectors.get(1).peakOpenSockets()).isLessThanOrEqualTo(9);
        assertThat(s.maxInFlight()).isLessThanOrEqualTo(9);
        assertThat(listener.results).extracting(Result::port)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 300).boxed().toList());
        assertThat(s.open()).isEqualTo(100);
    }

    @Test
    void lanesNeverOutnumberTheConcurrencyOrTheRate() {
        assertThat(BASE.withConcurrency(1).withLanes(4).lanes()).isEqualTo(1);
        assertThat(BASE.withRate(2).withLanes(4).lanes()).isEqualTo(2);
        assertThat(Scanner.share(10, 3, 0) + Scanner.share(10, 3, 1) + Scanner.share(10, 3, 2)).isEqualTo(10);
        assertThat(Scanner.share(10, 3, 0)).isEqualTo(4);
        assertThat(Scanner.share(10, 3, 2)).isEqualTo(3);
        assertThat(Scanner.share(7, 7, 6)).isEqualTo(1);
    }
}
