package dev.parley.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.SqlStore;
import dev.parley.server.store.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Remembered hosts are bounded: past the limit, the addresses unseen longest are forgotten. */
class HostMemoryTest {
    @Test
    void inMemoryForgetsTheLongestUnseenPastItsLimit() {
        HostMemory m = HostMemory.inMemory(3);
        for (int i = 1; i <= 4; i++) {
            m.remember("192.0.2." + i, "n" + i, i * 1000L);
        }
        assertThat(m.size()).isEqualTo(3);
        assertThat(m.lookup("192.0.2.1")).isEmpty();
        assertThat(m.lookup("192.0.2.4")).isPresent();
    }

    @ParameterizedTest
    @EnumSource(TestStore.class)
    void storedForgetsInTheDatabaseToo(TestStore kind) {
        try (SqlStore store = kind.open()) {
            StoredHostMemory m = new StoredHostMemory(store, store.hosts(), 3);
            for (int i = 1; i <= 4; i++) {
                m.remember("192.0.2." + i, "n" + i, i * 1000L);
            }
            m.close();
            assertThat(m.size()).isEqualTo(3);
            assertThat(store.hostCount()).isEqualTo(3);
            assertThat(store.lookupHost("192.0.2.1")).isEmpty();
        }
    }
}
