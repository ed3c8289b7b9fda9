package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The service table, banner cleaning, the rate limiter's arithmetic and the progress line. */
class SmallPartsTest {
    @Test
    void bundledServiceTableNamesWellKnownPorts() {
        Services s = Services.bundled();
        assertThat(s.name(22)).isEqualTo("ssh");
        assertThat(s.name(80)).isEqualTo("http");
        assertThat(s.name(443)).isEqualTo("https");
        assertThat(s.name(6667)).isEqualTo("ircd");
        assertThat(s.name(5432)).isEqualTo("postgresql");
        assertThat(s.name(47123)).isNull();
        assertThat(s.port("SMTP")).hasValue(25);
        assertThat(s.size()).isGreaterThan(200);
    }

    @Test
    void serviceTableFormatErrorsNameTheLine() {
        assertThatThrownBy(() -> Services.parse(new BufferedReader(new StringReader("# c\n22 ssh\n23\n"))))
                .isInstanceOf(IOException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> Services.parse(new BufferedReader(new StringReader("0 zero\n"))))
                .isInstanceOf(IOException.class).hasMessageContaining("out of range");
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void bannersAreTheFirstPrintableLine() {
        assertThat(Banner.clean(bytes("SSH-2.0-OpenSSH_9.2\r\n"))).isEqualTo("SSH-2.0-OpenSSH_9.2");
        assertThat(Banner.clean(bytes("\r\n\r\n220 mail ESMTP\r\n250 more"))).isEqualTo("220 mail ESMTP");
        assertThat(Banner.clean(bytes("a\tb\u0001c\u00ffd\u001b[31m"))).isEqualTo("a b.c.d.[31m");
        assertThat(Banner.clean(bytes(" \r\n\t"))).isNull();
        assertThat(Banner.clean(new byte[0])).isNull();
        String longLine = "x".repeat(300);
        assertThat(Banner.clean(bytes(longLine))).hasSize(Banner.MAX_CHARS).endsWith("...");
    }

    @Test
    void aBannerIsCompleteAtItsFirstLineEndAfterText() {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(bytes("\r\n"));
        assertThat(Banner.complete(b)).isFalse();
        b.writeBytes(bytes("220 ready"));
        assertThat(Banner.complete(b)).isFalse();
        b.writeBytes(bytes("\r\n"));
        assertThat(Banner.complete(b)).isTrue();
        ByteArrayOutputStream big = new ByteArrayOutputStream();
        big.writeBytes(new byte[Banner.MAX_BYTES]);
        assertThat(Banner.complete(big)).isTrue();
    }

    @Test
    void rateLimiterAllowsItsRateAndSaysHowLongToWait() {
        long t = 0;
        RateLimiter r = new RateLimiter(10, t);
        assertThat(r.tryAcquire(t)).isTrue();
        assertThat(r.tryAcquire(t)).isFalse();
        assertThat(r.nanosUntilNext(t)).isBetween(99_000_000L, 101_000_000L);
        t += 101_000_000L;
        assertThat(r.nanosUntilNext(t)).isZero();
        assertThat(r.tryAcquire(t)).isTrue();
        // a long pause allows only a small burst, not everything saved up
        t += 60_000_000_000L;
        int burst = 0;
        while (r.tryAcquire(t)) {
            burst++;
        }
        assertThat(burst).isEqualTo(1);
        RateLimiter fast = new RateLimiter(10_000, 0);
        int fastBurst = 0;
        while (fast.tryAcquire(10_000_000_000L)) {
            fastBurst++;
        }
        assertThat(fastBurst).isEqualTo(500);
    }

    @Test
    void progressLineShowsDoneTotalRateAndEta() {
        assertThat(Progress.line(0, 65535, 0)).isEqualTo("[------------------------]   0%  0/65535  0/s  ETA -:--");
        assertThat(Progress.line(32768, 65535, 1_000_000_000L))
                .isEqualTo("[############------------]  50%  32768/65535  32768/s  ETA 0:01");
        assertThat(Progress.line(100, 100_000, 1_000_000_000L)).endsWith("100/s  ETA 16:39");
        assertThat(Progress.line(1, 1_000_000, 1_000_000_000L)).endsWith("ETA 277:46:39");
        assertThat(Progress.line(10, 10, 1_000_000_000L)).startsWith("[########################] 100%");
    }

    @Test
    void theProgressBarSaysHowManyHostsAreUpAndScanned() throws Exception {
        assertThat(ScanCommand.hostsText(null, 256)).isEqualTo("discovering 256 addresses  ");
        assertThat(ScanCommand.hostsText(null, 1)).isEmpty();
        java.util.List<ScanHost> hosts = java.util.List.of(new ScanHost(null, java.net.InetAddress.getByName("192.0.2.1")),
                new ScanHost(null, java.net.InetAddress.getByName("192.0.2.2")));
        FakeClock clock = new FakeClock();
        Scanner s = new Scanner(ScanSettings.defaults(), () -> new ScriptedConnector(clock,
                (t, n) -> ScriptedConnector.Reply.of(ScriptedConnector.Act.REFUSE)), clock, (h, p, r, b) -> { },
                hosts.iterator(), 2, PortList.of(22));
        assertThat(ScanCommand.hostsText(s, 256)).isEqualTo("hosts 2 up of 256, 0 scanned  ");
        s.run();
        assertThat(ScanCommand.hostsText(s, 256)).isEqualTo("hosts 2 up of 256, 2 scanned  ");
    }

    @Test
    void rttEstimatorTrustsOnlySeveralSamples() {
        RttEstimator r = new RttEstimator();
        long min = 100, max = 1000;
        assertThat(r.timeout(0, min, max)).isEqualTo(max);
        r.sample(10);
        r.sample(10);
        assertThat(r.timeout(0, min, max)).isEqualTo(max);
        r.sample(10);
        assertThat(r.timeout(0, min, max)).isEqualTo(min);
        assertThat(r.timeout(1, min, max)).isEqualTo(2 * min);
        assertThat(r.timeout(3, min, max)).isEqualTo(800);
        assertThat(r.timeout(4, min, max)).isEqualTo(max);
    }

    @Test
    void aRoundTripLearnedBeforeTheScanIsTrustedFromOneAnswerAndRetriesDoNotBackOff() {
        RttEstimator r = new RttEstimator();
        long min = 100, max = 1000;
        r.markLearned();
        assertThat(r.learned()).as("nothing measured, nothing learned").isFalse();
        r.sample(50);
        r.markLearned();
        RttEstimator lane = r.copy();
        assertThat(lane.learned()).isTrue();
        assertThat(lane.timeout(0, min, max)).isEqualTo(150); // srtt 50 + 4 * rttvar 25
        assertThat(lane.timeout(1, min, max)).isEqualTo(150);
        assertThat(lane.timeout(0, 200, max)).isEqualTo(200);
    }
}
