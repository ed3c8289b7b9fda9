package dev.parley.server.udp;

import dev.parley.protocol.Names;
import dev.parley.server.command.Doors;
import dev.parley.server.core.Change;
import dev.parley.server.core.Channel;
import dev.parley.server.core.Client;
import dev.parley.server.core.Hub;
import java.util.ArrayList;
import java.util.List;

/**
 * A participant's identity and membership, through typed changes: picking a free nick
 * ({@link Change.Nick}, {@code nick_1}, {@code nick_2}… while it is in use), registering,
 * joining the room ({@link Change.Join}, answered from its {@link Change.JoinResult} and the
 * channel's {@link Channel.View}), renaming, and the names and topic lines.
 *
 * <p>Threading: the door thread only (every participant's reader).
 */
final class UdpJoin {
    /** Longest names line: keeps every answer well inside one small datagram. */
    static final int NAMES_LINE_BYTES = 400;

    private final UdpRoom room;
    private final Hub hub;
    private final String channel;

    UdpJoin(UdpRoom room, Hub hub, String channel) {
        this.room = room;
        this.hub = hub;
        this.channel = channel;
    }

    /** The first suffix whose nick nobody holds right now, or -1 when none is left. */
    int firstFreeSuffix(String wanted) {
        int length = hub.config().nickLength();
        for (int suffix = 0; suffix <= UdpParticipant.MAX_SUFFIX; suffix++) {
            String candidate = UdpParticipant.candidateNick(wanted, suffix, length);
            if (candidate == null) {
                return -1;
            }
            if (hub.findNick(candidate) == null && !Doors.isServiceNick(candidate)) {
                return suffix;
            }
        }
        return -1;
    }

    /**
     * Takes a nick for the new participant {@code p} (from {@code suffix} on: someone may have
     * taken the free one since), registers it and joins the room.
     */
    void join(UdpParticipant p, String wanted, int suffix) {
        Client c = p.client;
        int length = hub.config().nickLength();
        String chosen = null;
        for (int s = suffix; s <= UdpParticipant.MAX_SUFFIX && chosen == null; s++) {
            String candidate = UdpParticipant.candidateNick(wanted, s, length);
            if (candidate == null) {
                break;
            }
            if (!Doors.isServiceNick(candidate) && hub.apply(new Change.Nick(c, candidate)) != Change.NickResult.IN_USE) {
                chosen = candidate;
            }
        }
        if (chosen == null) {
            room.reply(p, List.of(UdpRoom.noFreeNick(wanted), "-- bye"));
            room.forget(p);
            return;
        }
        p.nick = chosen;
        c.setUser("~udp", "UDP user"); // no address here: everyone sees the real name, the host is the cloak
        Doors.registered(c);
        switch (hub.apply(new Change.Join(c, channel, null))) {
            case Change.Joined j -> joined(p, wanted, j);
            case Change.AlreadyOn a -> joined(p, wanted, new Change.Joined(a.channel(), false,
                    hub.history() == null ? 0 : hub.history().lastSeq()));
            case Change.TooManyChannels t -> refused(p, "You have joined too many channels");
            case Change.Banned b -> refused(p, "Cannot join channel (+b)");
            case Change.InviteOnly x -> refused(p, "Cannot join channel (+i)");
            case Change.BadKey k -> refused(p, "Cannot join channel (+k)");
            case Change.Full f -> refused(p, "Cannot join channel (+l)");
            case Change.Closing x -> room.flush(p); // disconnected meanwhile: its goodbye is queued
        }
    }

    private void joined(UdpParticipant p, String wanted, Change.Joined joined) {
        Channel ch = joined.channel();
        List<String> out = new ArrayList<>();
        if (!hub.caseMapping().equals(wanted, p.nick)) {
            out.add("-- " + wanted + " is taken; you are " + p.nick);
        }
        out.addAll(names(p, ch, "-- joined " + channel + " as " + p.nick + "; here:"));
        out.addAll(topic(ch, false));
        room.reply(p, out);
        Doors.replayOnJoin(p.client, joined, room::offload, room.door()::execute);
    }

    private void refused(UdpParticipant p, String why) {
        room.reply(p, List.of("! cannot join " + channel + ": " + why, "-- bye"));
        room.forget(p);
    }

    /** {@code /nick}: a new nick for one in the room. */
    void rename(UdpParticipant p, String wanted) {
        Client c = p.client;
        if (!Names.isValidNick(wanted, hub.config().nickLength())) {
            room.reply(p, "! nick is not valid: " + wanted);
        } else if (Doors.isServiceNick(wanted)) {
            room.reply(p, "! nick " + wanted + " is taken");
        } else {
            switch (hub.apply(new Change.Nick(c, wanted))) {
                case IN_USE -> room.reply(p, "! nick " + wanted + " is taken");
                case CHANGED -> Doors.nickChanged(c); // its own NICK, queued, says "-- you are now known as …"
                case UNCHANGED -> {
                }
            }
        }
    }

    /** {@code /names}. */
    void names(UdpParticipant p) {
        room.reply(p, names(p, hub.findChannel(channel), "-- in " + channel + ":"));
    }

    /** {@code /topic}. */
    void topic(UdpParticipant p) {
        Channel ch = hub.findChannel(channel);
        room.reply(p, ch == null ? List.of("! " + channel + ": No such channel") : topic(ch, true));
    }

    /** The members as IRC users' NAMES shows them ({@code @bob carol}), in lines of at most {@link #NAMES_LINE_BYTES}. */
    private List<String> names(UdpParticipant p, Channel ch, String head) {
        List<String> out = new ArrayList<>();
        StringBuilder line = new StringBuilder(head);
        if (ch != null) {
            Channel.View v = ch.view();
            boolean member = p.client.isOn(ch);
            for (int i = 0; i < v.members().length; i++) {
                Client who = v.members()[i];
                if (!member && who.hasMode('i')) {
                    continue; // invisible users are listed only to fellow members
                }
                String n = v.prefixes()[i].prefix(false) + who.nick();
                if (line.length() + 1 + n.length() > NAMES_LINE_BYTES) {
                    out.add(line.toString());
                    line = new StringBuilder("-- ").append(channel).append(':');
                }
                line.append(' ').append(n);
            }
        }
        out.add(line.toString());
        return out;
    }

    private static List<String> topic(Channel ch, boolean sayWhenNone) {
        Channel.Topic t = ch.view().topic();
        if (t == null) {
            return sayWhenNone ? List.of("-- no topic is set") : List.of();
        }
        return List.of("-- topic: " + t.text());
    }
}
