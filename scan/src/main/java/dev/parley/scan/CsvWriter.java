package dev.parley.scan;

import java.io.PrintWriter;
import java.util.List;

/**
 * Comma-separated values (RFC 4180): a header line, then one record per shown port:
 * {@code host,address,port,state,reason,service,banner}. Nothing else, so the output can go
 * straight into a spreadsheet or a database; errors go to stderr.
 */
final class CsvWriter extends FormatWriter {
    static final String HEADER = "host,address,port,state,reason,service,banner";

    private final PrintWriter out;
    private final Services services;
    private final StringBuilder pending = new StringBuilder();

    CsvWriter(PrintWriter out, Services services, boolean showAll) {
        super(showAll);
        this.out = out;
        this.services = services;
    }

    @Override
    void begin(List<TargetError> errors) {
        pending.append(HEADER).append('\n');
    }

    @Override
    void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info) {
        field(host.name()).append(',');
        field(host.addressText()).append(',');
        pending.append(port).append(',');
        pending.append(reason.state().label()).append(',');
        pending.append(reason.label()).append(',');
        field(info != null ? info.service() : services.name(port)).append(',');
        field(banner).append('\n');
        if (pending.length() > 64 * 1024) {
            flush();
        }
    }

    private StringBuilder field(String value) {
        return pending.append(escape(value));
    }

    /** A field as RFC 4180 wants it: quoted (with quotes doubled) when it holds a comma, quote, CR or LF. */
    static String escape(String value) {
        if (value == null || value.isEmpty()) {
            return "";
        }
        boolean quote = false;
        for (int i = 0; i < value.length() && !quote; i++) {
            char c = value.charAt(i);
            quote = c == ',' || c == '"' || c == '\r' || c == '\n';
        }
        if (!quote && value.charAt(0) != ' ' && value.charAt(value.length() - 1) != ' ') {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    @Override
    void end(ScanSummary summary) {
        flush();
    }

    @Override
    public void flush() {
        writeOut(out, pending);
    }
}
