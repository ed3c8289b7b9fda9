package dev.parley.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.Store.ChannelAccess;
import dev.parley.server.store.Store.ChannelMask;
import dev.parley.server.store.Store.ChannelRegistration;
import dev.parley.server.store.Store.ServerBan;
import dev.parley.server.store.Store.TargetActivity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every statement of the store, on SQLite and on PostgreSQL: what is written is what is read back. */
class SqlStoreTest {
    private static HistoryEntry line(long seq, String target, long at, String body) {
        return new HistoryEntry(seq, target, "m" + seq, at, "alice!a@cloak", "alice", "PRIVMSG", target, body);
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void accountsAreUniqueByNameAndKeepEveryField(TestStore kind) {
        try (SqlStore store = kind.open()) {
            Account alice = new Account("alice", "Alice", "$argon2id$x", "alice@example.org", 1000, null);
            assertThat(store.createAccount(alice)).isTrue();
            assertThat(store.createAccount(new Account("alice", "ALICE", "$argon2id$y", null, 2000, null))).isFalse();
            assertThat(store.findAccount("alice")).contains(alice);
            assertThat(store.updatePassword("alice", "$argon2id$z")).isTrue();
            assertThat(store.updateScram("alice", "SCRAM-SHA-256$4096:c2FsdA==$a:b")).isTrue();
            assertThat(store.updateScram("nobody", "x")).isFalse();
            assertThat(store.findAccount("alice").orElseThrow().passwordHash()).isEqualTo("$argon2id$z");
            assertThat(store.findAccount("alice").orElseThrow().scram()).isEqualTo("SCRAM-SHA-256$4096:c2FsdA==$a:b");

            assertThat(store.addCert("alice", "ab12", 5)).isTrue();
            assertThat(store.addCert("bob", "ab12", 6)).as("a certificate binds to one account").isFalse();
            assertThat(store.addCert("alice", "cd34", 7)).isTrue();
            assertThat(store.certs("alice")).containsExactly("ab12", "cd34");
            assertThat(store.accountForCert("cd34")).contains("alice");
            assertThat(store.deleteCert("alice", "cd34")).isTrue();
            assertThat(store.deleteCert("alice", "cd34")).isFalse();

            store.addToken(new SessionToken("t2", "alice", "hash2", 20, 99));
            store.addToken(new SessionToken("t1", "alice", "hash1", 10, 99));
            assertThat(store.tokens("alice")).extracting(SessionToken::id).containsExactly("t1", "t2");
            assertThat(store.findToken("t2")).contains(new SessionToken("t2", "alice", "hash2", 20, 99));
            assertThat(store.deleteToken("bob", "t2")).isFalse();
            assertThat(store.deleteToken("alice", "t2")).isTrue();
            assertThat(store.accountNames()).containsExactly("alice");

            assertThat(store.deleteAccount("alice")).isTrue();
            assertThat(store.findAccount("alice")).isEmpty();
            assertThat(store.accountForCert("ab12")).as("its certificates go with it").isEmpty();
            assertThat(store.findToken("t1")).as("and its tokens").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void historyIsReadBySequenceOrTimeFromEitherEnd(TestStore kind) {
        try (SqlStore store = kind.open()) {
            List<HistoryEntry> batch = new ArrayList<>();
            for (int i = 1; i <= 10; i++) {
                batch.add(line(i, "#chan", 1000L * i, "line " + i));
            }
            batch.add(new HistoryEntry(11, "#chan", "m11", 11_000, "alice!a@cloak", "alice", "PRIVMSG", "#Chan",
                    "first\nsecond", "+draft/react=👍", "nn"));
            store.appendHistory(batch);
            store.appendHistory(List.of());
            assertThat(store.maxHistorySeq()).isEqualTo(11);
            assertThat(store.findByMsgid("m11")).contains(batch.get(10));

            assertThat(store.history("#chan", true, 0, Long.MAX_VALUE, 3, true))
                    .extracting(HistoryEntry::seq).containsExactly(9L, 10L, 11L);
            assertThat(store.history("#chan", true, 0, Long.MAX_VALUE, 3, false))
                    .extracting(HistoryEntry::seq).containsExactly(1L, 2L, 3L);
            assertThat(store.history("#chan", false, 2000, 6000, 10, false))
                    .extracting(HistoryEntry::seq).containsExactly(3L, 4L, 5L);
            assertThat(store.history("#other", true, 0, Long.MAX_VALUE, 10, true)).isEmpty();

            assertThat(store.deleteHistoryMessage("m5")).isTrue();
            assertThat(store.deleteHistoryMessage("m5")).isFalse();
            assertThat(store.pruneHistory("#chan", 4, 3000)).as("m1, m2 by age; m3, m4, m6, m7 past the newest four")
                    .isEqualTo(6);
            assertThat(store.history("#chan", true, 0, Long.MAX_VALUE, 100, false))
                    .extracting(HistoryEntry::seq).containsExactly(8L, 9L, 10L, 11L);
            assertThat(store.deleteHistoryUpTo(9)).isEqualTo(2);
            assertThat(store.deleteHistory("#chan")).isEqualTo(2);
            assertThat(store.maxHistorySeq()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void targetsAndPrefixesMatchLiterallyAndInCodePointOrder(TestStore kind) {
        try (SqlStore store = kind.open()) {
            String pm = Store.CONVERSATION_PREFIX;
            store.appendHistory(List.of(
                    line(1, pm + "al_ce,bob", 100, "underscore is literal"),
                    line(2, pm + "alice,bob", 200, "a"),
                    line(3, pm + "bob,carol", 300, "not alice's"),
                    line(4, pm + "alice,zoë", 400, "b"),
                    line(5, "#chan", 500, "c"),
                    line(6, "chan:run1:#a", 600, "d"),
                    line(7, "chan:run1:#b\uD83D\uDE00", 700, "e"),
                    line(8, "chan:run2:#a", 800, "f"),
                    line(9, "chan:run1", 900, "not under the prefix chan:run1:")));
            assertThat(store.targets(List.of("#chan"), "alice", 0, Long.MAX_VALUE, 10, false))
                    .containsExactly(new TargetActivity("#chan", 500), new TargetActivity(pm + "alice,zoë", 400),
                            new TargetActivity(pm + "alice,bob", 200));
            assertThat(store.targets(List.of(), "alice", 0, Long.MAX_VALUE, 1, true))
                    .containsExactly(new TargetActivity(pm + "alice,bob", 200));
            assertThat(store.targets(List.of(), "al_ce", 0, Long.MAX_VALUE, 10, true))
                    .containsExactly(new TargetActivity(pm + "al_ce,bob", 100));
            assertThat(store.targets(List.of(), null, 0, Long.MAX_VALUE, 10, true)).isEmpty();

            assertThat(store.historyTargets("chan:run1:"))
                    .containsExactlyInAnyOrder("chan:run1:#a", "chan:run1:#b\uD83D\uDE00");
            assertThat(store.deleteHistoryWithPrefix("chan:run1:")).isEqualTo(2);
            assertThat(store.historyTargets("chan:")).containsExactlyInAnyOrder("chan:run1", "chan:run2:#a");
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void upsertsReplaceAndMarkersOnlyMoveForward(TestStore kind) {
        try (SqlStore store = kind.open()) {
            store.rememberHost("192.0.2.1", "alice", 10);
            store.rememberHost("192.0.2.1", "alice2", 20);
            store.rememberHost("192.0.2.2", "bob", 30);
            assertThat(store.lookupHost("192.0.2.1")).contains(new Store.RememberedHost("192.0.2.1", "alice2", 20));
            assertThat(store.hostCount()).isEqualTo(2);
            assertThat(store.forgetHostsSeenBefore(25)).isEqualTo(1);
            assertThat(store.clearHosts()).isEqualTo(1);

            store.putReadMarker("alice", "#chan", 200);
            store.putReadMarker("alice", "#chan", 100);
            store.putReadMarker("alice", "bob", 50);
            store.putReadMarker("alice", "bob", 60);
            assertThat(store.readMarkers()).containsExactlyInAnyOrder(new Store.ReadMarker("alice", "#chan", 200),
                    new Store.ReadMarker("alice", "bob", 60));
            store.deleteReadMarker("alice", "bob");
            assertThat(store.deleteReadMarkers("alice")).isEqualTo(1);

            store.putServerBan(new ServerBan('K', "*@bad.example", "spam", "oper", 1000, 0));
            store.putServerBan(new ServerBan('D', "198.51.100.0/24", "flood", "oper", 2000, 9000));
            store.putServerBan(new ServerBan('K', "*@bad.example", "more spam", "oper2", 3000, 5000));
            assertThat(store.serverBans()).containsExactly(
                    new ServerBan('D', "198.51.100.0/24", "flood", "oper", 2000, 9000),
                    new ServerBan('K', "*@bad.example", "more spam", "oper2", 3000, 5000));
            assertThat(store.removeServerBan('K', "*@bad.example")).isTrue();
            assertThat(store.removeServerBan('K', "*@bad.example")).isFalse();
        }
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void aChannelRegistrationIsStoredWholeAndReplacedWhole(TestStore kind) {
        try (SqlStore store = kind.open()) {
            ChannelRegistration first = new ChannelRegistration("#a", "#A", "alice", 10, "chan:x:#a", "nt", null, 0,
                    null, null, 0, List.of(new ChannelAccess("bob", "op", "alice", 11)),
                    List.of(new ChannelMask('b', "x!*@*", "alice", 12)));
            ChannelRegistration second = new ChannelRegistration("#a", "#A", "alice", 10, "chan:x:#a", "imt", "key", 7,
                    "Topic", "alice!a@cloak", 13,
                    List.of(new ChannelAccess("carol", "voice", "alice", 14), new ChannelAccess("bob", "op", "alice", 15)),
                    List.of(new ChannelMask('b', "z!*@*", "alice", 16), new ChannelMask('b', "a!*@*", "alice", 17),
                            new ChannelMask('I', "friend!*@*", "alice", 18)));
            ChannelRegistration other = new ChannelRegistration("#B", "#B", "bob", 20, "chan:y:#b", "", null, 0, null,
                    null, 0, List.of(), List.of());
            store.putChannelRegistration(first);
            store.putChannelRegistration(other);
            store.putChannelRegistration(second);
            assertThat(store.channelRegistrations()).containsExactly(other, second); // "#B" < "#a" by code point
            assertThat(store.deleteChannelRegistration("#a")).isTrue();
            assertThat(store.deleteChannelRegistration("#a")).isFalse();
            assertThat(store.channelRegistrations()).containsExactly(other);
        }
    }
}
