package dev.parley.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class FdBudgetTest {
    private static final String LIMITS = """
            Limit                     Soft Limit           Hard Limit           Units
            Max cpu time              unlimited            unlimited            seconds
            Max open files            20000                524288               files
            Max locked memory         8388608              8388608              bytes
            """;

    @Test
    void readsTheSoftOpenFileLimit() {
        assertThat(FdBudget.parseLimits(LIMITS)).hasValue(20000);
        assertThat(FdBudget.parseLimits(LIMITS.replace("20000 ", "unlimited"))).hasValue(Long.MAX_VALUE);
        assertThat(FdBudget.parseLimits("Limit Soft\nMax processes 10 10 processes\n")).isEmpty();
        assertThat(FdBudget.parseLimits("Max open files   lots   lots  files\n")).isEmpty();
    }

    @Test
    void theBudgetLeavesAReserve() {
        FdBudget b = new FdBudget(1024, 100);
        assertThat(b.reserve()).isEqualTo(51);
        assertThat(b.available()).isEqualTo(1024 - 100 - 51);
        assertThat(new FdBudget(20000, 40).available()).isEqualTo(20000 - 40 - 1000);
        assertThat(new FdBudget(256, 10).reserve()).isEqualTo(32);
        assertThat(new FdBudget(64, 60).available()).isZero();
        assertThat(new FdBudget(Long.MAX_VALUE, 10).reserve()).isEqualTo(1024);
    }

    @Test
    void thisProcessHasALimitAboveWhatItUses() {
        FdBudget b = FdBudget.current();
        assertThat(b.limit()).isPositive();
        assertThat(b.inUse()).isPositive().isLessThan(b.limit());
    }

    @Test
    void countsDirectoryEntriesOrSaysItCannot() {
        assertThat(FdBudget.countOpen(Path.of("/nonexistent/fd"))).isEqualTo(-1);
    }
}
