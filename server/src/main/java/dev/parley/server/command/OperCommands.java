package dev.parley.server.command;

import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Client;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.AccountService;

import static dev.parley.protocol.Numerics.ERR_NEEDMOREPARAMS;
import static dev.parley.protocol.Numerics.ERR_NOOPERHOST;
import static dev.parley.protocol.Numerics.ERR_NOPRIVILEGES;
import static dev.parley.protocol.Numerics.ERR_NOSUCHNICK;
import static dev.parley.protocol.Numerics.ERR_PASSWDMISMATCH;
import static dev.parley.protocol.Numerics.RPL_REHASHING;
import static dev.parley.protocol.Numerics.RPL_YOUREOPER;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Masks;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.core.Change;
import dev.parley.server.core.Hub;
import dev.parley.server.core.Client;
import dev.parley.server.core.Outgoing;
import dev.parley.server.service.PasswordHasher;
import dev.parley.server.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Server operator commands: OPER, KILL, WALLOPS, REHASH. */
final class OperCommands {
    private static final Logger LOG = LoggerFactory.getLogger("parley.server");

    private OperCommands() {
    }

    static void register(CommandTable t) {
        t.addWithSession("OPER", 2, false, OperCommands::oper);
        t.add("KILL", 2, false, OperCommands::kill);
        t.add("WALLOPS", 1, false, OperCommands::wallops);
        t.add("REHASH", 0, false, OperCommands::rehash);
    }

    // OPER <name> <password>
    private static void oper(Session s, IrcMessage m) {
        Client c = s.client();
        ServerConfig cfg = c.hub().config();
        ServerConfig.Operator match = null;
        for (ServerConfig.Operator op : cfg.operators()) {
            if (op.name().equals(m.param(0))) {
                match = op;
            }
        }
        String userHost = c.user() + "@" + c.host();
        String realUserHost = c.user() + "@" + c.realHost(); // operator blocks name real addresses
        boolean hostOk = match != null && match.hosts().stream().anyMatch(h -> Masks.matches(h, realUserHost, c.hub().caseMapping())
                || Masks.matches(h, userHost, c.hub().caseMapping()));
        // a name or host that does not match costs the same work, so a probe cannot tell them apart by timing
        ServerConfig.Operator op = hostOk ? match : null;
        String name = m.param(0);
        String password = m.param(1);
        AccountService accounts = c.hub().accounts();
        s.offload(() -> accounts.checkOperator(op == null ? null : op.passwordHash(), password, Logins.address(c)), r -> {
            switch (r.outcome()) {
                case OK -> operChecked(c, op, true);
                case THROTTLED -> {
                    c.serverMessage("NOTICE", c.nick(),
                            "OPER refused: too many failed attempts, try again in " + r.waitSeconds() + " seconds");
                    LOG.warn("throttled OPER attempt as '{}' from {}", name, c.describe());
                }
                case BUSY -> c.serverMessage("NOTICE", c.nick(), "OPER failed: the server is busy, try again later");
                default -> {
                    if (op == null) {
                        c.numeric(ERR_NOOPERHOST, "No O-lines for your host");
                        LOG.warn("failed OPER attempt as '{}' from {}", name, c.describe());
                    } else {
                        operChecked(c, op, false);
                    }
                }
            }
        });
    }

    /** Runs on the client's reader once the password check is done. */
    private static void operChecked(Client c, ServerConfig.Operator match, boolean ok) {
        if (!ok) {
            c.numeric(ERR_PASSWDMISMATCH, "Password incorrect");
            LOG.warn("failed OPER attempt as '{}' from {}", match.name(), c.describe());
            return;
        }
        c.hub().apply(new Change.Oper(c, match.name()));
        c.numeric(RPL_YOUREOPER, "You are now an IRC operator");
        c.send(IrcMessage.from(c.prefix(), "MODE", c.nick(), "+o"));
        LOG.info("{} is now an operator ({})", c.describe(), match.name());
        if (match.vhost() != null && !match.vhost().isBlank()) {
            changeHost(c, match.vhost());
        }
    }

    /** Gives {@code c} a new visible host; peers with chghost see CHGHOST. */
    static void changeHost(Client c, String newHost) {
        c.hub().apply(new Change.Host(c, newHost));
    }

    // KILL <nickname> <comment>
    private static void kill(Client c, IrcMessage m) {
        if (!c.isOper()) {
            c.numeric(ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            return;
        }
        Client target = c.hub().findNick(m.param(0));
        if (target == null || !target.isRegistered()) {
            c.numeric(ERR_NOSUCHNICK, m.param(0), "No such nick/channel");
            return;
        }
        String reason = m.param(1).isEmpty() ? "no reason" : m.param(1);
        target.send(IrcMessage.from(c.prefix(), "KILL", target.nick(), reason));
        LOG.info("{} killed {} ({})", c.describe(), target.describe(), reason);
        target.quit("Killed (" + c.nick() + " (" + reason + "))");
    }

    // WALLOPS <text>
    private static void wallops(Client c, IrcMessage m) {
        if (m.param(0).isEmpty()) {
            c.numeric(ERR_NEEDMOREPARAMS, "WALLOPS", "Not enough parameters");
            return;
        }
        if (!c.isOper()) {
            c.numeric(ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            return;
        }
        Outgoing out = c.hub().relay(c, IrcMessage.from(c.prefix(), "WALLOPS", m.param(0)));
        for (Client x : c.hub().clients()) {
            if (x.isRegistered() && x.hasMode('w')) {
                x.send(out);
            }
        }
    }

    // REHASH
    private static void rehash(Client c, IrcMessage m) {
        if (!c.isOper()) {
            c.numeric(ERR_NOPRIVILEGES, "Permission Denied- You're not an IRC operator");
            return;
        }
        ServerConfig cfg = c.hub().config();
        String file = cfg.configFile() == null ? "(command line)" : cfg.configFile().toString();
        c.numeric(RPL_REHASHING, file, "Rehashing");
        try {
            Hub.Rehashed done = c.hub().rehash();
            LOG.info("{} reloaded the configuration", c.describe());
            if (!done.needRestart().isEmpty()) {
                c.serverMessage("NOTICE", c.nick(), "REHASH: these settings change only on restart, they keep their"
                        + " running values: " + String.join(", ", done.needRestart()));
            }
        } catch (Exception e) {
            String why = e.getMessage() == null ? e.toString() : e.getMessage();
            c.serverMessage("NOTICE", c.nick(), "REHASH failed, keeping the old configuration: " + why);
            LOG.warn("REHASH failed: {}", why);
        }
    }
}
