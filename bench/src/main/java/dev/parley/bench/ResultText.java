package dev.parley.bench;

import dev.parley.bench.BenchResult.Latency;
import dev.parley.bench.BenchResult.ProcessUse;
import java.util.Locale;
import java.util.Map;

/** The human-readable report of a {@link BenchResult}. */
final class ResultText {
    private ResultText() {
    }

    static String format(BenchResult r) {
        StringBuilder sb = new StringBuilder();
        String what = switch (r.mode()) {
            case "rate" -> String.format(Locale.ROOT, "open loop, %s msg/s", num(r.rate()));
            case "flood" -> "closed loop, window " + r.window();
            default -> "idle";
        };
        line(sb, "server", r.server());
        line(sb, "run", String.format(Locale.ROOT, "%s; %d clients, %d channel(s), %d sender(s); %s s measured after %s s warm-up; %d loop thread(s)",
                what, r.clients(), r.channels(), r.senders(), num(r.durationSeconds()), num(r.warmupSeconds()), r.threads()));
        var s = r.setup();
        line(sb, "setup", String.format(Locale.ROOT, "%d ready, %d failed in %.2f s (%s clients/s, connect concurrency %d)",
                s.ready(), s.failed(), s.seconds(), num(s.clientsPerSecond()), r.connectConcurrency()));
        line(sb, "handshake ms", latency(s.handshake()));
        reasons(sb, "setup failures", s.failures());
        if (r.load() != null) {
            var l = r.load();
            line(sb, "sent", String.format(Locale.ROOT, "%d messages (%s msg/s)%s", l.messagesSent(), num(l.messagesPerSecond()),
                    l.messagesSkipped() > 0 ? ", " + l.messagesSkipped() + " skipped: sender's socket backed up" : ""));
            line(sb, "deliveries", String.format(Locale.ROOT, "%d in %.2f s = %s deliveries/s", l.deliveries(),
                    l.measuredSeconds(), num(l.deliveriesPerSecond())));
            line(sb, "latency ms", latency(l.latency()));
            if (l.latencySameServer() != null) {
                line(sb, "  same server", latency(l.latencySameServer()));
                line(sb, "  cross-server", latency(l.latencyAcrossServers()));
            }
            if (l.windowTimeouts() > 0) {
                line(sb, "window timeouts", l.windowTimeouts() + " message(s) not delivered to everybody within --inflight-timeout");
            }
        }
        if (r.correctness() != null) {
            var c = r.correctness();
            line(sb, "correctness", String.format(Locale.ROOT, "%d expected, %d received, %d missing, %d duplicated, %d out of order%s",
                    c.expected(), c.received(), c.missing(), c.duplicated(), c.outOfOrder(),
                    c.pairsLeftOut() > 0 ? " (" + c.pairsLeftOut() + " sender/receiver pairs left out: disconnected)" : ""));
        }
        int dropped = r.disconnects().values().stream().mapToInt(Integer::intValue).sum();
        line(sb, "disconnects", dropped == 0 ? "none" : Integer.toString(dropped));
        reasons(sb, "  reasons", r.disconnects());
        process(sb, r.serverProcess() != null && r.serverProcess().pids() != null ? "server processes" : "server process",
                r.serverProcess());
        if (r.crossCheck() != null) {
            var x = r.crossCheck();
            line(sb, "cross-check", String.format(Locale.ROOT,
                    "the server wrote %.1f MB in the window (wchar): %s deliveries of the average %.1f-byte line"
                            + " the clients read; they counted %s (ratio %.3f)",
                    x.serverBytesWritten() / 1e6, num(x.deliveriesByServerBytes()), x.averageLineBytes(),
                    num(r.load() == null ? 0 : r.load().deliveries()), x.agreement()));
        }
        process(sb, "watched", r.watchedProcesses());
        process(sb, "load generator", r.generatorProcess());
        return sb.toString();
    }

    private static void process(StringBuilder sb, String label, ProcessUse p) {
        if (p == null) {
            return;
        }
        StringBuilder v = new StringBuilder(p.pids() == null ? "pid " + p.pid() : "pids " + joined(p.pids()));
        v.append(String.format(Locale.ROOT, ", %.2f CPU-s", p.cpuSeconds()));
        if (p.deliveriesPerCpuSecond() != null) {
            v.append(", ").append(num(p.deliveriesPerCpuSecond())).append(" deliveries per CPU-s");
        }
        v.append(String.format(Locale.ROOT, ", RSS %.1f MiB", p.rssBytes() / 1048576.0));
        if (p.rssPerClientBytes() != null) {
            v.append(String.format(Locale.ROOT, " (%.1f MiB before connecting; %.2f kB per client)",
                    p.rssBaselineBytes() / 1048576.0, p.rssPerClientBytes() / 1000.0));
        }
        line(sb, label, v.toString());
    }

    private static String joined(java.util.List<Long> pids) {
        StringBuilder sb = new StringBuilder();
        for (long pid : pids) {
            sb.append(sb.isEmpty() ? "" : ",").append(pid);
        }
        return sb.toString();
    }

    private static void reasons(StringBuilder sb, String label, Map<String, Integer> m) {
        if (m == null || m.isEmpty()) {
            return;
        }
        m.forEach((reason, n) -> line(sb, label, n + " × " + reason));
    }

    private static String latency(Latency l) {
        if (l.count() == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f  (mean %.3f, %d samples)",
                l.p50(), l.p90(), l.p99(), l.p999(), l.max(), l.mean(), l.count());
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-16s %s%n", label + ":", value));
    }

    /** A number without noise: integers as such, others with up to one decimal, thousands grouped. */
    static String num(double v) {
        if (Math.abs(v) >= 1000 || v == Math.rint(v)) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
