package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
    @Test
    void cpuIsUserPlusSystemTicksEvenWithSpacesInTheName() {
        String stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 1000 0 0 0 250 130 0 0 20 0 30 0 100 "
                + "5000000 1200 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        assertThat(ProcStats.cpuSeconds(stat)).isCloseTo(3.8, within(1e-9));
    }

    @Test
    void rssComesFromVmRss() {
        String status = "Name:\tjava\nVmPeak:\t 999 kB\nVmRSS:\t   20480 kB\nThreads:\t12\n";
        assertThat(ProcStats.rssBytes(status)).isEqualTo(20480L * 1024);
    }

    @Test
    void bytesWrittenComeFromWchar() {
        String io = "rchar: 123456\nwchar: 987654321\nsyscr: 10\nsyscw: 20\nread_bytes: 0\nwrite_bytes: 4096\n";
        assertThat(ProcStats.writtenBytes(io)).isEqualTo(987654321L);
    }

    @Test
    void writesOfThisProcessAreCounted() throws Exception {
        long pid = ProcessHandle.current().pid();
        long before = ProcStats.read(pid).orElseThrow().writtenBytes();
        java.nio.file.Path f = java.nio.file.Files.createTempFile("wchar", ".bin");
        try {
            java.nio.file.Files.write(f, new byte[100_000]);
        } finally {
            java.nio.file.Files.delete(f);
        }
        long after = ProcStats.read(pid).orElseThrow().writtenBytes();
        assertThat(after - before).isGreaterThanOrEqualTo(100_000);
    }

    @Test
    void thisProcessCanBeRead() {
        long pid = ProcessHandle.current().pid();
        assertThat(ProcStats.exists(pid)).isTrue();
        ProcStats.Sample s = ProcStats.read(pid).orElseThrow();
        assertThat(s.rssBytes()).isPositive();
        assertThat(s.cpuSeconds()).isPositive();
        assertThat(ProcStats.read(Long.MAX_VALUE)).isEmpty();
    }
}
