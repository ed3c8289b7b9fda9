package dev.parley.chat;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParseException;
import dev.parley.protocol.IrcParser;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What typed input does. Slash commands are rows in a table (name, usage, help, handler);
 * plain text goes to the current target. Runs on the chat loop thread.
 */
final class UserCommands {
    /** A handler gets the client and the parsed command. */
    @FunctionalInterface
    interface Handler {
        void run(ChatClient c, Input.Command cmd);
    }

    /** One command: {@code usage} is its syntax line, {@code help} one sentence. */
    record Row(String name, String usage, String help, Handler handler) {
    }

    private static final Map<String, Row> TABLE = new LinkedHashMap<>();

    static {
        add("join", "/join <#channel>[,<#channel>…] [key]", "join channels; the first becomes the target", Channels::join);
        add("part", "/part [#channel] [reason]", "leave a channel (the current one by default)", Channels::part);
        add("msg", "/msg <nick|#channel> <text>", "send one message without changing the target", Talk::msg);
        add("query", "/query [nick|#channel]", "make that the target of what you type; alone: show the target", Talk::query);
        add("me", "/me <action>", "describe what you do (CTCP ACTION) to the target", Talk::me);
        add("notice", "/notice <nick|#channel> <text>", "send a notice", Talk::notice);
        add("nick", "/nick <newnick>", "change your nick", Talk::nick);
        add("names", "/names [#channel]", "list who is in a channel", Channels::names);
        add("topic", "/topic [#channel] [new topic]", "show or set a channel's topic", Channels::topic);
        add("list", "/list [mask]", "list channels", (c, cmd) -> c.send(cmd.args().isEmpty()
                ? IrcMessage.of("LIST") : IrcMessage.of("LIST", cmd.words(2)[0])));
        add("whois", "/whois <nick>", "show who someone is", (c, cmd) -> {
            if (needs(c, cmd, 1)) {
                c.send(IrcMessage.of("WHOIS", cmd.words(2)[0]));
            }
        });
        add("away", "/away [message]", "mark yourself away with a message; alone: back again", (c, cmd) -> c.send(
                cmd.args().isEmpty() ? IrcMessage.of("AWAY") : IrcMessage.of("AWAY", cmd.args())));
        add("quit", "/quit [message]", "leave the server and end the program", (c, cmd) -> c.quit(cmd.args()));
        add("raw", "/raw <IRC line>", "send a line to the server exactly as written", UserCommands::raw);
        add("help", "/help [command]", "list commands, or explain one", UserCommands::help);
    }

    private UserCommands() {
    }

    private static void add(String name, String usage, String help, Handler h) {
        TABLE.put(name, new Row(name, usage, help, h));
    }

    /** Command names, for tab completion. */
    static Set<String> names() {
        return TABLE.keySet();
    }

    static void handle(ChatClient c, Input in) {
        switch (in) {
            case Input.Text t -> Talk.say(c, c.state().target(), t.text(), false);
            case Input.Command cmd -> {
                Row row = TABLE.get(cmd.name());
                if (row == null) {
                    c.show(Shown.error(c.now(), "unknown command /" + cmd.name() + " (/help lists them)"));
                } else {
                    row.handler().run(c, cmd);
                }
            }
        }
    }

    /** True when {@code cmd} has at least {@code n} words; otherwise shows its usage. */
    static boolean needs(ChatClient c, Input.Command cmd, int n) {
        if (cmd.words(n).length >= n) {
            return true;
        }
        c.show(Shown.error(c.now(), "usage: " + TABLE.get(cmd.name()).usage()));
        return false;
    }

    // /raw <line>
    private static void raw(ChatClient c, Input.Command cmd) {
        if (!needs(c, cmd, 1)) {
            return;
        }
        try {
            c.send(IrcParser.parseLine(cmd.args()));
        } catch (IrcParseException e) {
            c.show(Shown.error(c.now(), "not an IRC line: " + e.getMessage()));
        }
    }

    // /help [command]
    private static void help(ChatClient c, Input.Command cmd) {
        String name = cmd.args().isEmpty() ? null : cmd.words(2)[0].replaceFirst("^/", "");
        if (name != null && TABLE.containsKey(name)) {
            Row r = TABLE.get(name);
            c.show(Shown.info(c.now(), r.usage() + " — " + r.help()));
            return;
        }
        if (name != null) {
            c.show(Shown.error(c.now(), "no command /" + name));
        }
        TABLE.values().forEach(r -> c.show(Shown.info(c.now(), String.format("%-38s %s", r.usage(), r.help()))));
        c.show(Shown.info(c.now(), "Text without a slash goes to the target; start it with // to send a leading /."));
    }
}
