package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;
import java.util.ArrayList;
import java.util.Set;

/**
 * Applies the changes that concern one user: registration, nick, quit, away, account, real
 * name, host, user modes, operator status. Whoever monitors the user's nick hears of it coming
 * online and going offline, and with extended-monitor of its away, account, host and real
 * name ({@link Monitors}). Called only by {@link Hub#apply}; each method takes the hub
 * lock for what needs it and tells peers after releasing it.
 */
final class UserChanges {
    private final Hub hub;

    UserChanges(Hub hub) {
        this.hub = hub;
    }

    Change.NickResult nick(Change.Nick change) {
        Client c = change.client();
        String wanted = change.wanted();
        String key = hub.caseMapping().fold(wanted);
        String oldPrefix;
        hub.lock.lock();
        try {
            if (c.isClosingForState()) {
                return Change.NickResult.UNCHANGED; // its Quit has run or will: registering the nick would outlive it
            }
            String from = change.onlyFrom();
            if (from != null && (c.nick() == null || !hub.caseMapping().equals(c.nick(), from)
                    || change.unlessOwner() && c.account() != null && hub.caseMapping().equals(c.account(), from))) {
                return Change.NickResult.UNCHANGED; // renamed or logged in meanwhile: the rename is moot
            }
            Client holder = hub.nicksLocked().get(key);
            if (holder != null && holder != c) {
                return Change.NickResult.IN_USE;
            }
            if (wanted.equals(c.nick())) {
                return Change.NickResult.UNCHANGED;
            }
            oldPrefix = c.prefix();
            String oldNick = c.nick();
            if (c.nick() != null) {
                hub.nicksLocked().remove(hub.caseMapping().fold(c.nick()));
                if (c.isRegistered()) {
                    hub.whowas().remember(c, hub.now());
                }
            }
            hub.nicksLocked().put(key, c);
            c.setNickLocked(wanted);
            if (c.isRegistered()) {
                Set<Client> audience = hub.peers(c, false);
                Outgoing out = hub.relay(c, IrcMessage.from(oldPrefix, "NICK", wanted));
                // the client's own NICK is queued before anyone can take the old nick and be seen
                // changing it: otherwise the client could read that change as its own
                c.send(out);
                audience.forEach(out::sendTo); // under the lock: no later change overtakes it
                if (!hub.caseMapping().equals(oldNick, wanted)) { // a change of case only: still online
                    hub.monitors.offlineLocked(oldNick);
                    hub.monitors.onlineLocked(c);
                }
            }
        } finally {
            hub.lock.unlock();
        }
        return Change.NickResult.CHANGED;
    }

    Boolean register(Change.Register change) {
        Client c = change.client();
        hub.lock.lock();
        try {
            if (c.isClosingForState() || c.isRegistered()) {
                return false; // a closing client's Quit has run or will: it must not be seen coming online
            }
            c.markRegisteredLocked();
            hub.monitors.onlineLocked(c);
        } finally {
            hub.lock.unlock();
        }
        return true;
    }

    Void quit(Change.Quit change) {
        Client c = change.client();
        String reason = change.reason();
        hub.lock.lock();
        try {
            Set<Client> audience = c.isRegistered() && reason != null ? hub.peers(c, false) : Set.of();
            String prefix = c.prefix();
            hub.forgetClientLocked(c);
            for (Channel ch : new ArrayList<>(c.memberships.keySet())) {
                hub.removeMemberLocked(ch, c);
            }
            c.invitations.clear();
            hub.monitors.forgetLocked(c);
            if (c.nick() != null) {
                hub.nicksLocked().remove(hub.caseMapping().fold(c.nick()), c);
                if (c.isRegistered()) {
                    hub.whowas().remember(c, hub.now());
                }
            }
            if (!audience.isEmpty()) {
                // under the lock, so it follows every change that reached a peer before it
                Outgoing out = hub.relay(c, IrcMessage.from(prefix, "QUIT", reason));
                audience.forEach(out::sendTo);
            }
            if (c.isRegistered() && c.nick() != null) {
                hub.monitors.offlineLocked(c.nick());
            }
        } finally {
            hub.lock.unlock();
        }
        if (c.isRegistered() && !c.isRemote()) { // another node's user: its node remembers it
            hub.hostMemory().remember(c.address().getHostAddress(), c.nick(), hub.now());
        }
        return null;
    }

    Void away(Change.Away change) {
        Client c = change.client();
        hub.lock.lock();
        try {
            c.setAway(change.text());
            IrcMessage m = change.text() == null
                    ? IrcMessage.from(c.prefix(), "AWAY")
                    : IrcMessage.from(c.prefix(), "AWAY", change.text());
            tellPeersLocked(c, Cap.AWAY_NOTIFY, m, false);
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    Void account(Change.Account change) {
        Client c = change.client();
        hub.lock.lock();
        try {
            // a closing client's Quit has run or will: it must not be left in the index
            hub.indexAccountLocked(c, c.account(), c.isClosingForState() ? null : change.account());
            c.setAccount(change.account());
            if (c.isRegistered()) {
                String shown = change.account() == null ? "*" : change.account();
                tellPeersLocked(c, Cap.ACCOUNT_NOTIFY, IrcMessage.from(c.prefix(), "ACCOUNT", shown), false);
            }
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    Void realname(Change.Realname change) {
        Client c = change.client();
        hub.lock.lock();
        try {
            c.setRealname(change.realname());
            tellPeersLocked(c, Cap.SETNAME, IrcMessage.from(c.prefix(), "SETNAME", change.realname()), true);
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    Void host(Change.Host change) {
        Client c = change.client();
        hub.lock.lock(); // the prefix changes under it, like a nick
        try {
            String oldPrefix = c.prefix();
            c.setHost(change.host());
            tellPeersLocked(c, Cap.CHGHOST, IrcMessage.from(oldPrefix, "CHGHOST", c.user(), change.host()), true);
        } finally {
            hub.lock.unlock();
        }
        return null;
    }

    String userModes(Change.UserModes change) {
        Client c = change.client();
        StringBuilder applied = new StringBuilder();
        char appliedSign = 0;
        for (Change.UserModeChange m : change.changes()) {
            if (m.mode() == 'o' && m.adding()) {
                continue; // +o only through OPER
            }
            if (c.setMode(m.mode(), m.adding())) {
                char sign = m.adding() ? '+' : '-';
                if (sign != appliedSign) {
                    applied.append(sign);
                    appliedSign = sign;
                }
                applied.append(m.mode());
            }
        }
        if (!applied.isEmpty()) {
            c.send(IrcMessage.from(c.prefix(), "MODE", c.nick(), applied.toString()));
        }
        return applied.toString();
    }

    Void oper(Change.Oper change) {
        Client c = change.client();
        c.setOperName(change.name());
        c.setMode('o', true);
        return null;
    }

    /**
     * Sends {@code m} (from {@code c}) to every peer, to every extended-monitor watcher of a
     * registered {@code c}'s nick, and to {@code c} itself when {@code self}, that negotiated
     * {@code cap}; once each. Under the hub lock, so they hear of changes in the order they were
     * made.
     */
    private void tellPeersLocked(Client c, Cap cap, IrcMessage m, boolean self) {
        Set<Client> audience = hub.peers(c, self);
        if (c.isRegistered()) {
            hub.monitors.addExtendedWatchersLocked(audience, c, cap);
            if (!self) {
                audience.remove(c);
            }
        }
        Outgoing out = hub.relay(c, m);
        for (Client p : audience) {
            if (p.hasCap(cap)) {
                p.send(out);
            }
        }
    }
}
