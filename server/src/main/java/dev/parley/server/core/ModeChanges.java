package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;
import dev.parley.protocol.IrcParser;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies a channel MODE: every wanted change of one command in one step under the hub lock,
 * operator rights checked once, so a right checked still holds when the change is made; then
 * the members see one MODE line (more when the arguments do not fit one). Called only by
 * {@link Hub#apply}.
 */
final class ModeChanges {
    /** Changes with arguments one MODE line can carry: 15 parameters less the channel and the mode string. */
    static final int ARGS_PER_LINE = IrcParser.MAX_PARAMS - 2;

    private final Hub hub;

    ModeChanges(Hub hub) {
        this.hub = hub;
    }

    List<Change.ModeOutcome> apply(Change.ChannelModes change) {
        return apply(change.by(), change.channel(), change.changes());
    }

    /** Modes set by ChanServ: no operator rights to check, and members see them come from the service. */
    List<Change.ModeOutcome> applyAsService(Change.ServiceModes change) {
        return apply(null, change.channel(), change.changes());
    }

    /** Applies {@code changes} by {@code by}, or by ChanServ when {@code by} is null. */
    private List<Change.ModeOutcome> apply(Client by, Channel ch, List<Change.ModeChange> changes) {
        List<Change.ModeOutcome> outcomes = new ArrayList<>(changes.size());
        hub.lock.lock();
        try {
            Membership mine = by == null ? null : ch.membershipLocked(by);
            boolean op = by == null || (mine != null && mine.isOp());
            Channel.View v = ch.view();
            Channel.Modes modes = v.modes();
            List<Channel.MaskEntry> bans = null;
            List<Channel.MaskEntry> exceptions = null;
            for (Change.ModeChange m : changes) {
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
            if (modes != v.modes() || bans != null || exceptions != null) {
                hub.registrations.keepLocked(ch); // a registered channel keeps them while empty
            }
            announce(by, ch, outcomes); // under the lock: members see changes in the order they were made
        } finally {
            hub.lock.unlock();
        }
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
        if (m.adding() && entries.size() >= hub.config().maxListEntries()) {
            return new Change.ModeOutcome(m, Change.ModeStatus.LIST_FULL, mask);
        }
        if (m.adding()) {
            entries.add(new Channel.MaskEntry(mask, by == null ? Hub.CHANSERV : by.prefix(), hub.now()));
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
        Outgoing out = by == null ? hub.serviceRelay(IrcMessage.from(hub.serviceSource(Hub.CHANSERV), "MODE", params))
                : hub.relay(by, IrcMessage.from(by.prefix(), "MODE", params));
        for (Client member : ch.members()) {
            member.send(out);
        }
    }
}
