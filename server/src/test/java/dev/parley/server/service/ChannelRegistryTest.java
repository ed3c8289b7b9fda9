package dev.parley.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.CaseMapping;
import dev.parley.server.service.ChannelRegistry.AccessOutcome;
import dev.parley.server.service.ChannelRegistry.Kept;
import dev.parley.server.service.ChannelRegistry.Level;
import dev.parley.server.service.ChannelRegistry.Mask;
import dev.parley.server.service.ChannelRegistry.RegisterOutcome;
import dev.parley.server.service.ChannelRegistry.Registration;
import dev.parley.server.store.SqlStore;
import dev.parley.server.store.TestStore;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Channel registrations: the limits, and what is stored is what is read back. On SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ChannelRegistryTest {
    @Parameter
    TestStore kind;

    private static final CaseMapping CM = CaseMapping.RFC1459;
    private static final Kept PLAIN = new Kept("nt", null, 0, null, null, 0, List.of());

    private static Registration reg(String name, String founder) {
        return new Registration(name, name, founder, 1000, "chan:x1:" + name, List.of(), PLAIN);
    }

    @Test
    void aFounderRegistersUpToItsLimitAndANameOnce() {
        try (SqlStore store = kind.open()) {
            ChannelRegistry r = new ChannelRegistry(store, CM);
            assertThat(r.register(reg("#a", "Alice"), 2)).isEqualTo(RegisterOutcome.REGISTERED);
            assertThat(r.register(reg("#a", "bob"), 2)).isEqualTo(RegisterOutcome.TAKEN);
            assertThat(r.register(reg("#b", "alice"), 2)).isEqualTo(RegisterOutcome.REGISTERED);
            assertThat(r.register(reg("#c", "ALICE"), 2)).isEqualTo(RegisterOutcome.TOO_MANY);
            assertThat(r.drop("#b")).isNotNull();
            assertThat(r.register(reg("#c", "alice"), 2)).isEqualTo(RegisterOutcome.REGISTERED);
            r.close();
        }
    }

    @Test
    void theAccessListIsBoundedAndNeverHoldsTheFounder() {
        try (SqlStore store = kind.open()) {
            ChannelRegistry r = new ChannelRegistry(store, CM);
            r.register(reg("#a", "alice"), 5);
            assertThat(r.setAccess("#a", "bob", Level.VOICE, "alice", 1, 2)).isEqualTo(AccessOutcome.ADDED);
            assertThat(r.setAccess("#a", "BOB", Level.VOICE, "alice", 2, 2)).isEqualTo(AccessOutcome.UNCHANGED);
            assertThat(r.setAccess("#a", "bob", Level.OP, "alice", 3, 2)).isEqualTo(AccessOutcome.CHANGED);
            assertThat(r.setAccess("#a", "carol", Level.VOICE, "alice", 4, 2)).isEqualTo(AccessOutcome.ADDED);
            assertThat(r.setAccess("#a", "dave", Level.VOICE, "alice", 5, 2)).isEqualTo(AccessOutcome.FULL);
            assertThat(r.setAccess("#a", "Alice", Level.OP, "alice", 6, 2)).isEqualTo(AccessOutcome.IS_FOUNDER);
            assertThat(r.setAccess("#a", "dave", null, "alice", 7, 2)).isEqualTo(AccessOutcome.NOT_LISTED);
            assertThat(r.setAccess("#nope", "dave", Level.OP, "alice", 8, 2)).isEqualTo(AccessOutcome.NOT_REGISTERED);
            assertThat(r.find("#a").levelOf("Bob", CM)).isEqualTo(Level.OP);
            assertThat(r.find("#a").levelOf("alice", CM)).isEqualTo(Level.FOUNDER);
            assertThat(r.find("#a").levelOf(null, CM)).isNull();
            r.close();
        }
    }

    @Test
    void whatAChannelKeepsIsStoredAndReadBackInOrder() {
        try (SqlStore store = kind.open()) {
            ChannelRegistry r = new ChannelRegistry(store, CM);
            r.register(reg("#a", "alice"), 5);
            r.register(reg("#gone", "alice"), 5);
            r.setAccess("#a", "bob", Level.VOICE, "alice", 10, 5);
            Kept kept = new Kept("imt", "sesame", 12, "Hello", "alice!a@h", 20,
                    List.of(new Mask('b', "z!*@*", "alice", 30), new Mask('b', "a!*@*", "alice", 31),
                            new Mask('I', "friend!*@*", "alice", 32)));
            r.keep("#a", "chan:other-incarnation:#a", new Kept("", null, 0, null, null, 0, List.of()));
            r.keep("#a", "chan:x1:#a", kept);
            r.drop("#gone");
            r.close();

            ChannelRegistry again = new ChannelRegistry(store, CM);
            assertThat(again.find("#gone")).isNull();
            Registration a = again.find("#a");
            assertThat(a.kept()).isEqualTo(kept);
            assertThat(a.access()).containsExactly(new ChannelRegistry.Access("bob", Level.VOICE, "alice", 10));
            assertThat(again.historyKeys()).containsExactly("chan:x1:#a");
            again.close();
        }
    }

    @Test
    void aDroppedAccountLeavesNoChannelAndNoAccessBehind() {
        try (SqlStore store = kind.open()) {
            ChannelRegistry r = new ChannelRegistry(store, CM);
            r.register(reg("#mine", "alice"), 5);
            r.register(reg("#theirs", "bob"), 5);
            r.setAccess("#theirs", "Alice", Level.OP, "bob", 1, 5);
            assertThat(r.forgetAccount("ALICE")).extracting(Registration::name).containsExactly("#mine");
            r.close();
            ChannelRegistry again = new ChannelRegistry(store, CM);
            assertThat(again.find("#mine")).isNull();
            assertThat(again.find("#theirs").access()).isEmpty();
            again.close();
        }
    }
}
