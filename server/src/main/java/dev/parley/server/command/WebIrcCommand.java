package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.config.AddressSet;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.service.HashingPool;
import dev.parley.server.session.ConnectionGate;
import dev.parley.server.session.Session;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WEBIRC (ircv3.net/specs/extensions/webirc): a configured gateway, connecting from one of its
 * addresses, names the address of the user it connects for. Accepted, that address is the
 * client's from then on (cloak, D-lines and K-lines, the connection rate); refused (unknown
 * gateway, wrong source, wrong password, a bad address), the connection gets ERROR and closes.
 * The password is checked on the hashing pool and never logged.
 */
final class WebIrcCommand {
    private static final Logger LOG = LoggerFactory.getLogger("parley.webirc");

    private WebIrcCommand() {
    }

    static void register(CommandTable t) {
        t.addWithSession("WEBIRC", 4, true, WebIrcCommand::webirc);
    }

    // WEBIRC <password> <gateway> <hostname> <ip> [:<flags>]
    private static void webirc(Session s, IrcMessage m) {
        Client c = s.client();
        Hub hub = c.hub();
        if (c.isRegistered() || c.nick() != null || c.user() != null || c.gateway() != null) {
            refuse(c, m.param(1), "WEBIRC must come first");
            return;
        }
        String name = m.param(1);
        ServerConfig.WebIrc gateway = null;
        for (ServerConfig.WebIrc g : hub.config().webirc()) {
            if (g.name().equals(name) && AddressSet.parse(g.hosts()).contains(c.address())) {
                gateway = g;
            }
        }
        InetAddress user = literal(m.param(3));
        if (user == null) {
            refuse(c, name, "not an IP address: " + m.param(3));
            return;
        }
        boolean secureFlag = m.paramCount() > 4 && List.of(m.param(4).toLowerCase(Locale.ROOT).split(" ")).contains("secure");
        // an unknown gateway or wrong source costs the same hashing work as a wrong password
        String hash = gateway == null ? null : gateway.passwordHash();
        String password = m.param(0);
        ServerConfig.WebIrc found = gateway;
        s.offload(() -> {
            try {
                boolean ok = hub.hashing().verify(hash == null ? Dummy.HASH : hash, password);
                return hash != null && ok ? Boolean.TRUE : Boolean.FALSE;
            } catch (HashingPool.Busy e) {
                return null;
            }
        }, ok -> {
            if (ok == null) {
                refuse(c, name, "server busy, try again later");
            } else if (!ok) {
                refuse(c, name, found == null ? "unknown gateway or address" : "wrong password");
            } else if (!c.isClosing()) {
                // "secure" counts only when the gateway's own connection is secure or trusted
                boolean secure = secureFlag && (c.isSecure() || hub.trusted().contains(c.address()));
                LOG.info("WEBIRC: gateway {} at {} connects {}{}", found.name(), c.realHost(), user.getHostAddress(),
                        secure ? " (secure)" : "");
                // the connection counts for the user from here on, and leaves the gate as the user's
                ConnectionGate.Refusal refusal = s.gate().admitBehindGateway(c.address(), user);
                c.useGatewayAddress(found.name(), user, secure);
                if (refusal != null) {
                    LOG.info("WEBIRC: {} refused: {}", user.getHostAddress(), refusal.reason());
                    c.close(refusal.reason(), (String) null, false);
                }
            }
        });
    }

    /** A literal IPv4 or IPv6 address (a leading 0 as some gateways add before "::"), or null. */
    private static InetAddress literal(String text) {
        if (!(text.contains(":") || text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}"))) {
            return null; // nothing that could mean a name lookup
        }
        try {
            AddressSet.parse(List.of(text));
            return InetAddress.getByName(text);
        } catch (IllegalArgumentException | UnknownHostException e) {
            return null;
        }
    }

    private static void refuse(Client c, String gateway, String why) {
        LOG.warn("WEBIRC refused from {} (gateway {}): {}", c.realHost(), gateway, why);
        c.close("WEBIRC refused: " + why, (String) null, false);
    }

    /** Checked against when there is no gateway to check, so a probe cannot tell by timing. Made when first needed. */
    private static final class Dummy {
        static final String HASH = dev.parley.server.service.PasswordHasher.hash("parley-webirc-unknown-gateway");
    }
}
