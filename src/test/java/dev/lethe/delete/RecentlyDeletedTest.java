package dev.lethe.delete;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class RecentlyDeletedTest {

    @Test
    void remembersRowsPerTargetAndForgetsTheOldestFirst() {
        RecentlyDeleted recent = new RecentlyDeleted(3);
        UUID first = UUID.randomUUID();
        recent.add("message", first);
        recent.add("message", 7L);
        recent.add("session", "device:7");

        assertThat(recent.contains("message", first)).isTrue();
        assertThat(recent.contains("session", first)).as("the same id of another target").isFalse();
        assertThat(recent.contains("message", 7L)).isTrue();
        assertThat(recent.contains("session", "device:7")).isTrue();

        recent.add("message", UUID.randomUUID());
        assertThat(recent.contains("message", first)).as("the oldest goes first").isFalse();
        assertThat(recent.contains("message", 7L)).isTrue();
    }

    @Test
    void addingTwiceTakesOneSlot() {
        RecentlyDeleted recent = new RecentlyDeleted(2);
        recent.add("t", 1L);
        recent.add("t", 1L);
        recent.add("t", 2L);
        assertThat(recent.contains("t", 1L)).isTrue();
        assertThat(recent.contains("t", 2L)).isTrue();
    }

    @Test
    void fingerprintsOfNeighbouringIdsDiffer() {
        assertThat(RecentlyDeleted.fingerprint("t", 1L)).isNotEqualTo(RecentlyDeleted.fingerprint("t", 2L));
        assertThat(RecentlyDeleted.fingerprint("a", "x")).isNotEqualTo(RecentlyDeleted.fingerprint("b", "x"));
        UUID id = UUID.randomUUID();
        assertThat(RecentlyDeleted.fingerprint("t", id))
                .isNotEqualTo(RecentlyDeleted.fingerprint("t", new UUID(id.getLeastSignificantBits(),
                        id.getMostSignificantBits())));
    }
}
