package dev.parley.server;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Numerics;
import java.util.HashMap;
import java.util.Map;

/**
 * Commands as rows: name, minimum parameters, whether usable before registration, handler.
 * The table does the shared checks once (registration, parameter count, unknown command),
 * so handlers never repeat them. Handlers run on the client's reader.
 */
final class CommandTable {
    /** A handler for one command. */
    @FunctionalInterface
    interface Handler {
        void handle(Client c, IrcMessage m);
    }

    /** One row of the table. */
    record Command(String name, int minParams, boolean preRegistration, Handler handler) {
    }

    private final Map<String, Command> rows = new HashMap<>();

    void add(String name, int minParams, boolean preRegistration, Handler handler) {
        if (rows.putIfAbsent(name, new Command(name, minParams, preRegistration, handler)) != null) {
            throw new IllegalStateException("command registered twice: " + name);
        }
    }

    static CommandTable standard() {
        CommandTable t = new CommandTable();
        RegistrationCommands.register(t);
        ChannelCommands.register(t);
        MessageCommands.register(t);
        QueryCommands.register(t);
        CapCommands.register(t);
        ModeCommands.register(t);
        UserCommands.register(t);
        OperCommands.register(t);
        AccountCommands.register(t);
        HistoryCommands.register(t);
        return t;
    }

    boolean has(String name) {
        return rows.containsKey(name);
    }

    void dispatch(Client c, IrcMessage m) {
        Command cmd = rows.get(m.command());
        if (cmd == null) {
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
        cmd.handler().handle(c, m);
    }
}
