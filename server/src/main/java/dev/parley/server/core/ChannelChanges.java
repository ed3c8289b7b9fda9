package dev.parley.server.core;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.Masks;
import dev.parley.server.service.ChannelRegistry;
import dev.parley.server.service.HistoryService;
import java.util.List;

/**
 * Applies the changes that concern a channel's members and topic: join, part, kick, topic,
 * invitation ({@link ModeChanges} applies MODE).
 * Called only by {@link Hub#apply}. Each method checks and changes under the hub lock, so a
 * right checked (operator status, membership) still holds when the change is made, publishes
 * the channel's new {@link Channel.View}, and tells the members after releasing the lock.
 */
final class ChannelChanges {

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
        long historyUpTo;
        ChannelRegistry.Level level;
        hub.lock.lock(); // sends under it are non-blocking queue offers (see Hub)
        try {
            if (c.isClosingForState()) {
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
            // a registered channel comes back with what it kept; its access list decides who gets ops
            ChannelRegistry.Registration reg = created ? hub.registrations.find(folded) : hub.registrations.of(ch);
            level = reg == null ? null : reg.levelOf(c.account(), hub.caseMapping());
            if (created && reg == null) {
                ch = new Channel(name, folded, HistoryService.channelKey(folded, hub.nextMsgId()), hub.now());
            } else {
                if (created) {
                    ch = hub.registrations.recreateLocked(reg);
                }
                Change.JoinResult refused = admissionLocked(ch, c, change.key(), level);
                if (refused != null) {
                    return refused; // a recreated channel that refuses its first joiner is not kept
                }
            }
            if (created) {
                hub.channels.put(folded, ch);
            }
            plain = hub.relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name()));
            String account = c.account() == null ? "*" : c.account();
            extended = hub.relay(c, IrcMessage.from(c.prefix(), "JOIN", ch.name(), account, c.realname()));
            // the joiner's own JOIN before it is a member, so it precedes any message a member
            // fans out to it (fan-out reads the published view, not under this lock)
            c.send(c.hasCap(Cap.EXTENDED_JOIN) ? extended : plain);
            ch.addLocked(c, Membership.of(created && reg == null ? Membership.OP : 0));
            historyUpTo = hub.history() == null ? 0 : hub.history().lastSeq(); // after the view holding c is out
            c.invitations.remove(ch);
            audience = ch.members();
            // every member hears of the join under the lock, so no later change (a KICK, a MODE,
            // the joiner's QUIT) can reach anyone before it
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
            if (level != null) {
                hub.registrations.giveAccessLocked(ch, c, level); // ChanServ's MODE, after the JOIN
            }
        } finally {
            hub.lock.unlock();
        }
        return new Change.Joined(ch, created, historyUpTo);
    }

    /**
     * Why {@code c} may not join {@code ch}, or null. Anyone on a registered channel's access
     * list ({@code level} not null) counts as invited; its founder and operators pass the key
     * and the limit too, so a channel's own can always come back to it.
     */
    private Change.JoinResult admissionLocked(Channel ch, Client c, String key, ChannelRegistry.Level level) {
        Channel.View v = ch.view();
        Channel.Modes modes = v.modes();
        boolean invited = level != null || c.invitations.contains(ch);
        boolean trusted = level == ChannelRegistry.Level.OP || level == ChannelRegistry.Level.FOUNDER;
        CaseMapping cm = hub.caseMapping();
        if (!invited && matchesAny(v.bans(), c, cm)) {
            return new Change.Banned(ch);
        }
        if (modes.inviteOnly() && !invited && !matchesAny(v.exceptions(), c, cm)) {
            return new Change.InviteOnly(ch);
        }
        if (modes.key() != null && !modes.key().equals(key) && !trusted) {
            return new Change.BadKey(ch);
        }
        if (modes.limit() > 0 && v.size() >= modes.limit() && !trusted) {
            return new Change.Full(ch);
        }
        return null;
    }

    /** True when {@code c}'s nick!user@host, or its account ({@link ExtBan}), matches a mask in {@code list}. */
    static boolean matchesAny(List<Channel.MaskEntry> list, Client c, CaseMapping cm) {
        if (list.isEmpty()) {
            return false;
        }
        String who = c.prefix();
        String real = c.realPrefix(); // a ban may name the cloak (or vhost) or the real address
        for (Channel.MaskEntry e : list) {
            if (ExtBan.isExtBan(e.mask())) {
                if (ExtBan.matches(e.mask(), c, cm)) {
                    return true;
                }
            } else if (Masks.matches(e.mask(), who, cm) || Masks.matches(e.mask(), real, cm)) {
                return true;
            }
        }
        return false;
    }

    Boolean part(Change.Part change) {
        Client c = change.client();
        Channel ch = change.channel();
        hub.lock.lock();
        try {
            Client[] audience = ch.members();
            if (!hub.removeMemberLocked(ch, c)) {
                return false;
            }
            String reason = change.reason();
            IrcMessage msg = reason == null || reason.isEmpty()
                    ? IrcMessage.from(c.prefix(), "PART", ch.name())
                    : IrcMessage.from(c.prefix(), "PART", ch.name(), reason);
            Outgoing out = hub.relay(c, msg);
            for (Client m : audience) {
                m.send(out);
            }
        } finally {
            hub.lock.unlock();
        }
        return true;
    }

    Change.KickResult kick(Change.Kick change) {
        Client by = change.by();
        Channel ch = change.channel();
        hub.lock.lock();
        try {
            Membership mine = ch.membershipLocked(by);
            if (mine == null) {
                return Change.KickResult.NOT_ON_CHANNEL;
            }
            if (!mine.isOp()) {
                return Change.KickResult.NOT_OPERATOR;
            }
            Client[] audience = ch.members();
            if (!hub.removeMemberLocked(ch, change.target())) {
                return Change.KickResult.TARGET_NOT_ON_CHANNEL;
            }
            Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "KICK", ch.name(), change.target().nick(),
                    change.reason()));
            for (Client m : audience) {
                m.send(out);
            }
        } finally {
            hub.lock.unlock();
        }
        return Change.KickResult.KICKED;
    }

    Change.TopicResult topic(Change.Topic change) {
        Client by = change.by();
        Channel ch = change.channel();
        String text = change.text();
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
            hub.registrations.keepLocked(ch);
            Outgoing out = hub.relay(by, IrcMessage.from(by.prefix(), "TOPIC", ch.name(), text));
            for (Client m : ch.members()) {
                m.send(out);
            }
        } finally {
            hub.lock.unlock();
        }
        return Change.TopicResult.SET;
    }

    Change.InviteResult invite(Change.Invite change) {
        Client by = change.by();
        Client target = change.target();
        Channel ch = change.channel();
        hub.lock.lock();
        try {
            if (target.isClosingForState()) {
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
            if (mine.isOp()) {
                // only an operator's invitation lets one past +i and bans; anyone's is still delivered
                target.invitations.add(ch);
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
        } finally {
            hub.lock.unlock();
        }
        return Change.InviteResult.INVITED;
    }

}
