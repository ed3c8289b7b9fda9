package dev.parley.app.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RateMeterTest {
    private static final long S = TimeUnit.SECONDS.toNanos(1);

    @Test
    void noRateBeforeTwoSamples() {
        RateMeter m = new RateMeter(10 * S);
        assertThat(m.rates().in()).isZero();
        m.sample(0, 100, 100);
        assertThat(m.rates().out()).isZero();
    }

    @Test
    void ratesCoverTheLastWindowOnly() {
        RateMeter m = new RateMeter(10 * S);
        // a burst of 1000 lines in the first second, then 10 lines in and 20 out per second
        m.sample(0, 0, 0);
        m.sample(S, 1000, 0);
        for (int t = 2; t <= 30; t++) {
            m.sample(t * S, 1000 + 10L * (t - 1), 20L * (t - 1));
        }
        RateMeter.Rates r = m.rates();
        assertThat(r.seconds()).isEqualTo(10.0);
        assertThat(r.in()).isCloseTo(10.0, within(1e-9));
        assertThat(r.out()).isCloseTo(20.0, within(1e-9));
    }

    @Test
    void unevenSamplesStillCoverTheWholeWindow() {
        RateMeter m = new RateMeter(10 * S);
        m.sample(0, 0, 0);
        m.sample(4 * S, 40, 0);
        m.sample(15 * S, 150, 0);
        RateMeter.Rates r = m.rates();
        assertThat(r.seconds()).isEqualTo(11.0);
        assertThat(r.in()).isCloseTo(10.0, within(1e-9));
    }
}
