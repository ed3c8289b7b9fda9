package dev.parley.server.store;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything Parley keeps across restarts, behind one small interface: accounts, message
 * history, remembered hosts. Every method may block on disk; callers keep them off event
 * loops and out of state locks.
 */
public interface Store extends AutoCloseable {

    // ---- accounts ----

    Optional<Account> findAccount(String name);

    /** Creates the account; false when the name is taken. Durable when it returns true. */
    boolean createAccount(Account account);

    boolean updatePassword(String name, String passwordHash);

    /** Sets (or replaces) the account's SCRAM-SHA-256 verifier; false when there is no such account. */
    boolean updateScram(String name, String scram);

    /** Deletes the account, the certificates bound to it and its session tokens. */
    boolean deleteAccount(String name);

    // ---- client certificates bound to accounts ----

    /** Binds {@code fingerprint} to {@code account}; false when it is bound already (to any account). */
    boolean addCert(String account, String fingerprint, long atMillis);

    /** Unbinds {@code fingerprint} from {@code account}; false when it was not bound to it. */
    boolean deleteCert(String account, String fingerprint);

    /** The fingerprints bound to {@code account}, oldest first. */
    List<String> certs(String account);

    /** The (case-folded) account {@code fingerprint} is bound to. */
    Optional<String> accountForCert(String fingerprint);

    List<String> accountNames();

    // ---- session tokens ----

    /** Stores a new session token. */
    void addToken(SessionToken token);

    /** The token with this id. */
    java.util.Optional<SessionToken> findToken(String id);

    /** {@code account}'s tokens, oldest first. */
    List<SessionToken> tokens(String account);

    /** Deletes {@code account}'s token {@code id}; false when it has none such. */
    boolean deleteToken(String account, String id);

    /** Deletes every token of {@code account}; returns how many there were. */
    int deleteTokens(String account);

    // ---- history ----

    /**
     * Private conversations are stored under this prefix and the two folded account names,
     * in order, joined by a comma.
     */
    String CONVERSATION_PREFIX = "pm:";

    /** Stores a batch in one transaction. */
    void appendHistory(List<HistoryEntry> batch);

    /** The highest sequence number stored, or 0. */
    long maxHistorySeq();

    /** The entry with this msgid, if stored. */
    Optional<HistoryEntry> findByMsgid(String msgid);

    /**
     * Up to {@code limit} entries of {@code target} with {@code fromExclusive < key < toExclusive}
     * where the key is the sequence number ({@code bySeq}) or the send time; the newest ones
     * when {@code newestFirst}, else the oldest. Returned oldest first either way.
     */
    default List<HistoryEntry> history(String target, boolean bySeq, long fromExclusive, long toExclusive, int limit,
                                       boolean newestFirst) {
        return history(target, bySeq, fromExclusive, toExclusive, limit, newestFirst, Set.of());
    }

    /**
     * As {@link #history(String, boolean, long, long, int, boolean)}, leaving out the entries
     * whose command is in {@code leftOut} (what the reader is not sent): they do not count
     * toward {@code limit}.
     */
    List<HistoryEntry> history(String target, boolean bySeq, long fromExclusive, long toExclusive, int limit,
                               boolean newestFirst, Set<String> leftOut);

    /**
     * Targets with messages sent in {@code (from, to)}, each with its latest send time there: of
     * {@code targets}, and every private conversation of the folded account {@code conversationsOf}
     * (null: none). Ordered by that time, oldest first when {@code ascending}, else newest first;
     * at most {@code limit}.
     */
    default List<TargetActivity> targets(List<String> targets, String conversationsOf, long fromExclusive,
                                         long toExclusive, int limit, boolean ascending) {
        return targets(targets, conversationsOf, fromExclusive, toExclusive, limit, ascending, Set.of());
    }

    /**
     * As {@link #targets(List, String, long, long, int, boolean)}, not counting entries whose
     * command is in {@code leftOut}.
     */
    List<TargetActivity> targets(List<String> targets, String conversationsOf, long fromExclusive, long toExclusive,
                                 int limit, boolean ascending, Set<String> leftOut);

    /** Deletes all but the newest {@code keep} entries of {@code target}, and entries older than {@code before}. */
    int pruneHistory(String target, int keep, long before);

