package dev.parley.scan;

import java.io.PrintWriter;
import java.util.List;

/**
 * Greppable lines, in the layout of nmap's {@code -oG}: one line per host,
 * <pre>Host: 10.0.0.7 (db.example)	Ports: 22/open/tcp//ssh///, 5432/open/tcp//postgresql///	Ignored State: closed (998)</pre>
 * so {@code grep 22/open/} finds the hosts with SSH open and {@code cut -f2} the port lists.
 * A comment line opens and closes the output. Called on the scan's reporting thread (the
 * scanner's lock held), one host at a time.
 */
final class GrepWriter extends FormatWriter {
    private final PrintWriter out;
    private final Services services;
    private final String args;
    private final StringBuilder pending = new StringBuilder();
    private final StringBuilder ports = new StringBuilder();

    GrepWriter(PrintWriter out, Services services, boolean showAll, String args) {
        super(showAll);
        this.out = out;
        this.services = services;
        this.args = args;
    }

    @Override
    void begin(List<TargetError> errors) {
        pending.append("# Parley scan as: parley scan ").append(args.replace('\n', ' ')).append('\n');
        for (TargetError e : errors) {
            pending.append("# ").append(e.message().replace('\n', ' ')).append('\n');
        }
    }

    @Override
    public void hostStarted(ScanHost host) {
        ports.setLength(0);
    }

    @Override
    void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info) {
        if (!ports.isEmpty()) {
            ports.append(", ");
        }
        String service = info != null ? info.service() : services.name(port);
        String version = info != null && !info.describe().isEmpty() ? info.describe() : banner;
        ports.append(port).append('/').append(reason.state().label()).append("/tcp//")
                .append(service == null ? "" : clean(service)).append("//")
                .append(version == null ? "" : clean(version)).append('/');
    }

    /** Fields are separated by '/' and ',' and lines by tabs and newlines: none may appear inside one. */
    static String clean(String text) {
        return text.replaceAll("[/,\\t\\r\\n]", " ");
    }

    @Override
    public void hostFinished(ScanHost host, long open, long closed, long filtered) {
        String id = "Host: " + host.addressText() + " (" + (host.name() == null ? "" : clean(host.name())) + ")";
        pending.append(id).append("\tStatus: Up\n");
        pending.append(id).append("\tPorts: ").append(ports);
        if (!showAll) {
            if (filtered == 0 && closed > 0) {
                pending.append("\tIgnored State: closed (").append(closed).append(')');
            } else if (closed == 0 && filtered > 0) {
                pending.append("\tIgnored State: filtered (").append(filtered).append(')');
            }
        }
        pending.append('\n');
        ports.setLength(0);
    }

    @Override
    void end(ScanSummary s) {
        pending.append(String.format(java.util.Locale.ROOT,
                "# Parley done: %d IP address%s (%d host%s up) scanned in %.2f seconds%n",
                s.addresses(), s.addresses() == 1 ? "" : "es", s.up(), s.up() == 1 ? "" : "s", s.elapsedNanos() / 1e9));
        flush();
    }

    @Override
    public void flush() {
        writeOut(out, pending);
    }
}
