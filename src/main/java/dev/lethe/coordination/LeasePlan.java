package dev.lethe.coordination;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one instance does with the leases at one tick, decided from what the heartbeat read and nothing else: keep
 * what it holds up to its fair share (targets / live instances, rounded up), hand back the rest, take free or ended
 * leases up to that share, and look again the moment a lease it could take ends. A pure function, so that joins,
 * leaves and uneven counts are plain unit tests.
 *
 * @param claim the targets to renew or take
 * @param handBack the targets to give up, beyond the fair share
 * @param nextTick when to look again: at most an interval, sooner when a lease another instance holds ends sooner
 */
record LeasePlan(List<String> claim, List<String> handBack, Duration nextTick) {

    /** A little after a lease ends, so that the next look finds it ended on the database's clock too. */
    private static final Duration AFTER_END = Duration.ofMillis(20);
    private static final Duration SOONEST = Duration.ofMillis(1);

    /** A target's lease as the heartbeat read it: its owner (null: none), and seconds until it ends. */
    record Lease(String owner, double secondsLeft) {
        boolean free() {
            return owner == null || secondsLeft <= 0;
        }

        boolean heldBy(String instance) {
            return instance.equals(owner) && secondsLeft > 0;
        }
    }

    /**
     * @param instance this instance's id
     * @param targets every target, sorted, so that all instances see them in one order
     * @param leases the leases read, by target
     * @param instances the live instances, this one included
     * @param interval lethe.coordination.interval
     */
    static LeasePlan decide(String instance, List<String> targets, Map<String, Lease> leases, int instances,
            Duration interval) {
        int fair = (targets.size() + instances - 1) / instances;
        List<String> mine = targets.stream().filter(target -> leases.containsKey(target)
                && leases.get(target).heldBy(instance)).toList();
        List<String> claim = new ArrayList<>(mine.stream().limit(fair).toList());
        List<String> handBack = mine.stream().skip(fair).toList();
        double soonestSeconds = interval.toNanos() / 1e9;
        // Start at a place of this instance's own, so that instances starting together spread the targets.
        int offset = Math.floorMod(instance.hashCode(), Math.max(1, targets.size()));
        for (int i = 0; i < targets.size() && claim.size() < fair; i++) {
            String target = targets.get((offset + i) % targets.size());
            Lease lease = leases.get(target);
            if (lease == null || claim.contains(target)) {
                continue;
            }
            if (lease.free()) {
                claim.add(target);
            } else if (!instance.equals(lease.owner())) {
                soonestSeconds = Math.min(soonestSeconds, lease.secondsLeft());
            }
        }
        Duration next = Duration.ofNanos((long) (soonestSeconds * 1e9)).plus(AFTER_END);
        next = next.compareTo(SOONEST) < 0 ? SOONEST : next;
        return new LeasePlan(List.copyOf(claim), handBack, next.compareTo(interval) < 0 ? next : interval);
    }
}
