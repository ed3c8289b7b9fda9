package dev.parley.server.command;

import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a door that speaks no IRC (the UDP door) shares with the commands, as typed calls:
 * the nicks reserved for services, completing registration without the welcome burst, and
 * the history replay after a join. Each runs on the calling client's reader.
 */
public final class Doors {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");

    private Doors() {
    }

    /** True for a nick reserved for services (NickServ, ChanServ): NICK refuses it as in use. */
    public static boolean isServiceNick(String nick) {
        return Logins.isServiceNick(nick);
    }

    /**
     * {@code c}, with its nick and user set, is registered: no welcome burst, but what IRC
     * users also get after it — the greeting of a returning address and the protection of a
     * registered nick. Reader only.
     */
    public static void registered(Client c) {
        if (!c.hub().apply(new Change.Register(c))) {
            return; // registered already, or closing
        }
        LOG.info("registered {} as {} (account none)", c.realHost(), c.prefix());
        Registrar.greetReturning(c);
        Logins.protectNick(c);
    }

    /** The nick changed: the protection of a registered nick applies to the new one. Reader only. */
    public static void nickChanged(Client c) {
        Logins.protectNick(c);
    }

    /**
     * Sends {@code ch}'s recent history to {@code c}, which just joined it: the store is read
     * on {@code blocking}, and the replay is sent by the task handed to {@code reader}, which
     * must run it on {@code c}'s reader.
     */
    public static void replayOnJoin(Client c, Change.Joined joined, Executor blocking, Executor reader) {
        History.replayOnJoin(c, joined, (work, then) -> blocking.execute(() -> {
            try {
                var entries = work.get();
                reader.execute(() -> then.accept(entries));
            } catch (RuntimeException e) {
                LOG.error("history replay for {} failed", c.describe(), e);
            }
        }));
    }
}
