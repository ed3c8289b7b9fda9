package dev.parley.server.command;

import static dev.parley.protocol.Numerics.ERR_INVALIDCAPCMD;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Cap;
import dev.parley.server.core.Client;
import dev.parley.server.session.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * IRCv3 capability negotiation, version 302: LS (with values, split over several lines when
 * long), LIST, REQ (all-or-nothing ACK/NAK, {@code -cap} to disable), END. Registration waits
 * while negotiation is open. Version 302 implies cap-notify.
 */
final class CapCommands {
    /** Room for capability names on one CAP line, well under 512 bytes. */
    private static final int LINE_BUDGET = 380;

    private CapCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("CAP", 1, true, CapCommands::cap);
    }

    // CAP <subcommand> [:<capabilities>]
    private static void cap(Session s, IrcMessage m) {
        Client c = s.client();
        switch (m.param(0).toUpperCase(Locale.ROOT)) {
            case "LS" -> ls(s, m.param(1));
            case "LIST" -> reply(c, "LIST", names(c.caps()));
            case "REQ" -> req(s, m.param(1) == null ? "" : m.param(1));
            case "END" -> {
                if (s.registration().isCapNegotiating()) {
                    s.registration().setCapNegotiating(false);
                    Registrar.tryComplete(s);
                }
            }
            default -> c.numeric(ERR_INVALIDCAPCMD, m.param(0), "Invalid CAP command");
        }
    }

    private static void ls(Session s, String version) {
        Client c = s.client();
        if (!c.isRegistered()) {
            s.registration().setCapNegotiating(true);
        }
        // any number of digits: "CAP LS 99999999999" must not overflow an int
        boolean v302 = version != null && version.matches("\\d+")
                && new java.math.BigInteger(version).compareTo(java.math.BigInteger.valueOf(302)) >= 0;
        if (v302) {
            c.setCaps(c.caps() | Cap.CAP_NOTIFY.bit());
        }
        List<String> offered = new ArrayList<>();
        for (Cap cap : Cap.values()) {
            if (!offered(cap, c.hub().config())) {
                continue;
            }
            String value = v302 ? capValue(cap, c.hub().config()) : null;
            offered.add(value == null ? cap.token() : cap.token() + "=" + value);
        }
        String sts = v302 ? stsPolicy(s) : null;
        if (sts != null) {
            offered.add("sts=" + sts);
        }
        reply(c, "LS", offered);
    }

    private static void req(Session s, String requested) {
        Client c = s.client();
        int caps = c.caps();
        for (String item : requested.trim().split(" +")) {
            if (item.isEmpty()) {
                continue;
            }
            boolean remove = item.startsWith("-");
            Cap cap = Cap.byToken(remove ? item.substring(1) : item);
            if (cap == null || !offered(cap, c.hub().config())) {
                c.serverMessage("CAP", c.nickOrStar(), "NAK", requested);
                return;
            }
            caps = remove ? caps & ~cap.bit() : caps | cap.bit();
        }
        if (!c.isRegistered()) {
            s.registration().setCapNegotiating(true);
        }
        c.setCaps(caps);
        c.serverMessage("CAP", c.nickOrStar(), "ACK", requested.trim());
    }

    /** Whether this server offers {@code cap}: history's capabilities only while it keeps history. */
    static boolean offered(Cap cap, ServerConfig cfg) {
        return switch (cap) {
            case CHATHISTORY, MESSAGE_REDACTION -> cfg.historyEnabled();
            default -> true;
        };
    }

    /** Sends a CAP reply, using {@code CAP * LS * :…} continuation lines when the list is long. */
    private static void reply(Client c, String sub, List<String> tokens) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String t : tokens) {
            if (!line.isEmpty() && line.length() + 1 + t.length() > LINE_BUDGET) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (!line.isEmpty()) {
                line.append(' ');
            }
            line.append(t);
        }
        lines.add(line.toString());
        for (int i = 0; i < lines.size(); i++) {
            if (i < lines.size() - 1) {
                c.serverMessage("CAP", c.nickOrStar(), sub, "*", lines.get(i));
            } else {
                c.serverMessage("CAP", c.nickOrStar(), sub, lines.get(i));
            }
        }
    }

    /**
     * The IRCv3 STS policy (informational, never requested): on a plain connection the TLS
     * port to upgrade to, on a TLS one how long to insist on TLS; null when no policy is set.
     */
    private static String stsPolicy(Session s) {
        ServerConfig cfg = s.client().hub().config();
        int tlsPort = s.client().hub().tlsPort();
        if (cfg.stsDuration() <= 0 || tlsPort < 0) {
            return null;
        }
        if (!s.transport().isSecure()) {
            return "port=" + tlsPort;
        }
        return "duration=" + cfg.stsDuration() + (cfg.stsPreload() ? ",preload" : "");
    }

    /** The value a capability advertises in CAP LS 302, or null for none. */
    static String capValue(Cap cap, ServerConfig cfg) {
        return switch (cap) {
            case SASL -> Sasl.MECHANISMS;
            case MULTILINE -> "max-bytes=" + cfg.multilineMaxBytes() + ",max-lines=" + cfg.multilineMaxLines();
            case ACCOUNT_REGISTRATION -> AccountCommands.capValue(cfg);
            default -> null;
        };
    }

    static List<String> names(int caps) {
        List<String> out = new ArrayList<>();
        for (Cap cap : Cap.values()) {
            if ((caps & cap.bit()) != 0) {
                out.add(cap.token());
            }
        }
        return out;
    }
}
