package dev.lethe.coordination;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.lethe.coordination.LeasePlan.Lease;

/** Who takes which target, and when it looks again: the fair-share decision alone, without a database. */
class LeasePlanTest {

    private static final Duration INTERVAL = Duration.ofSeconds(1);
    private static final List<String> TARGETS = List.of("message", "refresh", "reset", "session", "verify");

    private static Map<String, Lease> leases(Object... targetOwnerSeconds) {
        Map<String, Lease> leases = new HashMap<>();
        TARGETS.forEach(target -> leases.put(target, new Lease(null, 0)));
        for (int i = 0; i < targetOwnerSeconds.length; i += 3) {
            leases.put((String) targetOwnerSeconds[i], new Lease((String) targetOwnerSeconds[i + 1],
                    ((Number) targetOwnerSeconds[i + 2]).doubleValue()));
        }
        return leases;
    }

    @Test
    void aLoneInstanceTakesEveryFreeTarget() {
        LeasePlan plan = LeasePlan.decide("a", TARGETS, leases(), 1, INTERVAL);
        assertThat(plan.claim()).containsExactlyInAnyOrderElementsOf(TARGETS);
        assertThat(plan.handBack()).isEmpty();
        assertThat(plan.nextTick()).isEqualTo(INTERVAL);
    }

    @Test
    void whenASecondInstanceJoinsTheFirstKeepsItsFairShareAndHandsBackTheRest() {
        Map<String, Lease> allMine = leases("message", "a", 0.5, "refresh", "a", 0.5, "reset", "a", 0.5,
                "session", "a", 0.5, "verify", "a", 0.5);
        LeasePlan first = LeasePlan.decide("a", TARGETS, allMine, 2, INTERVAL);
        assertThat(first.claim()).as("five targets, two instances: three each at most").hasSize(3);
        assertThat(first.handBack()).hasSize(2).doesNotContainAnyElementsOf(first.claim());

        LeasePlan joiner = LeasePlan.decide("b", TARGETS, allMine, 2, INTERVAL);
        assertThat(joiner.claim()).as("nothing is free yet").isEmpty();
        assertThat(joiner.nextTick()).as("it looks again as a lease ends").isEqualTo(Duration.ofMillis(520));
    }

    @Test
    void aTargetHeldByAnotherLiveInstanceIsNeverClaimed() {
        LeasePlan plan = LeasePlan.decide("b", TARGETS, leases("message", "a", 0.3, "refresh", "a", 1.9), 2,
                INTERVAL);
        assertThat(plan.claim()).doesNotContain("message", "refresh").hasSize(3);
        assertThat(plan.nextTick()).as("the moment message's lease ends").isEqualTo(Duration.ofMillis(320));
    }

    @Test
    void theLeasesOfAnInstanceThatLeftAreTakenOnceTheyEnd() {
        Map<String, Lease> left = leases("message", "gone", 0.0, "refresh", "gone", -2.0, "reset", "b", 1.8,
                "session", "b", 1.8, "verify", "b", 1.8);
        LeasePlan plan = LeasePlan.decide("b", TARGETS, left, 1, INTERVAL);
        assertThat(plan.claim()).containsExactlyInAnyOrderElementsOf(TARGETS);
    }

    @Test
    void unevenCountsRoundTheShareUpSoNoTargetIsLeftWithoutAnOwner() {
        List<String> three = List.of("message", "refresh", "reset");
        Map<String, Lease> none = new HashMap<>();
        three.forEach(target -> none.put(target, new Lease(null, 0)));
        assertThat(LeasePlan.decide("a", three, none, 2, INTERVAL).claim()).hasSize(2);
        assertThat(LeasePlan.decide("a", three, none, 4, INTERVAL).claim()).hasSize(1);
    }

    @Test
    void instancesStartingTogetherBeginTheirScanAtDifferentTargets() {
        long distinctFirsts = List.of("instance-1", "instance-2", "instance-3", "instance-4", "instance-5").stream()
                .map(instance -> LeasePlan.decide(instance, TARGETS, leases(), 5, INTERVAL).claim().get(0))
                .distinct().count();
        assertThat(distinctFirsts).as("first choices of five instances").isGreaterThan(1);
    }
}
