package dev.parley.server.service;

import dev.parley.protocol.Names;
import dev.parley.server.store.Account;
import dev.parley.server.store.Store;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Accounts: register, log in, change password, drop. Every method here may block (hashing,
 * database): handlers call them through the session's offload. Only {@link #exists} is
 * non-blocking (it reads an in-memory set of account names kept in step with the store).
 */
public final class AccountService {
    /** Shortest password accepted. */
    public static final int MIN_PASSWORD = 8;

    /** What an account operation did. */
    public enum Outcome { OK, EXISTS, NO_SUCH_ACCOUNT, WRONG_PASSWORD, THROTTLED, BAD_NAME, WEAK_PASSWORD }

    /** The outcome, the account's display name when known, and for THROTTLED the seconds to wait. */
    public record Result(Outcome outcome, String account, long waitSeconds) {
        static Result of(Outcome o) {
            return new Result(o, null, 0);
        }
    }

    private final dev.parley.protocol.CaseMapping caseMapping;
    private final java.util.function.IntSupplier nickLength;
    private final java.util.function.LongSupplier clock;
    private final Store store;
    private final LoginThrottle throttle;
    private final Set<String> names = ConcurrentHashMap.newKeySet();

    /**
     * @param nickLength the longest nick now (it may change on REHASH)
     * @param clock      milliseconds since the epoch
     */
    public AccountService(dev.parley.protocol.CaseMapping caseMapping, java.util.function.IntSupplier nickLength,
                          java.util.function.LongSupplier clock, Store store, int maxFailures, long lockoutMillis) {
        this.caseMapping = caseMapping;
        this.nickLength = nickLength;
        this.clock = clock;
        this.store = store;
        this.throttle = new LoginThrottle(maxFailures, lockoutMillis);
        names.addAll(store.accountNames());
    }

    private String fold(String name) {
        return caseMapping.fold(name);
    }

    /** True when {@code nick} is a registered account name. Non-blocking. */
    public boolean exists(String nick) {
        return nick != null && names.contains(fold(nick));
    }

    public Result register(String name, String password, String email) {
        if (!Names.isValidNick(name, nickLength.getAsInt())) {
            return Result.of(Outcome.BAD_NAME);
        }
        if (password == null || password.length() < MIN_PASSWORD) {
            return Result.of(Outcome.WEAK_PASSWORD);
        }
        if (names.contains(fold(name))) {
            return Result.of(Outcome.EXISTS);
        }
        Account a = new Account(fold(name), name, PasswordHasher.hash(password), email, clock.getAsLong());
        if (!store.createAccount(a)) {
            return Result.of(Outcome.EXISTS);
        }
        names.add(a.name());
        return new Result(Outcome.OK, name, 0);
    }

    public Result login(String name, String password, String address) {
        String key = fold(name);
        long wait = throttle.waitSeconds(key, address, clock.getAsLong());
        if (wait > 0) {
            return new Result(Outcome.THROTTLED, null, wait);
        }
        Optional<Account> a = store.findAccount(key);
        boolean ok = PasswordHasher.verify(a.map(Account::passwordHash).orElse(DUMMY), password == null ? "" : password);
        if (a.isEmpty() || !ok) {
            throttle.failed(key, address, clock.getAsLong());
            return Result.of(a.isEmpty() ? Outcome.NO_SUCH_ACCOUNT : Outcome.WRONG_PASSWORD);
        }
        throttle.succeeded(key, address);
        return new Result(Outcome.OK, a.get().displayName(), 0);
    }

    public Result changePassword(String account, String current, String next, String address) {
        Result check = login(account, current, address);
        if (check.outcome() != Outcome.OK) {
            return check;
        }
        if (next == null || next.length() < MIN_PASSWORD) {
            return Result.of(Outcome.WEAK_PASSWORD);
        }
        store.updatePassword(fold(account), PasswordHasher.hash(next));
        return check;
    }

    public Result drop(String account, String password, String address) {
        Result check = login(account, password, address);
        if (check.outcome() != Outcome.OK) {
            return check;
        }
        store.deleteAccount(fold(account));
        names.remove(fold(account));
        return check;
    }

    public Optional<Account> find(String name) {
        return store.findAccount(fold(name));
    }

    /** Hashing a password nobody has, so a missing account costs the same time as a wrong password. */
    private static final String DUMMY = PasswordHasher.hash("parley-no-such-account");
}
