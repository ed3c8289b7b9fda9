package dev.parley.server.command;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Numerics;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import dev.parley.server.session.Dispatcher;
import dev.parley.server.session.Session;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Commands as rows: name, minimum parameters, whether usable before registration, handler.
 * The table does the shared checks once (registration, parameter count, unknown command),
 * so handlers never repeat them. Handlers run on the client's reader.
 */
public final class CommandTable implements Dispatcher {
    /** A handler that needs the connection (blocking work, registration progress). */
    @FunctionalInterface
    interface SessionHandler {
        void handle(Session s, IrcMessage m);
    }

    /** A handler that needs only the user. */
    @FunctionalInterface
    interface Handler {
        void handle(Client c, IrcMessage m);
    }

    /** One row of the table; while {@code available} says no, the command is unknown. */
    record Command(String name, int minParams, boolean preRegistration, Predicate<Hub> available, SessionHandler handler) {
    }

    private final Map<String, Command> rows = new HashMap<>();

    void add(String name, int minParams, boolean preRegistration, Handler handler) {
        addWithSession(name, minParams, preRegistration, (s, m) -> handler.handle(s.client(), m));
    }

    void addWithSession(String name, int minParams, boolean preRegistration, SessionHandler handler) {
        addWithSession(name, minParams, preRegistration, hub -> true, handler);
    }

    /** A command this server knows only while {@code available} says so (a feature turned off is unknown). */
    void addWithSession(String name, int minParams, boolean preRegistration, Predicate<Hub> available,
            SessionHandler handler) {
        if (rows.putIfAbsent(name, new Command(name, minParams, preRegistration, available, handler)) != null) {
            throw new IllegalStateException("command registered twice: " + name);
        }
    }

    /** Every command this server knows. */
    public static CommandTable standard() {
        CommandTable t = new CommandTable();
        RegistrationCommands.register(t);
        ChannelCommands.register(t);
        MessageCommands.register(t);
        QueryCommands.register(t);
        CapCommands.register(t);
        ModeCommands.register(t);
        UserCommands.register(t);
        MonitorCommand.register(t);
        OperCommands.register(t);
        WebIrcCommand.register(t);
        BanCommands.register(t);
        AccountCommands.register(t);
        ChanServ.register(t);
        HistoryCommands.register(t);
        ReadMarkerCommand.register(t);
        RedactCommand.register(t);
        MultilineCommand.register(t);
        return t;
    }

    public boolean has(String name) {
        return rows.containsKey(name);
    }

    @Override
    public void dispatch(Session s, IrcMessage m) {
        Client c = s.client();
        if (s.clientBatch() != null && MultilineCommand.collect(s, m)) {
            return; // a line of the client's open multiline batch
        }
        Command cmd = rows.get(m.command());
        if (cmd == null || !cmd.available().test(c.hub())) {
            if (c.isRegistered()) {
                c.numeric(Numerics.ERR_UNKNOWNCOMMAND, m.command(), "Unknown command");
            } else {
                c.numeric(Numerics.ERR_NOTREGISTERED, "You have not registered");
            }
            return;
        }
        if (!cmd.preRegistration() && !c.isRegistered()) {
            c.numeric(Numerics.ERR_NOTREGISTERED, "You have not registered");
            return;
        }
        if (m.paramCount() < cmd.minParams()) {
            c.numeric(Numerics.ERR_NEEDMOREPARAMS, m.command(), "Not enough parameters");
            return;
        }
        cmd.handler().handle(s, m);
    }
}
