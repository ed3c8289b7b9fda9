package dev.parley.server.service;

import dev.parley.protocol.CaseMapping;
import dev.parley.protocol.Names;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.store.Account;
import dev.parley.server.store.SessionToken;
import dev.parley.server.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Accounts: register, log in, change password, drop; and the check of an operator's password.
 * Every method here may block (hashing, database): handlers call them through the session's
 * offload. Only {@link #exists} is non-blocking (it reads an in-memory set of account names kept
 * in step with the store).
 *
 * <p>Every hash and every check runs on the server's {@link HashingPool}; when it is full the
 * outcome is {@link Outcome#BUSY} and nothing was hashed.
 *
 * <p>Failed password checks are throttled under three keys: the address (at most
 * {@code loginMaxFailures} in a row, whatever the accounts tried), the address and the account
 * together (the same number), and the account alone from all addresses together (a much higher
 * {@code loginMaxFailuresPerAccount}). A stranger guessing from one address therefore locks out
 * only that address, never the owner elsewhere; the per-account cap still bounds guessing spread
 * over many addresses, and one address takes hours to reach it because its own lockouts grow.
 * A success clears the address-and-account and the account counts, not the address's: logging
 * in to an account of one's own does not buy more guesses at another.
 */
public final class AccountService {
    /** Shortest password accepted by default ({@code min-password-length}), and always for an operator's. */
    public static final int MIN_PASSWORD = 8;

    /** What an account operation did. */
    public enum Outcome {
        OK, EXISTS, NO_SUCH_ACCOUNT, WRONG_PASSWORD, THROTTLED, BAD_NAME, WEAK_PASSWORD,
        /** The e-mail address is not one, or none was given where {@code email-required} asks for one. */
        INVALID_EMAIL,
        /** Too many password checks at once server-wide: nothing was hashed; try again later. */
        BUSY,
        /** This address registered its share of accounts for now; {@code waitSeconds} says for how long. */
        TOO_MANY_ACCOUNTS
    }

    /** The outcome, the account's display name when known, and for THROTTLED the seconds to wait. */
    public record Result(Outcome outcome, String account, long waitSeconds) {
        static Result of(Outcome o) {
            return new Result(o, null, 0);
        }
    }

    private final CaseMapping caseMapping;
    private final IntSupplier nickLength;
    private final LongSupplier clock;
    private final Store store;
    private final HashingPool hashing;
    private final LoginThrottle throttle;
    /** Failed password checks (logins and operator passwords), for the metrics. */
    private final java.util.concurrent.atomic.LongAdder loginFailures = new java.util.concurrent.atomic.LongAdder();
    private final LoginThrottle operThrottle;
    private final LoginThrottle passThrottle = new LoginThrottle();
    private final Supplier<ServerConfig> limits;
    private final Creations creations;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /**
     * @param nickLength the longest nick now (it may change on REHASH)
     * @param clock      milliseconds since the epoch
     * @param limits     the throttles and the account-creation limit, fixed
     */
    public AccountService(CaseMapping caseMapping, IntSupplier nickLength, LongSupplier clock, Store store,
                          HashingPool hashing, ServerConfig limits) {
        this(caseMapping, nickLength, clock, store, hashing, () -> limits);
    }

    /**
     * @param nickLength the longest nick now (it may change on REHASH)
     * @param clock      milliseconds since the epoch
     * @param limits     the configuration now: the throttles ({@code login-attempts},
     *                   {@code login-attempts-per-account}, {@code login-lockout}) and the
     *                   account-creation limit ({@code accounts-per-address}, {@code account-window})
     *                   are read from it at each use, so a REHASH changes them for the next attempt;
     *                   counts already made are kept
     */
    public AccountService(CaseMapping caseMapping, IntSupplier nickLength, LongSupplier clock, Store store,
                          HashingPool hashing, Supplier<ServerConfig> limits) {
        this.caseMapping = caseMapping;
        this.nickLength = nickLength;
        this.clock = clock;
        this.store = store;
        this.hashing = hashing;
        this.limits = limits;
        this.throttle = new LoginThrottle();
        this.operThrottle = new LoginThrottle();
        this.creations = new Creations();
        names.addAll(store.accountNames());
    }

    /**
     * Shares a login's outcome with the other servers of a cluster: true when it did (the outcome
     * then comes back through {@link #noteLogin}, on every server alike), false on a single server.
     */
    private volatile java.util.function.BiPredicate<List<String>, Boolean> sharedLogins = (keys, failed) -> false;

    /** {@code sharer} is offered every login's throttle keys and outcome; see {@link #noteLogin}. */
    public void onLogins(java.util.function.BiPredicate<List<String>, Boolean> sharer) {
        sharedLogins = sharer;
    }

    /**
     * A login failed ({@code failed}) or succeeded under these throttle keys (address,
     * address and account, account), here or on another server of the cluster: failures count
     * toward the lockouts, a success clears the account's.
     */
    public void noteLogin(List<String> keys, boolean failed) {
        recordLogin(keys.toArray(String[]::new), failed, clock.getAsLong());
    }

    private void loginSeen(String[] keys, boolean failed, long now) {
        if (!sharedLogins.test(List.of(keys), failed)) {
            recordLogin(keys, failed, now);
        }
    }

    private void recordLogin(String[] keys, boolean failed, long now) {
        if (failed) {
            ServerConfig cfg = limits.get();
            long lockout = cfg.loginLockout().toMillis();
            throttle.failed(keys[0], cfg.loginMaxFailures(), lockout, now);
            throttle.failed(keys[1], cfg.loginMaxFailures(), lockout, now);
            throttle.failed(keys[2], cfg.loginMaxFailuresPerAccount(), lockout, now);
        } else {
            throttle.clear(keys[1]);
            throttle.clear(keys[2]);
        }
    }

    /** Told of each account made ({@code true}) or dropped here, so other servers sharing the store can know. */
    private volatile java.util.function.BiConsumer<String, Boolean> namesChanged = (name, exists) -> { };

    /** {@code listener} hears of every account made ({@code true}) or dropped ({@code false}) through this service. */
    public void onNamesChanged(java.util.function.BiConsumer<String, Boolean> listener) {
        namesChanged = listener;
    }

    /** Another server sharing the store made ({@code exists}) or dropped the account {@code name}. */
    public void noteName(String name, boolean exists) {
        if (exists) {
            names.add(fold(name));
        } else {
            names.remove(fold(name));
        }
    }

    /** Adds the names of accounts the store holds now (made by other servers sharing it meanwhile). */
    public void reloadNames() {
        names.addAll(store.accountNames());
    }

    private String fold(String name) {
        return caseMapping.fold(name);
    }

    /** True when {@code nick} is a registered account name. Non-blocking. */
    public boolean exists(String nick) {
        return nick != null && names.contains(fold(nick));
    }

    /**
     * Registers {@code name} for a client at {@code address}. Each address may register
     * {@code accountsPerAddress} accounts per {@code accountWindow}.
     */
    public Result register(String name, String password, String email, String address) {
        if (!Names.isValidNick(name, nickLength.getAsInt())) {
            return Result.of(Outcome.BAD_NAME);
        }
        if (password == null || password.length() < minPasswordLength()) {
            return Result.of(Outcome.WEAK_PASSWORD);
        }
        if (!acceptableEmail(email)) {
            return Result.of(Outcome.INVALID_EMAIL);
        }
        if (names.contains(fold(name))) {
            return Result.of(Outcome.EXISTS);
        }
        long now = clock.getAsLong();
        ServerConfig cfg = limits.get();
        long wait = creations.reserve(address, now, cfg.accountsPerAddress(), cfg.accountWindow().toMillis());
        if (wait > 0) {
            return new Result(Outcome.TOO_MANY_ACCOUNTS, null, LoginThrottle.seconds(wait));
        }
        String hash;
        String scram;
        try {
            hash = hashing.hash(password);
            scram = hashing.run(() -> Scram.create(password, cfg.scramIterations()).encode());
        } catch (HashingPool.Busy e) {
            creations.release(address, now);
            return Result.of(Outcome.BUSY);
        }
        Account a = new Account(fold(name), name, hash, email, clock.getAsLong(), scram);
        if (!store.createAccount(a)) {
            creations.release(address, now);
            return Result.of(Outcome.EXISTS);
        }
        names.add(a.name());
        namesChanged.accept(a.name(), true);
        return new Result(Outcome.OK, name, 0);
    }

    /** The shortest password an account may have now ({@code min-password-length}). Non-blocking. */
    public int minPasswordLength() {
        return limits.get().minPasswordLength();
    }

    /**
     * True when {@code email} (null for none) may go with a new account: a plausible address,
     * or none when {@code email-required} is off. Non-blocking.
     */
    public boolean acceptableEmail(String email) {
        if (email == null) {
            return !limits.get().emailRequired();
        }
        return email.length() <= 254 && email.matches("[^@\\s]+@[^@\\s]+");
    }

    public Result login(String name, String password, String address) {
        String key = fold(name);
        String[] keys = throttleKeys(address, key);
        long now = clock.getAsLong();
        long wait = 0;
        for (String k : keys) {
            wait = Math.max(wait, throttle.waitMillis(k, now));
        }
        if (wait > 0) {
            return new Result(Outcome.THROTTLED, null, LoginThrottle.seconds(wait));
        }
        Optional<Account> a = store.findAccount(key);
        boolean ok;
        try {
            ok = hashing.verify(a.map(Account::passwordHash).orElse(DUMMY), password == null ? "" : password);
        } catch (HashingPool.Busy e) {
            return Result.of(Outcome.BUSY);
        }
        now = clock.getAsLong();
        if (a.isEmpty() || !ok) {
            loginFailures.increment();
            loginSeen(keys, true, now);
            return Result.of(a.isEmpty() ? Outcome.NO_SUCH_ACCOUNT : Outcome.WRONG_PASSWORD);
        }
        loginSeen(keys, false, now);
        if (a.get().scram() == null) {
            addScram(key, password); // an account from before SCRAM: it can use SCRAM from now on
        }
        return new Result(Outcome.OK, a.get().displayName(), 0);
    }

    /** Stores a new SCRAM verifier of {@code password} for {@code key}; skipped when the pool is full. */
    private void addScram(String key, String password) {
        try {
            String scram = hashing.run(() -> Scram.create(password, limits.get().scramIterations()).encode());
            store.updateScram(key, scram);
        } catch (HashingPool.Busy e) {
            // the next login makes it
        }
    }

    public Result changePassword(String account, String current, String next, String address) {
        if (next == null || next.length() < minPasswordLength()) {
            return Result.of(Outcome.WEAK_PASSWORD);
        }
        Result check = login(account, current, address);
        if (check.outcome() != Outcome.OK) {
            return check;
        }
        try {
            String hash = hashing.hash(next);
            String scram = hashing.run(() -> Scram.create(next, limits.get().scramIterations()).encode());
            store.updatePassword(fold(account), hash);
            store.updateScram(fold(account), scram);
            store.deleteTokens(fold(account)); // a new password ends every session token
        } catch (HashingPool.Busy e) {
            return Result.of(Outcome.BUSY);
        }
        return check;
    }

    public Result drop(String account, String password, String address) {
        Result check = login(account, password, address);
        if (check.outcome() != Outcome.OK) {
            return check;
        }
        store.deleteAccount(fold(account));
        names.remove(fold(account));
        namesChanged.accept(fold(account), false);
        return check;
    }

    /**
     * Checks an operator's password ({@code phc} null when the name or host does not match:
     * the same work is done, so a probe cannot tell by timing). Failures are throttled per
     * address like logins; the outcome is OK, WRONG_PASSWORD, THROTTLED or BUSY.
     */
    public Result checkOperator(String phc, String password, String address) {
        String key = "addr:" + address;
        long wait = operThrottle.waitMillis(key, clock.getAsLong());
        if (wait > 0) {
            return new Result(Outcome.THROTTLED, null, LoginThrottle.seconds(wait));
        }
        boolean ok;
        try {
            ok = hashing.verify(phc == null ? DUMMY : phc, password == null ? "" : password);
        } catch (HashingPool.Busy e) {
            return Result.of(Outcome.BUSY);
        }
        if (phc == null || !ok) {
            ServerConfig cfg = limits.get();
            operThrottle.failed(key, cfg.loginMaxFailures(), cfg.loginLockout().toMillis(), clock.getAsLong());
            return Result.of(Outcome.WRONG_PASSWORD);
        }
        operThrottle.clear(key);
        return Result.of(Outcome.OK);
    }

    /**
     * Checks the server password a client sent with PASS against {@code phc}, on the hashing
     * pool. Wrong ones are throttled per address as logins are; the outcome is OK,
     * WRONG_PASSWORD, THROTTLED or BUSY.
     */
    public Result checkServerPassword(String phc, String password, String address) {
        String key = "addr:" + address;
        long wait = passThrottle.waitMillis(key, clock.getAsLong());
        if (wait > 0) {
            return new Result(Outcome.THROTTLED, null, LoginThrottle.seconds(wait));
        }
        boolean ok;
        try {
            ok = hashing.verify(phc, password);
        } catch (HashingPool.Busy e) {
            return Result.of(Outcome.BUSY);
        }
        if (!ok) {
            ServerConfig cfg = limits.get();
            passThrottle.failed(key, cfg.loginMaxFailures(), cfg.loginLockout().toMillis(), clock.getAsLong());
            return Result.of(Outcome.WRONG_PASSWORD);
        }
        passThrottle.clear(key);
        return Result.of(Outcome.OK);
    }

    // ---- SASL SCRAM-SHA-256 ----

    /**
     * A SCRAM login under way: its exchange, and the account's name as displayed (null when
     * there is no such account: the exchange then runs against a verifier nobody can match, so
     * the client cannot tell a missing account from a wrong password).
     */
    public record ScramLogin(ScramServer exchange, String account, boolean hasVerifier, String key) {
    }

    /** The start of a SCRAM login: THROTTLED (with the wait), or OK with the login under way. */
    public record ScramStart(Outcome outcome, ScramLogin login, long waitSeconds) {
    }

    /** The end of a SCRAM login: OK with the server-final message, or why not ({@code error} for a malformed one). */
    public record ScramEnd(Outcome outcome, String account, String serverFinal, String error) {
    }

    /** Looks up the verifier for {@code first}'s user name and starts the exchange. Blocks (database). */
    public ScramStart scramStart(ScramServer.ClientFirst first, String address) {
        String key = fold(first.username());
        long wait = 0;
        long now = clock.getAsLong();
        for (String k : throttleKeys(address, key)) {
            wait = Math.max(wait, throttle.waitMillis(k, now));
        }
        if (wait > 0) {
            return new ScramStart(Outcome.THROTTLED, null, LoginThrottle.seconds(wait));
        }
        Optional<Account> a = store.findAccount(key);
        Scram.Verifier v = a.map(Account::scram).map(Scram.Verifier::decode).orElse(null);
        boolean real = v != null;
        if (v == null) {
            v = unmatchable(key);
        }
        return new ScramStart(Outcome.OK,
                new ScramLogin(new ScramServer(first, v), a.map(Account::displayName).orElse(null), real, key), 0);
    }

    /**
     * Checks the client-final message on the hashing pool. A wrong proof or a malformed message
     * counts as a failed login, as a wrong PLAIN password does (except against an account that
     * has no verifier yet: its owner's client did nothing wrong).
     */
    public ScramEnd scramFinish(ScramLogin login, String clientFinal, String address) {
        String serverFinal;
        String error = null;
        try {
            serverFinal = hashing.run(() -> {
                try {
                    return login.exchange().clientFinal(clientFinal);
                } catch (ScramServer.ScramException e) {
                    throw new BadScram(e.getMessage());
                }
            });
        } catch (HashingPool.Busy e) {
            return new ScramEnd(Outcome.BUSY, null, null, null);
        } catch (BadScram e) {
            serverFinal = null;
            error = e.getMessage();
        }
        String[] keys = throttleKeys(address, login.key());
        if (serverFinal == null || login.account() == null) {
            if (login.account() == null || login.hasVerifier()) {
                loginFailures.increment();
                loginSeen(keys, true, clock.getAsLong());
            }
            return new ScramEnd(Outcome.WRONG_PASSWORD, null, null, error);
        }
        loginSeen(keys, false, clock.getAsLong());
        return new ScramEnd(Outcome.OK, login.account(), serverFinal, null);
    }

    private static String[] throttleKeys(String address, String key) {
        return new String[] {"addr:" + address, "pair:" + address + " " + key, "acct:" + key};
    }

    /** A malformed SCRAM message, carried out of the hashing pool. */
    private static final class BadScram extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadScram(String message) {
            super(message, null, false, false);
        }
    }

    private final byte[] fakeSaltKey = newKey();

    private static byte[] newKey() {
        byte[] k = new byte[32];
        Scram.Random.INSTANCE.nextBytes(k);
        return k;
    }

    /** The same salt for the same missing name each time, and keys no password matches. */
    private Scram.Verifier unmatchable(String key) {
        byte[] salt = java.util.Arrays.copyOf(Scram.hmac(fakeSaltKey, key), 16);
        return new Scram.Verifier(salt, limits.get().scramIterations(), newKey(), newKey());
    }

    // ---- session tokens (SASL IRCV3BEARER, type "session") ----

    /** The token type session tokens go by in SASL IRCV3BEARER. */
    public static final String TOKEN_TYPE = "session";

    /**
     * A new session token for {@code account}, {@code <id>.<secret>}, valid for
     * {@code token-lifetime}; only the SHA-256 of the secret is stored (the secret is 256 random
     * bits, so a fast hash is enough: nobody can guess it). Past {@code tokens-per-account} the
     * oldest is revoked. Null when tokens are off. Blocks (database).
     */
    public String issueToken(String account) {
        ServerConfig cfg = limits.get();
        if (cfg.tokenLifetime().isZero()) {
            return null;
        }
        String key = fold(account);
        List<SessionToken> held = store.tokens(key);
        for (int i = 0; i <= held.size() - cfg.tokensPerAccount(); i++) {
            store.deleteToken(key, held.get(i).id());
        }
        byte[] idBytes = new byte[6];
        byte[] secret = new byte[32];
        Scram.Random.INSTANCE.nextBytes(idBytes);
        Scram.Random.INSTANCE.nextBytes(secret);
        String id = HexFormat.of().formatHex(idBytes);
        String secretText = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        long now = clock.getAsLong();
        store.addToken(new SessionToken(id, key, sha256(secretText), now, now + cfg.tokenLifetime().toMillis()));
        return id + "." + secretText;
    }

    /**
     * Logs in with a session token: OK with the account, THROTTLED, or WRONG_PASSWORD for a
     * token that is malformed, unknown, revoked or expired (an expired one is deleted). Failures
     * count against the address as wrong passwords do. Blocks (database).
     */
    public Result loginByToken(String token, String address) {
        String key = "addr:" + address;
        long now = clock.getAsLong();
        long wait = throttle.waitMillis(key, now);
        if (wait > 0) {
            return new Result(Outcome.THROTTLED, null, LoginThrottle.seconds(wait));
        }
        int dot = token == null ? -1 : token.indexOf('.');
        Optional<SessionToken> t = dot <= 0 ? Optional.empty() : store.findToken(token.substring(0, dot));
        boolean ok = t.isPresent() && MessageDigest.isEqual(
                t.get().secretHash().getBytes(StandardCharsets.US_ASCII),
                sha256(token.substring(dot + 1)).getBytes(StandardCharsets.US_ASCII));
        if (ok && t.get().expiresAtMillis() <= now) {
            store.deleteToken(t.get().account(), t.get().id());
            ok = false;
        }
        Optional<Account> a = ok ? store.findAccount(t.get().account()) : Optional.empty();
        if (a.isEmpty()) {
            ServerConfig cfg = limits.get();
            throttle.failed(key, cfg.loginMaxFailures(), cfg.loginLockout().toMillis(), now);
            return Result.of(Outcome.WRONG_PASSWORD);
        }
        return new Result(Outcome.OK, a.get().displayName(), 0);
    }

    /** {@code account}'s session tokens, oldest first (expired ones included until used or revoked). Blocks. */
    public List<SessionToken> tokens(String account) {
        return store.tokens(fold(account));
    }

    /** Revokes {@code account}'s token {@code id}; false when it has none such. Blocks. */
    public boolean revokeToken(String account, String id) {
        return store.deleteToken(fold(account), id);
    }

    /** Revokes every token of {@code account}; returns how many there were. Blocks. */
    public int revokeTokens(String account) {
        return store.deleteTokens(fold(account));
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- client certificates (SASL EXTERNAL) ----

    /** What a CERT ADD or DEL did. */
    public enum CertOutcome { ADDED, ALREADY_YOURS, TAKEN, LIMIT, REMOVED, NOT_YOURS }

    /**
     * {@code text} as a fingerprint: 64 hex digits, colons allowed between them, any case; the
     * lower-case hex without colons, or null when it is not one.
     */
    public static String normalizeFingerprint(String text) {
        if (text == null) {
            return null;
        }
        String hex = text.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        return hex.matches("[0-9a-f]{64}") ? hex : null;
    }

    /** Binds {@code fingerprint} (normalised) to {@code account}, at most {@code certs-per-account}. Blocks. */
    public CertOutcome addCert(String account, String fingerprint) {
        String key = fold(account);
        Optional<String> owner = store.accountForCert(fingerprint);
        if (owner.isPresent()) {
            return owner.get().equals(key) ? CertOutcome.ALREADY_YOURS : CertOutcome.TAKEN;
        }
        if (store.certs(key).size() >= limits.get().certsPerAccount()) {
            return CertOutcome.LIMIT;
        }
        return store.addCert(key, fingerprint, clock.getAsLong()) ? CertOutcome.ADDED : CertOutcome.TAKEN;
    }

    /** Unbinds {@code fingerprint} (normalised) from {@code account}. Blocks. */
    public CertOutcome deleteCert(String account, String fingerprint) {
        return store.deleteCert(fold(account), fingerprint) ? CertOutcome.REMOVED : CertOutcome.NOT_YOURS;
    }

    /** The fingerprints bound to {@code account}. Blocks. */
    public java.util.List<String> certs(String account) {
        return store.certs(fold(account));
    }

    /**
     * SASL EXTERNAL: the account {@code fingerprint} is bound to, when {@code authzid} is empty
     * or names that account. OK with the account, NO_SUCH_ACCOUNT (no account has this
     * certificate) or WRONG_PASSWORD (the authzid names another account). Blocks (database).
     */
    public Result loginByCert(String fingerprint, String authzid) {
        Optional<Account> a = store.accountForCert(fingerprint).flatMap(store::findAccount);
        if (a.isEmpty()) {
            return Result.of(Outcome.NO_SUCH_ACCOUNT);
        }
        if (!authzid.isEmpty() && !fold(authzid).equals(a.get().name())) {
            return Result.of(Outcome.WRONG_PASSWORD);
        }
        return new Result(Outcome.OK, a.get().displayName(), 0);
    }

    public Optional<Account> find(String name) {
        return store.findAccount(fold(name));
    }

    /** Hashing a password nobody has, so a missing account costs the same time as a wrong password. */
    private static final String DUMMY = PasswordHasher.hash("parley-no-such-account");

    /** Accounts registered per address in the last window: times of registration, oldest first. */
    private static final class Creations {
        private final Map<String, ArrayDeque<Long>> byAddress = new HashMap<>();

        /**
         * Takes one of {@code address}'s {@code max} registrations per {@code windowMillis}; returns 0,
         * or the milliseconds until one is free.
         */
        synchronized long reserve(String address, long now, int max, long windowMillis) {
            byAddress.values().removeIf(times -> {
                while (!times.isEmpty() && times.peekFirst() <= now - windowMillis) {
                    times.pollFirst();
                }
                return times.isEmpty();
            });
            ArrayDeque<Long> times = byAddress.computeIfAbsent(address, a -> new ArrayDeque<>());
            if (times.size() >= max) {
                return Math.max(1, times.peekFirst() + windowMillis - now);
            }
            times.addLast(now);
            return 0;
        }

        /** Gives back a registration {@link #reserve} took at {@code at} that did not happen. */
        synchronized void release(String address, long at) {
            ArrayDeque<Long> times = byAddress.get(address);
            if (times != null) {
                times.removeLastOccurrence(at);
            }
        }
    }

    /** Failed password checks so far (wrong passwords, not lockouts). */
    public long loginFailures() {
        return loginFailures.sum();
    }
}
