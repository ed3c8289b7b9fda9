package dev.parley.server.core;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import dev.parley.protocol.Masks;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the changes that concern a channel: join, part, kick, topic, invitation, modes.
 * Called only by {@link Hub#apply}. Each method checks and changes under the hub lock, so a
 * right checked (operator status, membership) still holds when the change is made, publishes
 * the channel's new {@link Channel.View}, and tells the members after releasing the lock.
 */
final class ChannelChanges {
    /** Changes with arguments one MODE line can carry: 15 parameters less the channel and the mode string. */
    static final int ARGS_PER_LINE = IrcParser.MAX_PARAMS - 2;

    private final Hub hub;

    ChannelChanges(Hub hub) {
        this.hub = hub;
    }

    Change.JoinResult join(Change.Join change) {
        Client c = change.client();
        String name = change.channel();
        String folded = hub.caseMapping().fold(name);
        Channel ch;
        boolean created;
        Client[] audience;
        Outgoing plain;
        Outgoing extended;
        hub.lock.lock();
        try {
            if (c.isClosing()) {
                return new Change.Closing(); // its Quit has run or waits for this lock: a member now would be a ghost
            }
            ch = hub.channels.get(folded);
            if (ch != null && ch.containsLocked(c)) {
                return new Change.AlreadyOn(ch);
            }
            if (c.memberships.size() >= hub.config().maxChannelsPerUser()) {
                return new Change.TooManyChannels();
            }
            created = ch == null;
            if (!created) {
                Change.JoinResult refused = admissionLocked(ch, c, change.key());
                if (refused != null) {
                    return refused;
                }
            } else {
                ch = new Channel(name, folded, hub.now());
                hub.channels.put(folded, ch);
            }
            ch.addLocked(c, Membership.of(created ? Membership.OP : 0));
            c.invitations.remove(ch);
            audience = ch.members();
            plain = hub.relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name()));
            String account = c.account() == null ? "*" : c.account();
            extended = hub.relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name(), account, c.realname()));
            // the joiner's own JOIN is queued before any member can fan a message out to it
            c.send(c.hasCap(Cap.EXTENDED_JOIN) ? extended : plain);
        } finally {
            hub.lock.unlock();
        }
        for (Client m : audience) {
            if (m != c) {
                m.send(m.hasCap(Cap.EXTENDED_JOIN) ? extended : plain);
            }
        }
        if (c.away() != null) {
            Outgoing away = hub.relay(c, IrcMessage.from(c.prefix(), "AWAY", c.away()));
            for (Client m : audience) {
                if (m != c && m.hasCap(Cap.AWAY_NOTIFY)) {
                    m.send(away);
                }
            }
        }
        return new Change.Joined(ch, created);
    }

    private Change.JoinResult admissionLocked(Channel ch, Client c, String key) {
        Channel.View v = ch.view();
        Channel.Modes modes = v.modes();
        boolean invited = c.invitations.contains(ch);
        CaseMapping cm = hub.caseMapping();
        if (!invited && matchesAny(v.bans(), c, cm)) {
            return new Change.Banned(ch);
        }
        if (modes.inviteOnly() && !invited && !matchesAny(v.exceptions(), c, cm)) {
            return new Change.InviteOnly(ch);
        }
        if (modes.key() != null && !modes.key().equals(key)) {
            return new Change.BadKey(ch);
        }
        if (modes.limit() > 0 && v.size() >= modes.limit()) {
            return new Change.Full(ch);
        }
        return null;
    }

    /** True when {@code c}'s nick!user@host matches a mask in {@code list}. */
    static boolean matchesAny(List<Channel.MaskEntry> list, Client c, CaseMapping cm) {
        if (list.isEmpty()) {
            return false;
        }
        String who = c.prefix();
        for (Channel.MaskEntry e : list) {
            if (Masks.matches(e.mask(), who, cm)) {
                return true;
            }
        }
        return false;
    }

    Boolean part(Change.Part change) {
        Client c = change.client();
        Channel ch = change.channel();
        Client[] audience;
        hub.lock.lock();
        try {
            audience = ch.members();
            if (!hub.removeMemberLocked(ch, c)) {
                return false;
            }
        } finally {
            hub.lock.unlock();
        }
        String reason = change.reason();
        IrcMessage msg = reason == null || reason.isEmpty()
                ? IrcMessage.from(c.prefix(), "PART", ch.name())
                : IrcMessage.from(c.prefix(), "PART", ch.name(), reason);
        Outgoing out = hub.relay(c, msg);
        for (Client m : audience) {
            m.send(out);
        }
        return true;
    }

    Change.KickResult kick(Change.Kick change) {
        Client by = change.by();
        Channel ch = change.channel();
        Client[] audience;
        hub.lock.lock();
        try {
            Membership mine = ch.membershipLocked(by);
            if (mine == null) {
                return Change.KickResult.NOT_ON_CHANNEL;
            }
            if (!mine.isOp()) {
                return Change.KickResult.NOT_OPERATOR;
            }
            audience = ch.members();
            if (!hub.removeMemberLocked(ch, change.target())) {
                return Change.KickResult.TARGET_NOT_ON_CHANNEL;
            }
        } finally {
            hub.lock.unlock();
        }
        Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "KICK", ch.name(), change.target().nick(),
                change.reason()));
        for (Client m : audience) {
            m.send(out);
        }
        return Change.KickResult.KICKED;
    }

    Change.TopicResult topic(Change.Topic change) {
        Client by = change.by();
        Channel ch = change.channel();
        String text = change.text();
        Client[] audience;
        hub.lock.lock();
        try {
            Membership mine = ch.membershipLocked(by);
            if (mine == null) {
                return Change.TopicResult.NOT_ON_CHANNEL;
            }
            if (ch.modes().topicOps() && !mine.isOp()) {
                return Change.TopicResult.NOT_OPERATOR;
            }
            ch.setTopicLocked(text.isEmpty() ? null : new Channel.Topic(text, by.prefix(), hub.now()));
            audience = ch.members();
        } finally {
            hub.lock.unlock();
        }
        Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "TOPIC", ch.name(), text));
        for (Client m : audience) {
            m.send(out);
        }
        return Change.TopicResult.SET;
    }

    Change.InviteResult invite(Change.Invite change) {
        Client by = change.by();
        Client target = change.target();
        Channel ch = change.channel();
        hub.lock.lock();
        try {
            if (target.isClosing()) {
                return Change.InviteResult.GONE; // its Quit clears invitations; one added after it would stay
            }
            Membership mine = ch.membershipLocked(by);
            if (mine == null) {
                return Change.InviteResult.NOT_ON_CHANNEL;
            }
            if (ch.containsLocked(target)) {
                return Change.InviteResult.ALREADY_ON_CHANNEL;
            }
            if (ch.modes().inviteOnly() && !mine.isOp()) {
                return Change.InviteResult.NOT_OPERATOR;
            }
            target.invitations.removeIf(old -> !hub.isLive(old)); // invitations to channels since emptied are void
            target.invitations.add(ch);
        } finally {
            hub.lock.unlock();
        }
        Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "INVITE", target.nick(), ch.name()));
        target.send(out);
        // invite-notify: the channel's operators hear about it
        Channel.View v = ch.view();
        for (int i = 0; i < v.members().length; i++) {
            Client member = v.members()[i];
            if (member != by && member != target && v.prefixes()[i].isOp() && member.hasCap(Cap.INVITE_NOTIFY)) {
                member.send(out);
            }
        }
        return Change.InviteResult.INVITED;
    }

    List<Change.ModeOutcome> modes(Change.ChannelModes change) {
        Client by = change.by();
        Channel ch = change.channel();
        List<Change.ModeOutcome> outcomes = new ArrayList<>(change.changes().size());
        hub.lock.lock();
        try {
            Membership mine = ch.membershipLocked(by);
            boolean op = mine != null && mine.isOp();
            Channel.View v = ch.view();
            Channel.Modes modes = v.modes();
            List<Channel.MaskEntry> bans = null;
            List<Channel.MaskEntry> exceptions = null;
            for (Change.ModeChange m : change.changes()) {
                if (!op) {
                    outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.DENIED, null));
                    continue;
                }
                switch (m.mode()) {
                    case 'b' -> {
                        bans = bans == null ? new ArrayList<>(v.bans()) : bans;
                        outcomes.add(listChange(bans, m, by));
                    }
                    case 'I' -> {
                        exceptions = exceptions == null ? new ArrayList<>(v.exceptions()) : exceptions;
                        outcomes.add(listChange(exceptions, m, by));
                    }
                    case 'o', 'v' -> outcomes.add(prefixChange(ch, m));
                    case 'k' -> {
                        if (m.adding() && modes.key() != null) {
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.KEY_SET, null));
                        } else if (m.adding()) {
                            modes = modes.withKey(m.arg());
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.APPLIED, m.arg()));
                        } else if (modes.key() != null) {
                            modes = modes.withKey(null);
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.APPLIED, "*"));
                        } else {
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.UNCHANGED, null));
                        }
                    }
                    case 'l' -> {
                        int limit = m.adding() ? Integer.parseInt(m.arg()) : 0;
                        if (modes.limit() == limit) {
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.UNCHANGED, null));
                        } else {
                            modes = modes.withLimit(limit);
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.APPLIED,
                                    m.adding() ? Integer.toString(limit) : null));
                        }
                    }
                    default -> {
                        if (modes.flag(m.mode()) == m.adding()) {
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.UNCHANGED, null));
                        } else {
                            modes = modes.withFlag(m.mode(), m.adding());
                            outcomes.add(new Change.ModeOutcome(m, Change.ModeStatus.APPLIED, null));
                        }
                    }
                }
            }
            if (modes != v.modes()) {
                ch.setModesLocked(modes);
            }
            if (bans != null || exceptions != null) {
                ch.setListsLocked(bans == null ? v.bans() : bans, exceptions == null ? v.exceptions() : exceptions);
            }
        } finally {
            hub.lock.unlock();
        }
        announce(by, ch, outcomes);
        return outcomes;
    }

    private Change.ModeOutcome listChange(List<Channel.MaskEntry> entries, Change.ModeChange m, Client by) {
        String mask = m.arg();
        int existing = -1;
        for (int i = 0; i < entries.size(); i++) {
            if (hub.caseMapping().equals(entries.get(i).mask(), mask)) {
                existing = i;
                break;
            }
        }
        if (m.adding() == (existing >= 0)) {
            return new Change.ModeOutcome(m, Change.ModeStatus.UNCHANGED, null);
        }
        if (m.adding()) {
            entries.add(new Channel.MaskEntry(mask, by.prefix(), hub.now()));
        } else {
            entries.remove(existing);
        }
        return new Change.ModeOutcome(m, Change.ModeStatus.APPLIED, mask);
    }

    private Change.ModeOutcome prefixChange(Channel ch, Change.ModeChange m) {
        Client target = hub.findNick(m.arg());
        if (target == null) {
            return new Change.ModeOutcome(m, Change.ModeStatus.NO_SUCH_NICK, m.arg());
        }
        Boolean changed = ch.setPrefixLocked(target, m.mode() == 'o' ? Membership.OP : Membership.VOICE, m.adding());
        if (changed == null) {
            return new Change.ModeOutcome(m, Change.ModeStatus.NOT_ON_CHANNEL, target.nick());
        }
        return new Change.ModeOutcome(m, changed ? Change.ModeStatus.APPLIED : Change.ModeStatus.UNCHANGED,
                target.nick());
    }

    /** Tells every member what was applied; several MODE lines when the arguments do not fit one. */
    private void announce(Client by, Channel ch, List<Change.ModeOutcome> outcomes) {
        List<Change.ModeOutcome> line = new ArrayList<>();
        int args = 0;
        for (Change.ModeOutcome o : outcomes) {
            if (o.status() != Change.ModeStatus.APPLIED) {
                continue;
            }
            if (o.shown() != null && args == ARGS_PER_LINE) {
                announceLine(by, ch, line);
                line.clear();
                args = 0;
            }
            line.add(o);
            if (o.shown() != null) {
                args++;
            }
        }
        if (!line.isEmpty()) {
            announceLine(by, ch, line);
        }
    }

    private void announceLine(Client by, Channel ch, List<Change.ModeOutcome> applied) {
        StringBuilder modes = new StringBuilder();
        List<String> params = new ArrayList<>();
        params.add(ch.name());
        Boolean sign = null;
        List<String> args = new ArrayList<>();
        for (Change.ModeOutcome o : applied) {
            boolean adding = o.change().adding();
            if (sign == null || sign != adding) {
                modes.append(adding ? '+' : '-');
                sign = adding;
            }
            modes.append(o.change().mode());
            if (o.shown() != null) {
                args.add(o.shown());
            }
        }
        params.add(modes.toString());
        params.addAll(args);
        Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "MODE", params));
        for (Client member : ch.members()) {
            member.send(out);
        }
    }
}
