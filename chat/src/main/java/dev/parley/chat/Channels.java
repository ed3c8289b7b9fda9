package dev.parley.chat;

import dev.parley.protocol.IrcMessage;

/** {@code /join}, {@code /part}, {@code /names} and {@code /topic}. Runs on the chat loop thread. */
final class Channels {
    private Channels() {
    }

    // /join <#channel>[,<#channel>…] [key]
    static void join(ChatClient c, Input.Command cmd) {
        if (!UserCommands.needs(c, cmd, 1)) {
            return;
        }
        String[] w = cmd.words(3);
        StringBuilder list = new StringBuilder();
        for (String name : w[0].split(",")) {
            if (!name.isEmpty()) {
                list.append(list.isEmpty() ? "" : ",").append(c.state().isChannel(name) ? name : "#" + name);
            }
        }
        if (list.isEmpty()) {
            UserCommands.needs(c, new Input.Command("join", ""), 1);
            return;
        }
        String channels = list.toString();
        c.send(w.length > 1 ? IrcMessage.of("JOIN", channels, w[1]) : IrcMessage.of("JOIN", channels));
        int comma = channels.indexOf(',');
        c.state().target(comma < 0 ? channels : channels.substring(0, comma));
        c.promptChanged();
    }

    // /part [#channel] [reason]
    static void part(ChatClient c, Input.Command cmd) {
        String[] w = cmd.words(2);
        String channel;
        String reason;
        if (w.length > 0 && c.state().isChannel(w[0])) {
            channel = w[0];
            reason = w.length > 1 ? w[1] : "";
        } else {
            channel = c.state().target();
            reason = cmd.args();
        }
        if (channel == null || !c.state().isChannel(channel)) {
            c.show(Shown.error(c.now(), "usage: /part [#channel] [reason] (the target is not a channel)"));
            return;
        }
        c.send(reason.isEmpty() ? IrcMessage.of("PART", channel) : IrcMessage.of("PART", channel, reason));
    }

    // /names [#channel]
    static void names(ChatClient c, Input.Command cmd) {
        String channel = cmd.args().isEmpty() ? c.state().target() : cmd.words(2)[0];
        if (channel == null || !c.state().isChannel(channel)) {
            c.show(Shown.error(c.now(), "usage: /names [#channel]"));
            return;
        }
        c.send(IrcMessage.of("NAMES", channel));
    }

    // /topic [#channel] [new topic]
    static void topic(ChatClient c, Input.Command cmd) {
        String[] w = cmd.words(2);
        boolean named = w.length > 0 && c.state().isChannel(w[0]);
        String channel = named ? w[0] : c.state().target();
        String text = named ? (w.length > 1 ? w[1] : null) : (cmd.args().isEmpty() ? null : cmd.args());
        if (channel == null || !c.state().isChannel(channel)) {
            c.show(Shown.error(c.now(), "usage: /topic [#channel] [new topic]"));
            return;
        }
        c.send(text == null ? IrcMessage.of("TOPIC", channel) : IrcMessage.of("TOPIC", channel, text));
    }
}
