package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;
import java.util.ArrayList;
import java.util.Set;

/**
 * Applies the changes that concern one user: nick, quit, away, account, real name, host,
 * user modes, operator status. Called only by {@link Hub#apply}; each method takes the hub
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
        Set<Client> audience;
        Outgoing out = null;
        hub.lock.lock();
        try {
            if (c.isClosing()) {
                return Change.NickResult.UNCHANGED; // its Quit has run or will: registering the nick would outlive it
            }
            Client holder = hub.nicksLocked().get(key);
            if (holder != null && holder != c) {
                return Change.NickResult.IN_USE;
            }
            if (wanted.equals(c.nick())) {
                return Change.NickResult.UNCHANGED;
            }
            oldPrefix = c.prefix();
            if (c.nick() != null) {
                hub.nicksLocked().remove(hub.caseMapping().fold(c.nick()));
                if (c.isRegistered()) {
                    hub.whowas().remember(c, hub.now());
                }
            }
            hub.nicksLocked().put(key, c);
            c.setNickLocked(wanted);
            if (c.isRegistered()) {
                audience = hub.peers(c, false);
                out = hub.relay(c, IrcMessage.from(oldPrefix, "NICK", wanted));
                // the client's own NICK is queued before anyone can take the old nick and be seen
                // changing it: otherwise the client could read that change as its own
                c.send(out);
            } else {
                audience = Set.of();
            }
        } finally {
            hub.lock.unlock();
        }
        if (!audience.isEmpty()) {
            audience.forEach(out::sendTo);
        }
        return Change.NickResult.CHANGED;
    }

    Void quit(Change.Quit change) {
        Client c = change.client();
        String reason = change.reason();
        Set<Client> audience = Set.of();
        String prefix = c.prefix();
        hub.lock.lock();
        try {
            hub.forgetClientLocked(c);
            if (c.isRegistered() && reason != null) {
                audience = hub.peers(c, false);
            }
            for (Channel ch : new ArrayList<>(c.memberships.keySet())) {
                hub.removeMemberLocked(ch, c);
            }
            c.invitations.clear();
            if (c.nick() != null) {
                hub.nicksLocked().remove(hub.caseMapping().fold(c.nick()), c);
                if (c.isRegistered()) {
                    hub.whowas().remember(c, hub.now());
                }
            }
        } finally {
            hub.lock.unlock();
        }
        if (c.isRegistered()) {
            hub.hostMemory().remember(c.address().getHostAddress(), c.nick(), hub.now());
        }
        if (!audience.isEmpty()) {
            Outgoing out = hub.relay(c, IrcMessage.from(prefix, "QUIT", reason));
            audience.forEach(out::sendTo);
        }
        return null;
    }

    Void away(Change.Away change) {
        Client c = change.client();
        c.setAway(change.text());
        IrcMessage m = change.text() == null
                ? IrcMessage.from(c.prefix(), "AWAY")
                : IrcMessage.from(c.prefix(), "AWAY", change.text());
        tellPeers(c, Cap.AWAY_NOTIFY, m, false);
        return null;
    }

    Void account(Change.Account change) {
        Client c = change.client();
        c.setAccount(change.account());
        if (c.isRegistered()) {
            String shown = change.account() == null ? "*" : change.account();
            tellPeers(c, Cap.ACCOUNT_NOTIFY, IrcMessage.from(c.prefix(), "ACCOUNT", shown), false);
        }
        return null;
    }

    Void realname(Change.Realname change) {
        Client c = change.client();
        c.setRealname(change.realname());
        tellPeers(c, Cap.SETNAME, IrcMessage.from(c.prefix(), "SETNAME", change.realname()), true);
        return null;
    }

    Void host(Change.Host change) {
        Client c = change.client();
        String oldPrefix = c.prefix();
        c.setHost(change.host());
        tellPeers(c, Cap.CHGHOST, IrcMessage.from(oldPrefix, "CHGHOST", c.user(), change.host()), true);
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

    /** Sends {@code m} (from {@code c}) to every peer, and to {@code c} itself when {@code self}, that negotiated {@code cap}. */
    private void tellPeers(Client c, Cap cap, IrcMessage m, boolean self) {
        Outgoing out = hub.relay(c, m);
        for (Client p : hub.peers(c, self)) {
            if (p.hasCap(cap)) {
                p.send(out);
            }
        }
    }
}
