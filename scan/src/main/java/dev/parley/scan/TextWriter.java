package dev.parley.scan;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * The human-readable format: {@code Port 22 open  ssh}, one line per shown port, ascending;
 * with several hosts each host's lines follow a {@code Host …} line (written only when the
 * host has a line to show); a summary line closes the output.
 */
final class TextWriter extends FormatWriter {
    private final PrintWriter out;
    private final Services services;
    private final boolean manyHosts;
    private final Progress progress;
    private final StringBuilder pending = new StringBuilder();
    private String header;

    TextWriter(PrintWriter out, Services services, boolean showAll, boolean manyHosts, Progress progress) {
        super(showAll);
        this.out = out;
        this.services = services;
        this.manyHosts = manyHosts;
        this.progress = progress;
    }

    @Override
    void begin(List<TargetError> errors) {
        // errors were already reported on stderr
    }

    @Override
    public void hostStarted(ScanHost host) {
        header = manyHosts ? "Host " + host.label() : null;
    }

    @Override
    void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info) {
        if (header != null) {
            pending.append(header).append('\n');
            header = null;
        }
        String service = services.name(port);
        if (info != null) {
            String about = info.describe();
            service = about.isEmpty() ? info.service() : info.service() + "  " + about;
        }
        pending.append(line(port, reason.state(), service, banner)).append('\n');
        if (pending.length() > 64 * 1024) {
            flush();
        }
    }

    /** One port's line: {@code Port 22 open  ssh  "SSH-2.0-OpenSSH_9.2"}. */
    static String line(int port, PortState state, String service, String banner) {
        StringBuilder sb = new StringBuilder("Port ").append(port).append(' ').append(state.label());
        if (service != null) {
            sb.append("  ").append(service);
        }
        if (banner != null) {
            sb.append("  \"").append(banner).append('"');
        }
        return sb.toString();
    }

    @Override
    void end(ScanSummary s) {
        pending.append(summary(s)).append('\n');
        flush();
    }

    /** {@code Scanned 1 host, 65535 ports in 0.52 s (126031 ports/s): 2 open, 65533 closed, 0 filtered}. */
    static String summary(ScanSummary s) {
        String up = s.up() < s.addresses() ? String.format(Locale.ROOT, " (%d of %d address%s up)", s.up(),
                s.addresses(), s.addresses() == 1 ? "" : "es") : "";
        return String.format(Locale.ROOT, "Scanned %d host%s%s, %d port%s in %.2f s (%d ports/s): %d open, %d closed, %d filtered",
                s.hosts(), s.hosts() == 1 ? "" : "s", up, s.ports(), s.ports() == 1 ? "" : "s",
                s.elapsedNanos() / 1e9, s.portsPerSecond(), s.open(), s.closed(), s.filtered());
    }

    @Override
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        String text = pending.toString();
        pending.setLength(0);
        progress.whileCleared(() -> {
            out.write(text);
            out.flush();
        });
        checkOpen(out);
    }
}
