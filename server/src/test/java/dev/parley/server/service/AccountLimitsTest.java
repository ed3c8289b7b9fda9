package dev.parley.server.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.CaseMapping;
import dev.parley.server.FullHashing;
import dev.parley.server.config.ServerConfig;
import dev.parley.server.service.AccountService.Outcome;
import dev.parley.server.store.Store;
import dev.parley.server.store.TestStore;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The hashing pool's bound, the login throttle's keys, and the account-creation limit, on a simulated clock; on SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(TestStore.class)
class AccountLimitsTest {
    @Parameter
    TestStore kind;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private Store store;
    private final HashingPool hashing = new HashingPool(1, 1);

    @BeforeEach
    void openStore() {
        store = kind.open();
    }

    @AfterEach
    void tearDown() {
        hashing.close();
        store.close();
    }

    private AccountService accounts(ServerConfig.Builder b) {
        return new AccountService(CaseMapping.RFC1459, () -> 30, now::get, store, hashing, b.build());
    }

    @Test
    void aFullPoolRefusesAtOnceAndRunsNothing() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        try (FullHashing full = FullHashing.of(hashing, 1)) {
            assertThatThrownBy(() -> hashing.run(() -> {
                ran.set(true);
                return null;
            })).isInstanceOf(HashingPool.Busy.class);
        }
        assertThat(ran).isFalse();
        assertThat(hashing.run(() -> "done")).isEqualTo("done");
    }

    @Test
    void accountMethodsAnswerBusyWhenThePoolIsFull() throws Exception {
        AccountService a = accounts(ServerConfig.builder());
        assertThat(a.register("owner", "owner-password", null, "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
        try (FullHashing full = FullHashing.of(hashing, 1)) {
            assertThat(a.login("owner", "owner-password", "10.0.0.2").outcome()).isEqualTo(Outcome.BUSY);
            assertThat(a.register("other", "other-password", null, "10.0.0.2").outcome()).isEqualTo(Outcome.BUSY);
            assertThat(a.checkOperator(null, "x", "10.0.0.2").outcome()).isEqualTo(Outcome.BUSY);
            assertThat(a.exists("other")).isFalse();
        }
        // a BUSY answer counted neither as a failure nor as a registration
        assertThat(a.login("owner", "owner-password", "10.0.0.2").outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void aStrangersGuessesLockOutTheStrangerNotTheOwner() {
        AccountService a = accounts(ServerConfig.builder().loginMaxFailures(3));
        a.register("owner", "owner-password", null, "10.0.0.1");
        for (int i = 0; i < 3; i++) {
            assertThat(a.login("owner", "guess" + i, "10.6.6.6").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        }
        assertThat(a.login("owner", "owner-password", "10.6.6.6").outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(a.login("owner", "owner-password", "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void guessesSpreadOverManyAddressesReachThePerAccountCap() {
        AccountService a = accounts(ServerConfig.builder().loginMaxFailures(3).loginMaxFailuresPerAccount(4));
        a.register("owner", "owner-password", null, "10.0.0.1");
        for (int i = 0; i < 4; i++) {
            assertThat(a.login("owner", "guess", "10.6.6." + i).outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        }
        assertThat(a.login("owner", "owner-password", "10.0.0.1").outcome()).isEqualTo(Outcome.THROTTLED);
        now.addAndGet(ServerConfig.builder().build().loginLockout().toMillis());
        assertThat(a.login("owner", "owner-password", "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void oneAddressNeedsHoursToReachThePerAccountCap() {
        // the defaults: 5 per address (lockouts from 30 s, doubling up to 15 min), 50 per account
        ServerConfig defaults = ServerConfig.builder().build();
        AccountService a = accounts(defaults.toBuilder());
        a.register("owner", "owner-password", null, "10.0.0.1");
        long start = now.get();
        int guesses = 0;
        while (guesses < defaults.loginMaxFailuresPerAccount() - 1) {
            AccountService.Result r = a.login("owner", "guess", "10.6.6.6");
            if (r.outcome() == Outcome.THROTTLED) {
                now.addAndGet(r.waitSeconds() * 1000); // the stranger guesses again as soon as allowed
            } else {
                assertThat(r.outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
                guesses++;
            }
        }
        assertThat(Duration.ofMillis(now.get() - start)).isGreaterThan(Duration.ofHours(8));
        AccountService.Result r;
        while ((r = a.login("owner", "guess", "10.6.6.6")).outcome() == Outcome.THROTTLED) {
            now.addAndGet(r.waitSeconds() * 1000);
        }
        assertThat(a.login("owner", "owner-password", "10.0.0.1").outcome()).isEqualTo(Outcome.THROTTLED);
    }

    @Test
    void operatorChecksAreThrottledPerAddress() {
        AccountService a = accounts(ServerConfig.builder().loginMaxFailures(2));
        String hash = PasswordHasher.hash("s3cret");
        assertThat(a.checkOperator(hash, "wrong", "10.6.6.6").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(a.checkOperator(null, "s3cret", "10.6.6.6").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(a.checkOperator(hash, "s3cret", "10.6.6.6").outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(a.checkOperator(hash, "s3cret", "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void accountCreationIsLimitedPerAddressAndWindow() {
        AccountService a = accounts(ServerConfig.builder().accountsPerAddress(2).accountWindow(Duration.ofHours(1)));
        assertThat(a.register("one", "password-1", null, "10.6.6.6").outcome()).isEqualTo(Outcome.OK);
        assertThat(a.register("one", "password-1", null, "10.6.6.6").outcome()).isEqualTo(Outcome.EXISTS);
        assertThat(a.register("two", "password-2", null, "10.6.6.6").outcome()).isEqualTo(Outcome.OK);
        AccountService.Result third = a.register("three", "password-3", null, "10.6.6.6");
        assertThat(third.outcome()).isEqualTo(Outcome.TOO_MANY_ACCOUNTS);
        assertThat(third.waitSeconds()).isEqualTo(3600);
        assertThat(a.exists("three")).isFalse();
        assertThat(a.register("three", "password-3", null, "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
        now.addAndGet(Duration.ofHours(1).toMillis());
        assertThat(a.register("four", "password-4", null, "10.6.6.6").outcome()).isEqualTo(Outcome.OK);
        assertThatThrownBy(() -> ServerConfig.builder().accountsPerAddress(0).build())
                .hasMessageContaining("accounts per address");
    }

    @Test
    void theLimitsNowAreReadAtEachAttemptSoRehashChangesThem() {
        AtomicReference<ServerConfig> config = new AtomicReference<>(ServerConfig.builder()
                .loginMaxFailures(5).loginLockout(Duration.ofSeconds(30)).accountsPerAddress(3).build());
        AccountService a = new AccountService(CaseMapping.RFC1459, () -> 30, now::get, store, hashing, config::get);
        a.register("owner", "owner-password", null, "10.0.0.1");
        assertThat(a.login("owner", "guess", "10.6.6.6").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(a.login("owner", "owner-password", "10.6.6.6").outcome()).isEqualTo(Outcome.OK);

        config.set(config.get().toBuilder().loginMaxFailures(2).loginLockout(Duration.ofSeconds(600))
                .accountsPerAddress(1).build());
        assertThat(a.login("owner", "guess", "10.6.6.6").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        AccountService.Result locked = a.login("owner", "owner-password", "10.6.6.6");
        assertThat(locked.outcome()).isEqualTo(Outcome.THROTTLED);
        assertThat(locked.waitSeconds()).isEqualTo(600);
        String hash = PasswordHasher.hash("s3cret");
        assertThat(a.checkOperator(hash, "wrong", "10.7.7.7").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(a.checkOperator(hash, "wrong", "10.7.7.7").outcome()).isEqualTo(Outcome.WRONG_PASSWORD);
        assertThat(a.checkOperator(hash, "s3cret", "10.7.7.7").waitSeconds()).isEqualTo(600);

        // 10.0.0.1 registered "owner" already: one per address now
        AccountService.Result second = a.register("second", "password-2", null, "10.0.0.1");
        assertThat(second.outcome()).isEqualTo(Outcome.TOO_MANY_ACCOUNTS);
        config.set(config.get().toBuilder().accountsPerAddress(2).build());
        assertThat(a.register("second", "password-2", null, "10.0.0.1").outcome()).isEqualTo(Outcome.OK);
    }
}
