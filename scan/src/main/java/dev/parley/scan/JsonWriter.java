package dev.parley.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * One JSON document, streamed as the scan goes, one array item per line:
 * <pre>{"errors":[…],"hosts":[
 * {"address":"127.0.0.1","name":"localhost","ports":[
 * {"port":22,"state":"open","reason":"connected","service":"ssh"}],"open":1,"closed":65534,"filtered":0}],
 * "summary":{"hosts":1,"ports":65535,…}}</pre>
 * Written with Jackson's streaming generator, so every string is escaped correctly.
 */
final class JsonWriter extends FormatWriter {
    private final PrintWriter out;
    private final JsonGenerator json;
    private final Services services;
    private HostTiming timing;

    JsonWriter(PrintWriter out, Services services, boolean showAll) {
        super(showAll);
        this.out = out;
        this.services = services;
        try {
            this.json = new JsonFactory().createGenerator(out)
                    .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
                    .setPrettyPrinter(new LinePerItem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FunctionalInterface
    private interface JsonAction {
        void run() throws IOException;
    }

    private void write(JsonAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    void begin(List<TargetError> errors) {
        write(() -> {
            json.writeStartObject();
            json.writeArrayFieldStart("errors");
            for (TargetError e : errors) {
                json.writeStartObject();
                json.writeStringField("target", e.target());
                json.writeStringField("error", e.message());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeArrayFieldStart("hosts");
        });
    }

    @Override
    public void hostStarted(ScanHost host) {
        write(() -> {
            json.writeStartObject();
            json.writeStringField("address", host.addressText());
            if (host.name() != null) {
                json.writeStringField("name", host.name());
            }
            json.writeArrayFieldStart("ports");
        });
    }

    @Override
    void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info) {
        write(() -> {
            json.writeStartObject();
            json.writeNumberField("port", port);
            json.writeStringField("state", reason.state().label());
            json.writeStringField("reason", reason.label());
            String service = info != null ? info.service() : services.name(port);
            if (service != null) {
                json.writeStringField("service", service);
            }
            if (info != null) {
                if (info.product() != null) {
                    json.writeStringField("product", info.product());
                }
                if (info.version() != null) {
                    json.writeStringField("version", info.version());
                }
                if (info.extra() != null) {
                    json.writeStringField("extra", info.extra());
                }
            }
            if (banner != null) {
                json.writeStringField("banner", banner);
            }
            json.writeEndObject();
        });
    }

    @Override
    public void hostTiming(ScanHost host, HostTiming timing) {
        this.timing = timing;
    }

    @Override
    public void hostFinished(ScanHost host, long open, long closed, long filtered) {
        HostTiming t = timing;
        timing = null;
        write(() -> {
            json.writeEndArray();
            json.writeNumberField("open", open);
            json.writeNumberField("closed", closed);
            json.writeNumberField("filtered", filtered);
            if (t != null) {
                json.writeNumberField("rtt_us", t.rttMicros());
                json.writeNumberField("timeout_ms", t.timeoutMillis());
                json.writeBooleanField("rtt_learned", t.learned());
            }
            json.writeEndObject();
        });
    }

    @Override
    void end(ScanSummary s) {
        write(() -> {
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("addresses", s.addresses());
            json.writeNumberField("up", s.up());
            json.writeNumberField("hosts", s.hosts());
            json.writeNumberField("ports", s.ports());
            json.writeNumberField("open", s.open());
            json.writeNumberField("closed", s.closed());
            json.writeNumberField("filtered", s.filtered());
            json.writeNumberField("elapsed_ms", s.elapsedMillis());
            json.writeNumberField("ports_per_second", s.portsPerSecond());
            json.writeNumberField("concurrency", s.concurrency());
            json.writeNumberField("max_in_flight", s.maxInFlight());
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
        });
        out.write('\n');
        out.flush();
    }

    @Override
    public void flush() {
        write(json::flush);
        checkOpen(out);
    }

    /** Compact JSON with a line break before each array item, so a long result stays readable and greppable. */
    private static final class LinePerItem extends MinimalPrettyPrinter {
        private static final long serialVersionUID = 1L;

        @Override
        public void beforeArrayValues(JsonGenerator g) throws IOException {
            g.writeRaw('\n');
        }

        @Override
        public void writeArrayValueSeparator(JsonGenerator g) throws IOException {
            g.writeRaw(",\n");
        }
    }
}
