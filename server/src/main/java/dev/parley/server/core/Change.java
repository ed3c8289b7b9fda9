package dev.parley.server.core;

import java.util.List;

/**
 * A change to the chat state, as one value. Command handlers (and the UDP door) validate what
 * a user asked for and build a change; {@link Hub#apply} alone applies it — under the hub lock,
 * checking what must be checked atomically — publishes the new channel snapshots, and then,
 * with no lock held, tells everyone who must hear of it. {@code R} is what the caller learns
 * back.
 *
 * <p>Changes name their actors directly; a cluster would carry the same values between nodes
 * with clients named by id.
 */
public sealed interface Change<R> {

    // ---- users ----

    /**
     * NICK: take {@code wanted} if nobody else holds it; peers see the NICK once each. A rename
     * made on the client's behalf names the nick it renames away from ({@code onlyFrom}): it
     * does nothing ({@code UNCHANGED}) once the client holds another nick, or — with
     * {@code unlessOwner} — once the client is logged in to the account of that name. Both are
     * checked under the hub lock, so a NICK or a login racing the rename wins cleanly.
     */
    record Nick(Client client, String wanted, String onlyFrom, boolean unlessOwner) implements Change<NickResult> {
        public Nick(Client client, String wanted) {
            this(client, wanted, null, false);
        }
    }

    /**
     * Registration completes: from now on the client counts as registered, and whoever monitors
     * its nick is told it is online (730). False, and nothing changes, when it is closing.
     */
    record Register(Client client) implements Change<Boolean> {
    }

    /** The client leaves the server; with a {@code reason}, peers see a QUIT. Nick and channels are freed. */
    record Quit(Client client, String reason) implements Change<Void> {
    }

    /** AWAY: {@code text}, or null when back; away-notify peers are told. */
    record Away(Client client, String text) implements Change<Void> {
    }

    /** Logged in to {@code account}, or out (null); account-notify peers are told. */
    record Account(Client client, String account) implements Change<Void> {
    }

    /** SETNAME: a new real name; setname peers (and the client) are told. */
    record Realname(Client client, String realname) implements Change<Void> {
    }

    /** A new visible host (an operator's vhost); chghost peers (and the client) are told. */
    record Host(Client client, String host) implements Change<Void> {
    }

    /** User modes {@code i}, {@code w}, and {@code -o}; the client is told what changed. Returns the applied mode string, or "". */
    record UserModes(Client client, List<UserModeChange> changes) implements Change<String> {
    }

    /** One wanted user mode change. */
    record UserModeChange(boolean adding, char mode) {
    }

    /** OPER succeeded: the client becomes operator {@code name} (+o); the caller tells it. */
    record Oper(Client client, String name) implements Change<Void> {
    }

    /**
     * MONITOR +: the client watches {@code targets} (valid nicks), as many as its list has room
     * for under the monitor limit. Under the hub lock, so no notification overtakes it, the client
     * is told which of the watched targets are online (730, with {@code nick!user@host}) and which
     * offline (731). Returns the targets not added because the list is full.
     */
    record MonitorAdd(Client client, List<String> targets) implements Change<MonitorAdded> {
        public MonitorAdd {
            targets = List.copyOf(targets);
        }
    }

    /** MONITOR -: the client stops watching {@code targets}. Nothing is sent. */
    record MonitorRemove(Client client, List<String> targets) implements Change<Void> {
        public MonitorRemove {
            targets = List.copyOf(targets);
        }
    }

    /** MONITOR C: the client stops watching anyone. Nothing is sent. */
    record MonitorClear(Client client) implements Change<Void> {
    }

    // ---- channels ----

    /**
     * JOIN: into the channel after bans, +i, +k, +l. A new channel is created with the joiner as
     * operator; a registered one is recreated with what it kept, and ChanServ gives the joiner
     * what its access level gives (a MODE after the JOIN).
     */
    record Join(Client client, String channel, String key) implements Change<JoinResult> {
    }

    /** PART: every member (and the client) sees it. True when the client was there. */
    record Part(Client client, Channel channel, String reason) implements Change<Boolean> {
    }

    /** KICK by a channel operator; every member sees it. */
    record Kick(Client by, Channel channel, Client target, String reason) implements Change<KickResult> {
    }

    /** TOPIC: set (or clear, with an empty text) when the setter may; every member sees it. */
    record Topic(Client by, Channel channel, String text) implements Change<TopicResult> {
    }

    /**
     * INVITE: the target and invite-notify operators are told; when the inviter is a channel
     * operator, the target may pass +i and bans on its next join.
     */
    record Invite(Client by, Channel channel, Client target) implements Change<InviteResult> {
    }

    /**
     * Channel MODE with parameters already read: applied in one step, operator rights checked
     * once, under the lock. Returns one outcome per wanted change, in order; members see one
     * MODE line (more when the arguments do not fit one).
     */
    record ChannelModes(Client by, Channel channel, List<ModeChange> changes)
            implements Change<List<ModeOutcome>> {
    }

    /**
     * One wanted channel mode change. {@code arg}: a mask for {@code b}/{@code I}, a nick for
     * {@code o}/{@code v}, the key for {@code +k}, the limit for {@code +l}; null otherwise.
     */
    record ModeChange(boolean adding, char mode, String arg) {
    }

    /** What became of one {@link ModeChange}; {@code shown} is its argument as members see it. */
    record ModeOutcome(ModeChange change, ModeStatus status, String shown) {
    }

