package dev.lethe.ingest.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotificationFlagsTest {

    @Test
    void emptyFlagsGetKeyEventsForExpiredKeys() {
        assertThat(NotificationFlags.merge("")).isEqualTo("Ex");
        assertThat(NotificationFlags.suffice("")).isFalse();
    }

    @Test
    void flagsOfOtherApplicationsAreKept() {
        assertThat(NotificationFlags.merge("Kg")).isEqualTo("KgEx");
        assertThat(NotificationFlags.merge("xK")).isEqualTo("xKE");
        assertThat(NotificationFlags.merge("Eg$")).isEqualTo("Eg$x");
    }

    @Test
    void aliasAIncludesExpiredEvents() {
        assertThat(NotificationFlags.suffice("AKE")).isTrue();
        assertThat(NotificationFlags.merge("AK")).isEqualTo("AKE");
    }

    @Test
    void sufficientFlagsAreLeftAlone() {
        assertThat(NotificationFlags.suffice("xE")).isTrue();
        assertThat(NotificationFlags.merge("xE")).isEqualTo("xE");
    }
}
