package dev.lethe.coordination;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one question every path that deletes asks: may this instance act on this target now? It may when it owns the
 * target (with several replicas, one instance does each target's work) and the target is not paused (an operator
 * stopped its deletion). An operator's own sweep asks the same without the ownership: any instance may run it.
 * Neither answer is a safety condition: every statement checks again what is due and what is paused.
 */
@ApplicationScoped
public class TargetGate {

    /** The answer, with the reason when it is no. */
    public enum Verdict {
        ACT,
        /** This instance owns the target, and it is paused. */
        PAUSED,
        /** Another instance does this target's work. */
        OWNED_ELSEWHERE,
        /**
         * Nobody does it as far as this instance knows: it cannot reach the database to renew its leases, or the
         * lease is between owners. The sweep of whoever owns it next deletes the rows.
         */
        NO_OWNER;

        /** Whether this instance does the target's work, paused or not (it still counts a paused target's backlog). */
        public boolean owner() {
            return this == ACT || this == PAUSED;
        }
    }

    private final Ownership ownership;
    private final TargetPauses pauses;

    public TargetGate(Ownership ownership, TargetPauses pauses) {
        this.ownership = ownership;
        this.pauses = pauses;
    }

    /** For this instance's own work: events, look-ahead, scheduled sweeps, backlog counts. */
    public Verdict verdict(String target) {
        if (!ownership.owns(target)) {
            return ownership.ownedElsewhere(target) ? Verdict.OWNED_ELSEWHERE : Verdict.NO_OWNER;
        }
        return pauses.isPaused(target) ? Verdict.PAUSED : Verdict.ACT;
    }

    /** For an operator's sweep, which any instance runs: only a pause stops it. */
    public Verdict operatorVerdict(String target) {
        return pauses.isPaused(target) ? Verdict.PAUSED : Verdict.ACT;
    }
}
