package dev.parley.chat;

import dev.parley.protocol.IrcMessage;

/**
 * Sending text: plain lines, {@code /msg}, {@code /me}, {@code /notice}, plus {@code /query}
 * and {@code /nick}. Without echo-message the client shows its own lines at once; with it, the
 * server's echo shows them, so nothing appears twice. Runs on the chat loop thread.
 */
final class Talk {
    private Talk() {
    }

    /** Sends {@code text} to {@code target}, split to fit, as a message or an action. */
    static void say(ChatClient c, String target, String text, boolean action) {
        if (target == null) {
            c.show(Shown.error(c.now(), "no target: /join a channel or /query a nick first"));
            return;
        }
        ChatState s = c.state();
        int budget = Splitter.budget(s.nick(), c.settings().user(), target, action);
        for (String piece : Splitter.split(text, budget)) {
            String body = action ? Conversation.CTCP + "ACTION " + piece + Conversation.CTCP : piece;
            c.send(IrcMessage.of("PRIVMSG", target, body));
            if (!c.registration().enabled("echo-message")) {
                String where = s.isChannel(target) ? target : "PM -> " + target;
                c.show(new Shown(c.now(), action ? Shown.Kind.ACTION : Shown.Kind.MESSAGE, where, s.nick(), piece, false));
            }
        }
    }

    // /msg <target> <text>
    static void msg(ChatClient c, Input.Command cmd) {
        if (UserCommands.needs(c, cmd, 2)) {
            String[] w = cmd.words(2);
            say(c, w[0], w[1], false);
        }
    }

    // /me <action>
    static void me(ChatClient c, Input.Command cmd) {
        if (UserCommands.needs(c, cmd, 1)) {
            say(c, c.state().target(), cmd.args(), true);
        }
    }

    // /notice <target> <text>
    static void notice(ChatClient c, Input.Command cmd) {
        if (!UserCommands.needs(c, cmd, 2)) {
            return;
        }
        String[] w = cmd.words(2);
        c.send(IrcMessage.of("NOTICE", w[0], w[1]));
        if (!c.registration().enabled("echo-message")) {
            String where = c.state().isChannel(w[0]) ? w[0] : "PM -> " + w[0];
            c.show(new Shown(c.now(), Shown.Kind.NOTICE, where, c.state().nick(), w[1], false));
        }
    }

    // /query [target]
    static void query(ChatClient c, Input.Command cmd) {
        if (cmd.args().isEmpty()) {
            String t = c.state().target();
            c.show(Shown.info(c.now(), t == null ? "no target yet" : "target: " + t));
            return;
        }
        String target = cmd.words(2)[0];
        c.state().target(target);
        c.promptChanged();
        c.show(Shown.status(c.now(), "now talking to " + target));
    }

    // /nick <newnick>
    static void nick(ChatClient c, Input.Command cmd) {
        if (!UserCommands.needs(c, cmd, 1)) {
            return;
        }
        String nick = cmd.words(2)[0];
        if (!c.isRegistered()) {
            c.state().nick(nick); // the nick to register with, now and after a reconnect
        }
        c.send(IrcMessage.of("NICK", nick));
    }
}
