package dev.parley.server.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.server.store.SqlStore;
import dev.parley.server.store.TestStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** Read markers: forward only, bounded per account, and what is stored is what is read back. On SQLite and on PostgreSQL. */
@ParameterizedClass
@EnumSource(TestStore.class)
class ReadMarkersTest {
    @Parameter
    TestStore kind;

    @Test
    void aMarkerMovesOnlyForwardAndIsStored() {
        try (SqlStore store = kind.open()) {
            ReadMarkers marks = new ReadMarkers(store);
            assertThat(marks.advance("alice", "#news", 2000)).isEqualTo(new ReadMarkers.Advance(2000, true));
            assertThat(marks.advance("alice", "#news", 1000)).isEqualTo(new ReadMarkers.Advance(2000, false));
            assertThat(marks.advance("alice", "#news", 2000)).isEqualTo(new ReadMarkers.Advance(2000, false));
            assertThat(marks.get("bob", "#news")).isZero();
            marks.close();
            assertThat(new ReadMarkers(store).get("alice", "#news")).isEqualTo(2000);
        }
    }

    @Test
    void pastTheBoundTheMarkerReadLongestAgoIsForgotten() {
        try (SqlStore store = kind.open()) {
            ReadMarkers marks = new ReadMarkers(store);
            for (int i = 1; i <= ReadMarkers.MAX_PER_ACCOUNT; i++) {
                marks.advance("alice", "nick" + i, 10_000 + i);
            }
            marks.advance("alice", "oldest-yet-newest-set", 5);
            marks.close();
            assertThat(store.readMarkers()).hasSize(ReadMarkers.MAX_PER_ACCOUNT);
            ReadMarkers again = new ReadMarkers(store);
            assertThat(again.get("alice", "oldest-yet-newest-set")).isEqualTo(5);
            assertThat(again.get("alice", "nick1")).isZero();
            assertThat(again.get("alice", "nick2")).isEqualTo(10_002);
        }
    }
}
