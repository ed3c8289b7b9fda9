package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;
import dev.parley.server.service.ChannelRegistry;
import dev.parley.server.service.ChannelRegistry.Level;
import dev.parley.server.service.ChannelRegistry.Registration;
import dev.parley.server.service.HistoryService;
import java.util.ArrayList;
import java.util.List;

/**
 * Channels registered with ChanServ, as the hub sees them: applies REGISTER, DROP and the
 * dropping of an account's channels, recreates a registered channel with what it kept, gives
 * a joiner its access level's prefix, and keeps a registered channel's modes, topic and lists
 * in the {@link ChannelRegistry} whenever they change. Everything here runs under the hub lock
 * and only reads or changes the registry's in-memory copy, which never blocks.
 */
final class Registrations {
    private final Hub hub;

    Registrations(Hub hub) {
        this.hub = hub;
    }

    /** The registration {@code ch} is the live channel of, or null (unregistered, or another incarnation). */
    Registration of(Channel ch) {
        ChannelRegistry r = hub.channelRegistry();
        if (r == null) {
            return null;
        }
        Registration reg = r.find(ch.key());
        return reg != null && reg.historyKey().equals(ch.historyKey()) ? reg : null;
    }

    /** The registration of channel {@code folded}, or null. */
    Registration find(String folded) {
        ChannelRegistry r = hub.channelRegistry();
        return r == null ? null : r.find(folded);
    }

    Change.RegisterChannelResult register(Change.RegisterChannel change) {
        Client by = change.by();
        Channel ch = change.channel();
        ChannelRegistry registry = hub.channelRegistry();
        hub.lock.lock();
        try {
            if (registry == null || !hub.isLive(ch)) {
                return Change.RegisterChannelResult.GONE;
            }
            if (by.account() == null) {
                return Change.RegisterChannelResult.NOT_LOGGED_IN;
            }
            Membership mine = ch.membershipLocked(by);
            if (mine == null || !mine.isOp()) {
                return Change.RegisterChannelResult.NOT_OPERATOR;
            }
            Registration reg = new Registration(ch.key(), ch.name(), by.account(), hub.now(), ch.historyKey(), List.of(),
                    kept(ch.view()));
            return switch (registry.register(reg, hub.config().channelsPerAccount())) {
                case REGISTERED -> Change.RegisterChannelResult.REGISTERED;
                case TAKEN -> Change.RegisterChannelResult.ALREADY_REGISTERED;
                case TOO_MANY -> Change.RegisterChannelResult.TOO_MANY;
            };
        } finally {
            hub.lock.unlock();
        }
    }

    Change.DropChannelResult drop(Change.DropChannel change) {
        ChannelRegistry registry = hub.channelRegistry();
        String folded = hub.caseMapping().fold(change.channel());
        hub.lock.lock();
        try {
            Registration reg = registry == null ? null : registry.find(folded);
            if (reg == null) {
                return Change.DropChannelResult.NOT_REGISTERED;
            }
            if (!change.asOperator() && reg.levelOf(change.by().account(), hub.caseMapping()) != Level.FOUNDER) {
                return Change.DropChannelResult.NOT_FOUNDER;
            }
            dropLocked(registry, reg);
            return Change.DropChannelResult.DROPPED;
        } finally {
            hub.lock.unlock();
        }
    }

    List<String> forgetAccount(Change.ForgetChannelAccount change) {
        ChannelRegistry registry = hub.channelRegistry();
        if (registry == null) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        hub.lock.lock();
        try {
            for (Registration founded : registry.forgetAccount(change.account())) {
                forgetHistoryUnlessLive(founded);
                names.add(founded.displayName());
            }
        } finally {
            hub.lock.unlock();
        }
        return names;
    }

    private void dropLocked(ChannelRegistry registry, Registration reg) {
        registry.drop(reg.name());
        forgetHistoryUnlessLive(reg);
    }

    /**
     * A dropped registration's history: a live channel keeps it as an ordinary channel does (it
     * is deleted when the channel empties); with nobody in the channel it is deleted now.
     */
    private void forgetHistoryUnlessLive(Registration reg) {
        Channel live = hub.channels.get(reg.name());
        HistoryService h = hub.history();
        if (h != null && (live == null || !live.historyKey().equals(reg.historyKey()))) {
            h.forget(reg.historyKey());
        }
    }

    /** A new live channel for {@code reg}, with the modes, topic and lists it kept. Hub lock held. */
    Channel recreateLocked(Registration reg) {
        Channel ch = new Channel(reg.displayName(), reg.name(), reg.historyKey(), reg.registeredAtMillis());
        ChannelRegistry.Kept k = reg.kept();
        String f = k.flagModes();
        ch.setModesLocked(new Channel.Modes(f.indexOf('t') >= 0, f.indexOf('n') >= 0, f.indexOf('m') >= 0,
                f.indexOf('i') >= 0, f.indexOf('s') >= 0, k.key(), k.limit()));
        ch.setTopicLocked(k.topic() == null ? null : new Channel.Topic(k.topic(), k.topicBy(), k.topicAtMillis()));
        List<Channel.MaskEntry> bans = new ArrayList<>();
        List<Channel.MaskEntry> exceptions = new ArrayList<>();
        for (ChannelRegistry.Mask m : k.masks()) {
            (m.list() == 'b' ? bans : exceptions).add(new Channel.MaskEntry(m.mask(), m.setBy(), m.setAtMillis()));
        }
        ch.setListsLocked(bans, exceptions);
        return ch;
    }

    /**
     * {@code c} just joined {@code ch} (everyone has seen its JOIN) with access {@code level}:
     * it gets +o (founder, op) or +v, and every member sees ChanServ's MODE after the JOIN.
     * Hub lock held.
     */
    void giveAccessLocked(Channel ch, Client c, Level level) {
        char mode = level == Level.VOICE ? 'v' : 'o';
        Boolean changed = ch.setPrefixLocked(c, mode == 'o' ? Membership.OP : Membership.VOICE, true);
        if (changed == null || !changed) {
            return;
        }
        Outgoing out = hub.serviceRelay(IrcMessage.from(hub.serviceSource(Hub.CHANSERV), "MODE", ch.name(), "+" + mode,
                c.nick()));
        for (Client m : ch.members()) {
            m.send(out);
        }
    }

    /** {@code ch}'s modes, topic or lists changed: a registered channel keeps them. Hub lock held. */
    void keepLocked(Channel ch) {
        Registration reg = of(ch);
        if (reg != null) {
            hub.channelRegistry().keep(ch.key(), ch.historyKey(), kept(ch.view()));
        }
    }

    /** What a registered channel keeps of {@code v}. */
    static ChannelRegistry.Kept kept(Channel.View v) {
        Channel.Modes m = v.modes();
        StringBuilder flags = new StringBuilder();
        for (char f : new char[] {'i', 'm', 'n', 's', 't'}) {
            if (m.flag(f)) {
                flags.append(f);
            }
        }
        List<ChannelRegistry.Mask> masks = new ArrayList<>();
        for (Channel.MaskEntry e : v.bans()) {
            masks.add(new ChannelRegistry.Mask('b', e.mask(), e.setBy(), e.setAtMillis()));
        }
        for (Channel.MaskEntry e : v.exceptions()) {
            masks.add(new ChannelRegistry.Mask('I', e.mask(), e.setBy(), e.setAtMillis()));
        }
        Channel.Topic t = v.topic();
        return new ChannelRegistry.Kept(flags.toString(), m.key(), m.limit(), t == null ? null : t.text(),
                t == null ? null : t.setBy(), t == null ? 0 : t.setAtMillis(), masks);
    }
}