    /** What became of one mode change. */
    enum ModeStatus { APPLIED, UNCHANGED, DENIED, NO_SUCH_NICK, NOT_ON_CHANNEL, KEY_SET, LIST_FULL }

    // ---- channel registration (ChanServ) ----

    /**
     * ChanServ REGISTER: {@code by}, logged in to an account and an operator of {@code channel},
     * becomes the founder of its registration. From then on the channel keeps its modes, topic
     * and mask lists, and its history, while it is empty and across restarts. Checked under the
     * hub lock, with the channel's state as it is at that moment.
     */
    record RegisterChannel(Client by, Channel channel) implements Change<RegisterChannelResult> {
    }

    /**
     * ChanServ DROP: the registration of {@code channel} (a name) ends, when {@code by} is its
     * founder or {@code asOperator}. A live channel goes on as an ordinary one (its history is
     * deleted once it empties); an empty one's history is deleted now.
     */
    record DropChannel(Client by, String channel, boolean asOperator) implements Change<DropChannelResult> {
    }

    /**
     * The account {@code account} was dropped: the channels it founded are dropped as by
     * {@link DropChannel}, and it leaves every access list. Returns the names of the dropped channels.
     */
    record ForgetChannelAccount(String account) implements Change<List<String>> {
    }

    /**
     * ChanServ OP, DEOP, VOICE, DEVOICE: prefix modes ({@code o}, {@code v}) set by the service,
     * which the caller has checked the asker may have set; members see one MODE from ChanServ.
     */
    record ServiceModes(Channel channel, List<ModeChange> changes) implements Change<List<ModeOutcome>> {
        public ServiceModes {
            changes = List.copyOf(changes);
        }
    }

    /**
     * ChanServ ACCESS: {@code account} goes on registered channel {@code channel}'s (folded)
     * access list at {@code level}, or off it (a null level); the caller has checked that
     * {@code setBy} may. At most {@code max} entries.
     */
    record ChannelAccess(String channel, String account, dev.parley.server.service.ChannelRegistry.Level level,
                         String setBy, int max) implements Change<dev.parley.server.service.ChannelRegistry.AccessOutcome> {
    }

    /**
     * An account was made ({@code exists}) or dropped on one node of a cluster sharing one
     * store: every node's list of account names (nick protection, ACCESS) learns of it.
     */
    record AccountKnown(String name, boolean exists) implements Change<Void> {
    }

    /**
     * MARKREAD: the account's (case-folded) marker of {@code target} (case-folded) moves to
     * {@code atMillis} if that is later; its other connections with the capability are told
     * ({@code shown}: the target's name as they see it). Not {@code by}, which the caller answers.
     */
    record ReadMarker(Client by, String account, String target, String shown, long atMillis)
            implements Change<dev.parley.server.service.ReadMarkers.Advance> {
    }

    /**
     * A login failed or succeeded on one node of a cluster, under its throttle keys: every node
     * counts it, so a password guesser gets no more tries by spreading them over the nodes.
     */
    record LoginSeen(List<String> keys, boolean failed) implements Change<Void> {
        public LoginSeen {
            keys = List.copyOf(keys);
        }
    }

    /** What a {@link RegisterChannel} did. */
    enum RegisterChannelResult { REGISTERED, NOT_LOGGED_IN, NOT_OPERATOR, ALREADY_REGISTERED, TOO_MANY, GONE }

    /** What a {@link DropChannel} did. */
    enum DropChannelResult { DROPPED, NOT_REGISTERED, NOT_FOUNDER }

    // ---- results ----

    /** What a {@link MonitorAdd} did: the targets not added because the list holds {@code limit} nicks. */
    record MonitorAdded(int limit, List<String> notAdded) {
        public MonitorAdded {
            notAdded = List.copyOf(notAdded);
        }
    }

    /** What a {@link Nick} did. */
    enum NickResult { CHANGED, IN_USE, UNCHANGED }

    /** What a {@link Kick} did. */
    enum KickResult { KICKED, NOT_OPERATOR, NOT_ON_CHANNEL, TARGET_NOT_ON_CHANNEL }

    /** What a {@link Topic} did. */
    enum TopicResult { SET, NOT_ON_CHANNEL, NOT_OPERATOR }

    /** What an {@link Invite} did. */
    enum InviteResult { INVITED, NOT_ON_CHANNEL, ALREADY_ON_CHANNEL, NOT_OPERATOR, GONE }

    /** What a {@link Join} did. */
    sealed interface JoinResult {
    }

    /**
     * Joined; {@code created} when the channel was new (and, unless it is registered, the joiner its operator).
     * {@code historyUpTo}: the newest history sequence number when the joiner became a member
     * (taken under the hub lock after the view was published): a message recorded after it is
     * fanned out from a view that holds the joiner, so a replay up to it misses nothing and
     * repeats nothing but a message racing the join.
     */
    record Joined(Channel channel, boolean created, long historyUpTo) implements JoinResult {
    }

    record AlreadyOn(Channel channel) implements JoinResult {
    }

    record TooManyChannels() implements JoinResult {
    }

    record Banned(Channel channel) implements JoinResult {
    }

    record InviteOnly(Channel channel) implements JoinResult {
    }

    record BadKey(Channel channel) implements JoinResult {
    }

    record Full(Channel channel) implements JoinResult {
    }

    /** The client is being disconnected (by another thread, while this JOIN was handled): nothing changed. */
    record Closing() implements JoinResult {
    }
}
