package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** How {@code --servers} spreads clients: parsed by the real command line, then asked of the config. */
class ServerSpreadTest {
    private static BenchConfig config(String... args) {
        BenchCommand cmd = new BenchCommand();
        new CommandLine(cmd).parseArgs(args);
        return cmd.config();
    }

    private static final String THREE = "127.0.0.1:6667,127.0.0.1:6668,127.0.0.1:6669";

    @Test
    void oneChannelIsPlainRoundRobin() {
        BenchConfig c = config("--servers", THREE, "--clients", "9", "--senders", "3");
        for (int i = 0; i < 9; i++) {
            assertThat(c.serverOf(i)).isEqualTo(i % 3);
        }
        assertThat(c.spread()).isTrue();
        assertThat(c.target()).isEqualTo(THREE);
    }

    @Test
    void everyChannelHasMembersOnEveryServerEvenWhenChannelsAndServersShareAFactor() {
        // with plain i mod 3, channel 0 of 3 would live on server 0 alone and nothing would cross
        BenchConfig c = config("--servers", THREE, "--clients", "30", "--channels", "3");
        for (int ch = 0; ch < 3; ch++) {
            Set<Integer> on = new HashSet<>();
            for (int i = ch; i < 30; i += 3) {
                on.add(c.serverOf(i));
            }
            assertThat(on).as("servers of channel %d", ch).containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    @Test
    void sendersAreSpreadAndEachServerGetsItsShare() {
        BenchConfig c = config("--servers", THREE, "--clients", "300", "--channels", "6", "--senders", "6");
        Set<Integer> senders = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            senders.add(c.serverOf(i));
        }
        assertThat(senders).containsExactlyInAnyOrder(0, 1, 2);
        int[] per = new int[3];
        for (int i = 0; i < 300; i++) {
            per[c.serverOf(i)]++;
        }
        assertThat(per).containsExactly(100, 100, 100);
    }

    @Test
    void aSenderHasReceiversOnItsOwnServerAndOnOthers() {
        BenchConfig c = config("--servers", "127.0.0.1:6667,127.0.0.1:6668", "--clients", "8", "--senders", "2");
        for (int s = 0; s < 2; s++) {
            boolean same = false;
            boolean across = false;
            for (int r = 0; r < 8; r++) {
                if (r != s && c.channelOf(r) == c.channelOf(s)) {
                    same |= c.serverOf(r) == c.serverOf(s);
                    across |= c.serverOf(r) != c.serverOf(s);
                }
            }
            assertThat(same).isTrue();
            assertThat(across).isTrue();
        }
    }

    @Test
    void hostAndPortStillNameOneServer() {
        BenchConfig c = config("--host", "127.0.0.1", "--port", "7000");
        assertThat(c.servers()).hasSize(1);
        assertThat(c.spread()).isFalse();
        assertThat(c.serverOf(5)).isZero();
        assertThat(c.target()).isEqualTo("127.0.0.1:7000");
        assertThat(config().target()).isEqualTo("127.0.0.1:6667");
    }

    @Test
    void severalServerPidsAreKept() {
        String self = Long.toString(ProcessHandle.current().pid());
        BenchConfig c = config("--servers", THREE, "--server-pid", self + "," + self, "--watch-pid", self);
        assertThat(c.serverPids()).hasSize(2);
        assertThat(c.watchPids()).hasSize(1);
    }
}
