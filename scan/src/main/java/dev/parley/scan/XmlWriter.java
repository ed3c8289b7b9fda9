package dev.parley.scan;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Inet6Address;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * XML in the layout of nmap's {@code -oX} ({@code <nmaprun>}, one {@code <host>} per host
 * scanned with its {@code <port>}s, {@code <extraports>} for the states not shown, round-trip
 * {@code <times>} and {@code <runstats>}), so tools that read nmap's XML read this too.
 * Written with {@code javax.xml.stream}, which escapes every text. Called on the scan's
 * reporting thread (the scanner's lock held), one host at a time.
 */
final class XmlWriter extends FormatWriter {
    private final PrintWriter out;
    private final Services services;
    private final String args;
    private final PortList ports;
    private final StringWriter buffer = new StringWriter();
    private final XMLStreamWriter xml;
    private final long startMillis = System.currentTimeMillis();
    private HostTiming timing;

    XmlWriter(PrintWriter out, Services services, boolean showAll, String args, PortList ports) {
        super(showAll);
        this.out = out;
        this.services = services;
        this.args = args;
        this.ports = ports;
        try {
            this.xml = XMLOutputFactory.newFactory().createXMLStreamWriter(buffer);
        } catch (XMLStreamException e) {
            throw new IllegalStateException(e);
        }
    }

    /** nmap's names for why a port has its state. */
    static String nmapReason(Reason r) {
        return switch (r) {
            case CONNECTED -> "syn-ack";
            case REFUSED -> "conn-refused";
            case NO_RESPONSE -> "no-response";
            case UNREACHABLE -> "host-unreach";
        };
    }

    private interface XmlWork {
        void run() throws XMLStreamException;
    }

    private void write(XmlWork work) {
        try {
            work.run();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write XML: " + e.getMessage(), e);
        }
    }

    @Override
    void begin(List<TargetError> errors) {
        write(() -> {
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeCharacters("\n");
            xml.writeDTD("<!DOCTYPE nmaprun>");
            xml.writeCharacters("\n");
            xml.writeStartElement("nmaprun");
            xml.writeAttribute("scanner", "parley");
            xml.writeAttribute("args", "parley scan " + args);
            xml.writeAttribute("start", String.valueOf(startMillis / 1000));
            xml.writeAttribute("startstr", Instant.ofEpochMilli(startMillis).toString());
            xml.writeAttribute("xmloutputversion", "1.05");
            xml.writeCharacters("\n");
            xml.writeEmptyElement("scaninfo");
            xml.writeAttribute("type", "connect");
            xml.writeAttribute("protocol", "tcp");
            xml.writeAttribute("numservices", String.valueOf(ports.size()));
            xml.writeAttribute("services", ranges(ports));
            xml.writeCharacters("\n");
            for (TargetError e : errors) {
                xml.writeComment(" " + e.message().replace("--", "- -") + " ");
                xml.writeCharacters("\n");
            }
        });
    }

    /** {@code 1-3,22,80}: the port list as nmap's {@code services} attribute writes it. */
    static String ranges(PortList ports) {
        StringBuilder b = new StringBuilder();
        int i = 0;
        while (i < ports.size()) {
            int first = ports.get(i);
            int last = first;
            while (i + 1 < ports.size() && ports.get(i + 1) == last + 1) {
                last = ports.get(++i);
            }
            i++;
            b.append(b.isEmpty() ? "" : ",").append(first);
            if (last != first) {
                b.append('-').append(last);
            }
        }
        return b.toString();
    }

    @Override
    public void hostStarted(ScanHost host) {
        write(() -> {
            xml.writeStartElement("host");
            xml.writeEmptyElement("status");
            xml.writeAttribute("state", "up");
            xml.writeAttribute("reason", "user-set");
            xml.writeAttribute("reason_ttl", "0");
            xml.writeEmptyElement("address");
            xml.writeAttribute("addr", host.addressText());
            xml.writeAttribute("addrtype", host.address() instanceof Inet6Address ? "ipv6" : "ipv4");
            xml.writeStartElement("hostnames");
            if (host.name() != null) {
                xml.writeEmptyElement("hostname");
                xml.writeAttribute("name", host.name());
                xml.writeAttribute("type", "user");
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeStartElement("ports");
        });
    }

    @Override
    void shownPort(ScanHost host, int port, Reason reason, String banner, ServiceInfo info) {
        write(() -> {
            xml.writeStartElement("port");
            xml.writeAttribute("protocol", "tcp");
            xml.writeAttribute("portid", String.valueOf(port));
            xml.writeEmptyElement("state");
            xml.writeAttribute("state", reason.state().label());
            xml.writeAttribute("reason", nmapReason(reason));
            xml.writeAttribute("reason_ttl", "0");
            String service = services.name(port);
            if (info != null) {
                xml.writeEmptyElement("service");
                xml.writeAttribute("name", info.service());
                if (info.product() != null) {
                    xml.writeAttribute("product", info.product());
                }
                if (info.version() != null) {
                    xml.writeAttribute("version", info.version());
                }
                if (info.extra() != null) {
                    xml.writeAttribute("extrainfo", info.extra());
                }
                xml.writeAttribute("method", "probed");
                xml.writeAttribute("conf", "10");
            } else if (service != null) {
                xml.writeEmptyElement("service");
                xml.writeAttribute("name", service);
                xml.writeAttribute("method", "table");
                xml.writeAttribute("conf", "3");
            }
            if (banner != null) {
                xml.writeEmptyElement("script");
                xml.writeAttribute("id", "banner");
                xml.writeAttribute("output", banner);
            }
            xml.writeEndElement();
            xml.writeCharacters("\n");
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
            if (!showAll) {
                extra("closed", "conn-refused", closed);
                extra("filtered", "no-response", filtered);
            }
            xml.writeEndElement(); // ports
            if (t != null && t.rttNanos() >= 0) {
                xml.writeEmptyElement("times");
                xml.writeAttribute("srtt", String.valueOf(t.rttMicros()));
                xml.writeAttribute("to", String.valueOf(t.timeoutNanos() / 1000));
            }
            xml.writeEndElement(); // host
            xml.writeCharacters("\n");
        });
    }

    private void extra(String state, String reason, long count) throws XMLStreamException {
        if (count == 0) {
            return;
        }
        xml.writeStartElement("extraports");
        xml.writeAttribute("state", state);
        xml.writeAttribute("count", String.valueOf(count));
        xml.writeEmptyElement("extrareasons");
        xml.writeAttribute("reason", reason);
        xml.writeAttribute("count", String.valueOf(count));
        xml.writeEndElement();
    }

    @Override
    void end(ScanSummary s) {
        write(() -> {
            long endMillis = System.currentTimeMillis();
            xml.writeStartElement("runstats");
            xml.writeEmptyElement("finished");
            xml.writeAttribute("time", String.valueOf(endMillis / 1000));
            xml.writeAttribute("timestr", Instant.ofEpochMilli(endMillis).toString());
            xml.writeAttribute("elapsed", String.format(Locale.ROOT, "%.2f", s.elapsedNanos() / 1e9));
            xml.writeAttribute("summary", TextWriter.summary(s));
            xml.writeAttribute("exit", "success");
            xml.writeEmptyElement("hosts");
            xml.writeAttribute("up", String.valueOf(s.up()));
            xml.writeAttribute("down", String.valueOf(s.addresses() - s.up()));
            xml.writeAttribute("total", String.valueOf(s.addresses()));
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndElement();
            xml.writeCharacters("\n");
            xml.writeEndDocument();
            xml.flush();
        });
        flush();
    }

    @Override
    public void flush() {
        write(xml::flush);
        StringBuffer b = buffer.getBuffer();
        if (b.isEmpty()) {
            return;
        }
        out.write(b.toString());
        out.flush();
        b.setLength(0);
        checkOpen(out);
    }
}