    /** Deletes every message with a sequence number up to {@code seq}; returns how many. */
    int deleteHistoryUpTo(long seq);

    /** Deletes all but the newest {@code keep} messages (by sequence number), wherever stored; returns how many. */
    int keepNewestHistory(int keep);

    /** Deletes every message stored under {@code target}; returns how many. */
    int deleteHistory(String target);

    /** Deletes every message stored under a target that starts with {@code prefix}; returns how many. */
    int deleteHistoryWithPrefix(String prefix);

    /** The distinct targets that start with {@code prefix}. */
    List<String> historyTargets(String prefix);

    /** Deletes the message with this msgid (a redaction); false when none is stored. */
    boolean deleteHistoryMessage(String msgid);

    /** A target with history and when it last had a message. */
    record TargetActivity(String target, long latestMillis) {
    }

    // ---- remembered hosts ----

    Optional<RememberedHost> lookupHost(String address);

    void rememberHost(String address, String nick, long atMillis);

    int clearHosts();

    /** Forgets every address last seen before {@code millis}; returns how many. */
    int forgetHostsSeenBefore(long millis);

    /** Every remembered address. */
    List<RememberedHost> hosts();

    int hostCount();

    /** One remembered address. */
    record RememberedHost(String address, String nick, long seenAtMillis) {
    }

    // ---- read markers ----

    /** Every stored read marker. */
    List<ReadMarker> readMarkers();

    /** Stores {@code account}'s marker for {@code target}, unless the stored one is later. */
    void putReadMarker(String account, String target, long readAtMillis);

    /** Deletes {@code account}'s marker for {@code target}. */
    void deleteReadMarker(String account, String target);

    /** Deletes every read marker of {@code account}; returns how many. */
    int deleteReadMarkers(String account);

    /** Where {@code account} (case-folded) has read {@code target} (case-folded) up to. */
    record ReadMarker(String account, String target, long readAtMillis) {
    }

    // ---- registered channels ----

    /** Every registered channel, with its access list and mask lists. */
    List<ChannelRegistration> channelRegistrations();

    /** Stores {@code r} whole (the registration, its access list and its mask lists) in one transaction, replacing what was stored under its name. */
    void putChannelRegistration(ChannelRegistration r);

    /** Deletes the registration of channel {@code name} (case-folded) with its access and mask lists; false when there was none. */
    boolean deleteChannelRegistration(String name);

    /**
     * A channel registered with ChanServ, as stored: {@code name} and {@code founder} case-folded,
     * the flag modes as letters ({@code "nt"}), {@code modeKey} null and {@code modeLimit} 0 when
     * unset, {@code topic} null when none.
     */
    record ChannelRegistration(String name, String displayName, String founder, long registeredAtMillis,
                               String historyKey, String flagModes, String modeKey, int modeLimit,
                               String topic, String topicBy, long topicAtMillis,
                               List<ChannelAccess> access, List<ChannelMask> masks) {
        public ChannelRegistration {
            access = List.copyOf(access);
            masks = List.copyOf(masks);
        }
    }

    /** One account on a registered channel's access list: {@code level} is {@code op} or {@code voice}. */
    record ChannelAccess(String account, String level, String setBy, long setAtMillis) {
    }

    /** One entry of a registered channel's ban ({@code b}) or invite-exception ({@code I}) list, in list order. */
    record ChannelMask(char list, String mask, String setBy, long setAtMillis) {
    }

    // ---- server bans ----

    /** Every stored server ban (expired ones too, until removed). */
    List<ServerBan> serverBans();

    /** Stores {@code ban}, replacing one of the same kind and mask. */
    void putServerBan(ServerBan ban);

    /** Removes the ban of {@code kind} on {@code mask}; false when there was none. */
    boolean removeServerBan(char kind, String mask);

    /**
     * A K-line ({@code kind} K, {@code mask} user@host) or D-line (D, an address or CIDR block),
     * permanent when {@code expiresAtMillis} is 0.
     */
    record ServerBan(char kind, String mask, String reason, String setBy, long setAtMillis, long expiresAtMillis) {
    }

    @Override
    void close();
}
