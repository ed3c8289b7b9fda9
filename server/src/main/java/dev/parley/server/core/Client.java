package dev.parley.server.core;

import dev.parley.protocol.IrcMessage;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One user of the chat, however connected: identity (nick, user, host, account), modes,
 * capabilities, the channels it is in and the invitations it holds. What is sent to it goes
 * to its {@link Outbox}; how its input is read is the business of whoever feeds it (a
 * session, the UDP door), not of this class.
 *
 * <p>Threading: fields another thread may read are volatile. Nick, channels and invitations
 * change only through {@link Hub}, under its lock; the rest is written by the client's own
 * reader. {@link #send} and {@link #close} may be called from any thread.
 */
public final class Client {
    private static final Logger LOG = LoggerFactory.getLogger("parley.clients");
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final Hub hub;
    private final Outbox outbox;
    /** Who this client is across a cluster ({@code node/epoch/id}); the local id as text on a single server. */
    private final String netId;
    /** The node ({@code name/epoch}) this client is connected to, or null when connected here. */
    private final String node;
    /** Its {@link Change.Quit} has been applied: it holds no state any more. */
    private volatile boolean gone;
    /** Changed only by {@link #useGatewayAddress}, before registration. */
    private volatile InetAddress address;
    private volatile String realHost;
    private volatile boolean secure;
    private volatile String gateway;
    private final long connectedAtMillis;
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The channels this client is in, with its prefix modes in each. Written under the hub lock; read anywhere. */
    final Map<Channel, Membership> memberships = new ConcurrentHashMap<>();
    /** Channels this client was invited to since it last joined them. Written under the hub lock. */
    final Set<Channel> invitations = ConcurrentHashMap.newKeySet();

    private volatile String host;
    private volatile String nick;
    private volatile String user;
    private volatile String realname;
    private volatile String prefix;
    private volatile boolean registered;
    private volatile long lastActivityMillis;
    private volatile long pingSentMillis;
    private volatile String quitReason;
    private volatile int caps;
    private volatile String away;
    private volatile String account;
    private java.util.Map<String, Long> ownReadMarkers;
    private volatile String operName;
    private volatile int userModes;
    private volatile long lastMessageMillis;
    private volatile String certFingerprint;

    Client(Hub hub, Outbox outbox, InetAddress address, boolean secure, String shownHost) {
        this(hub, outbox, address, secure, shownHost, null, null);
    }

    /** A client of this server ({@code node} null; {@code netId} null: made from the id) or of another node. */
    Client(Hub hub, Outbox outbox, InetAddress address, boolean secure, String shownHost, String netId, String node) {
        this.hub = hub;
        this.outbox = outbox;
        this.netId = netId != null ? netId
                : hub.network() == null ? Long.toString(id) : hub.network().self() + "/" + id;
        this.node = node;
        this.address = address;
        this.realHost = address.getHostAddress();
        this.secure = secure;
        this.host = shownHost;
        this.connectedAtMillis = hub.now();
        this.lastActivityMillis = connectedAtMillis;
        this.lastMessageMillis = connectedAtMillis;
    }

    // ---- output (any thread) ----

    /** Queues {@code m} for this client. Never blocks. */
    public void send(IrcMessage m) {
        outbox.send(m);
    }

    /** Sends a relayed message with the tags this client negotiated. */
    public void send(Outgoing out) {
        outbox.deliver(out);
    }

    /** Queues an already formatted line (with CRLF). Never blocks. */
    public void sendBytes(byte[] line) {
        outbox.sendBytes(line);
    }

    /**
     * Sends a numeric reply addressed to this client: {@code :server CODE nick params...}.
     * Replies often echo what the client sent; see {@link #fitMiddle}.
     */
    public void numeric(String code, String... params) {
        List<String> all = new ArrayList<>(params.length + 1);
        all.add(nickOrStar());
        Collections.addAll(all, params);
        send(IrcMessage.from(hub.serverName(), code, fitMiddle(all)));
    }

    /** Sends a message from the server (parameters as in {@link #fitMiddle}). */
    public void serverMessage(String command, String... params) {
        send(IrcMessage.from(hub.serverName(), command, fitMiddle(List.of(params))));
    }

    /**
     * Echoed parameters: a client's last parameter may be empty, hold spaces or start with ':',
     * which no parameter but the last may on the wire. Such a value, when it is not last here,
     * becomes {@code *} so the reply can still be sent.
     */
    public static List<String> fitMiddle(List<String> params) {
        List<String> out = null;
        for (int i = 0; i < params.size() - 1; i++) {
            String p = params.get(i);
            if (p.isEmpty() || p.indexOf(' ') >= 0 || p.charAt(0) == ':') {
                if (out == null) {
                    out = new ArrayList<>(params);
                }
                out.set(i, "*");
            }
        }
        return out == null ? params : out;
    }

    // ---- closing (any thread) ----

    /** Ends the session: peers see a QUIT with {@code reason}; the client gets ERROR, then the connection closes. */
    public void quit(String reason) {
        close(reason, true, false);
    }

    /**
     * @param announce      tell channel peers with a QUIT
     * @param discardQueued drop queued output and the connection at once (the client is not reading)
     */
    public void close(String reason, boolean announce, boolean discardQueued) {
        close(reason, announce ? reason : null, discardQueued);
    }

    /** Ends the session telling the client {@code reason} and its peers {@code peerReason} (none when null). */
    public void close(String reason, String peerReason, boolean discardQueued) {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        quitReason = reason;
        try {
            hub.apply(new Change.Quit(this, peerReason));
        } catch (Network.NetworkUnavailableException e) {
            // the network removes this node's clients when it hears of it again
            LOG.warn("the quit of {} waits for the network: {}", describe(), e.getMessage());
        }
        outbox.closed(reason, discardQueued);
        LOG.info("disconnected {} ({})", describe(), reason);
    }

    public boolean isClosing() {
        return closing.get();
    }

    /**
     * Whether a change must no longer give this client state. On a single server: once it is
     * closing. In a cluster every node must decide alike, in the network's order, so: once its
     * Quit has been applied (until then its changes apply everywhere, also while it closes).
     */
    boolean isClosingForState() {
        return hub.network() == null ? closing.get() : gone;
    }

    /** Its Quit was applied; hub lock held. */
    void markGoneLocked() {
        gone = true;
    }

    /** Whether its Quit was applied. */
    public boolean isGone() {
        return gone;
    }

    /**
     * Marks the client closing without a Quit of its own (the network already removed it) and
     * tells its connection {@code reason}. False when it was closing already.
     */
    public boolean closeRemoved(String reason) {
        if (!closing.compareAndSet(false, true)) {
            return false;
        }
        quitReason = reason;
        outbox.closed(reason, false);
        LOG.info("disconnected {} ({})", describe(), reason);
        return true;
    }

    // ---- identity ----

    public long id() {
        return id;
    }

    /** Who this client is network-wide (see {@link Hub#findByNetId}). */
    public String netId() {
        return netId;
    }

    /** The node ({@code name/epoch}) that holds this client's connection, or null for this server. */
    public String node() {
        return node;
    }

    /** True when the client is connected to another node of the cluster. */
    public boolean isRemote() {
        return node != null;
    }

    /** Another node's client: its descriptor as the network last said (registration). */
    public void updateRemote(String user, String realname, String certFingerprint) {
        this.user = user;
        this.realname = realname;
        this.certFingerprint = certFingerprint;
        updatePrefix();
    }

    public Hub hub() {
        return hub;
    }

    public Outbox outbox() {
        return outbox;
    }

    /** Where the client connects from (its real address, whatever host is shown). */
    public InetAddress address() {
        return address;
    }

    /**
     * WEBIRC: the user behind the gateway connects from {@code userAddress}; from now on limits,
     * bans and the cloak use it. {@code secure} only when the gateway said so and its own
     * connection counts as secure. Reader only, before registration.
     */
    public void useGatewayAddress(String gatewayName, InetAddress userAddress, boolean secure) {
        this.gateway = gatewayName;
        this.address = userAddress;
        this.realHost = userAddress.getHostAddress();
        this.secure = secure;
        this.host = hub.shownHost(userAddress);
        updatePrefix();
    }

    /** The WEBIRC gateway this client came through, or null. */
    public String gateway() {
        return gateway;
    }

    /** True when the connection is encrypted. */
    public boolean isSecure() {
        return secure;
    }

    /** The lower-case hex SHA-256 of the client certificate the connection presented, or null. */
    public String certFingerprint() {
        return certFingerprint;
    }

    /** Set by the door once the connection's certificate is known (at connect). */
    public void setCertFingerprint(String fingerprint) {
        certFingerprint = fingerprint;
    }

    public String nick() {
        return nick;
    }

    /** The nick, or {@code *} before one is set (for numerics). */
    public String nickOrStar() {
        String n = nick;
        return n == null ? "*" : n;
    }

    public String user() {
        return user;
    }

    public String realname() {
        return realname;
    }

    /** The host everyone sees: a cloak (unless cloaking is off) or an operator's vhost. */
    public String host() {
        return host;
    }

    /** The real address as text; only the client itself and operators are shown it. */
    public String realHost() {
        return realHost;
    }

    /** {@code nick!user@} the real address, for bans that name it. */
    public String realPrefix() {
        return nick + "!" + (user == null ? "*" : user) + "@" + realHost;
    }

    /** {@code nick!user@host}. */
    public String prefix() {
        return prefix;
    }

    public boolean isRegistered() {
        return registered;
    }

    public long connectedAtMillis() {
        return connectedAtMillis;
    }

    public long lastActivityMillis() {
        return lastActivityMillis;
    }

    /** Input arrived: the client is alive (and any PING it was sent is answered). Reader only. */
    public void touch(long now) {
        lastActivityMillis = now;
        pingSentMillis = 0;
    }

    long pingSentMillis() {
        return pingSentMillis;
    }

    void markPingSent(long now) {
        pingSentMillis = now;
    }

    public String quitReason() {
        return quitReason;
    }

    /** The channels this client is in (live view; changes under the hub lock). */
    public Set<Channel> channels() {
        return Collections.unmodifiableSet(memberships.keySet());
    }

    /** True when this client is a member of {@code ch}. Lock-free. */
    public boolean isOn(Channel ch) {
        return memberships.containsKey(ch);
    }

    /** Channels this client holds an invitation to (live view). */
    public Set<Channel> invitations() {
        return Collections.unmodifiableSet(invitations);
    }

    /** Called by the hub under its lock when the nick changes. */
    void setNickLocked(String newNick) {
        nick = newNick;
        updatePrefix();
    }

    /** Reader only, before registration. */
    public void setUser(String user, String realname) {
        this.user = user;
        this.realname = realname;
        updatePrefix();
    }

    private void updatePrefix() {
        prefix = nick + "!" + (user == null ? "*" : user) + "@" + host;
    }

    /** Registration is complete ({@link Change.Register}); hub lock held. */
    void markRegisteredLocked() {
        registered = true;
    }

    // ---- capabilities, modes, away, account ----

    public int caps() {
        return caps;
    }

    public boolean hasCap(Cap c) {
        return (caps & c.bit()) != 0;
    }

    /** Reader thread only. */
    public void setCaps(int newCaps) {
        caps = newCaps;
    }

    public String away() {
        return away;
    }

    /** Applied by the hub ({@link Change.Away}). */
    void setAway(String text) {
        away = text;
    }

    public String account() {
        return account;
    }

    /**
     * Read markers (draft/read-marker) of this connection while it has no account, by
     * case-folded target; an account's live in the hub's {@code ReadMarkers}. Reader only.
     */
    public java.util.Map<String, Long> ownReadMarkers() {
        if (ownReadMarkers == null) {
            ownReadMarkers = new java.util.HashMap<>();
        }
        return ownReadMarkers;
    }

    /** Applied by the hub ({@link Change.Account}). */
    void setAccount(String name) {
        account = name;
    }

    public String operName() {
        return operName;
    }

    /** User mode letters currently set, e.g. {@code "iw"}. */
    public String userModes() {
        int m = userModes;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < UserMode.LETTERS.length(); i++) {
            if ((m & (1 << i)) != 0) {
                sb.append(UserMode.LETTERS.charAt(i));
            }
        }
        return sb.toString();
    }

    public boolean hasMode(char letter) {
        int i = UserMode.LETTERS.indexOf(letter);
        return i >= 0 && (userModes & (1 << i)) != 0;
    }

    /** Sets or clears a user mode; returns whether anything changed. Applied by the hub. */
    boolean setMode(char letter, boolean on) {
        int i = UserMode.LETTERS.indexOf(letter);
        if (i < 0) {
            return false;
        }
        int before = userModes;
        userModes = on ? before | (1 << i) : before & ~(1 << i);
        if (letter == 'o' && !on) {
            operName = null;
        }
        return before != userModes;
    }

    /** Applied by the hub ({@link Change.Oper}). */
    void setOperName(String name) {
        operName = name;
    }

    public boolean isOper() {
        return hasMode('o');
    }

    public long lastMessageMillis() {
        return lastMessageMillis;
    }

    /** The client spoke (for WHOIS idle time). Reader only. */
    public void markMessageSent() {
        lastMessageMillis = hub.now();
    }

    /** Applied by the hub ({@link Change.Realname}). */
    void setRealname(String name) {
        realname = name;
    }

    /** Changes the visible host (e.g. an operator's vhost). Applied by the hub. */
    void setHost(String newHost) {
        host = newHost;
        updatePrefix();
    }

    /** For logs: {@code nick (address)}. */
    public String describe() {
        String n = nick;
        return (n == null ? "-" : n) + " (" + realHost + ")";
    }

    @Override
    public String toString() {
        return "Client[" + id + " " + describe() + "]";
    }
}
