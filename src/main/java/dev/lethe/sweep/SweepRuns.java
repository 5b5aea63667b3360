package dev.lethe.sweep;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.catalog.Targets;
import dev.lethe.config.LetheConfig;
import dev.lethe.coordination.TargetGate;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.Target;
import io.smallrye.mutiny.Uni;

/**
 * One sweep run per target at a time: whoever asks for a run while one is going (the schedule, a catch-up after a
 * subscription gap or a takeover, an operator) joins it and gets its result.
 */
@ApplicationScoped
public class SweepRuns {

    private final Sweeper sweeper;
    private final TargetGate gate;
    private final LetheMetrics metrics;
    private final LetheConfig config;
    private final Targets targets;
    private final Map<String, Uni<SweepResult>> running = new ConcurrentHashMap<>();
    private final Map<String, SweepSettings> settings = new ConcurrentHashMap<>();

    public SweepRuns(Sweeper sweeper, TargetGate gate, LetheMetrics metrics,
            LetheConfig config, Targets targets) {
        this.sweeper = sweeper;
        this.gate = gate;
        this.metrics = metrics;
        this.config = config;
        this.targets = targets;
    }

    /** The sweep settings in effect for a target. */
    public SweepSettings settings(Target target) {
        return settings.computeIfAbsent(target.name(),
                name -> SweepSettings.of(config.sweep(), targets.sweepOverrides(name)));
    }

    /** Publishes the target's ownership and pause gauges; call once per target at startup. */
    public void register(Target target) {
        metrics.targetOwner(target.name(), () -> gate.verdict(target.name()).owner() ? 1 : 0);
        metrics.targetPaused(target.name(),
                () -> gate.operatorVerdict(target.name()) == TargetGate.Verdict.PAUSED ? 1 : 0);
    }

    /** A run if this instance owns the target (schedules and catch-ups); another instance sweeps it otherwise. */
    public Uni<SweepResult> runIfOwned(Target target) {
        return gate.verdict(target.name()).owner() ? run(target)
                : Uni.createFrom().item(SweepResult.skipped(target.name()));
    }

    /** The run going on for this target, or a new one, whoever owns it (an operator asked for it). */
    public Uni<SweepResult> run(Target target) {
        while (true) {
            Uni<SweepResult> current = running.get(target.name());
            if (current != null) {
                return current;
            }
            Uni<SweepResult> fresh = start(target).memoize().indefinitely();
            if (running.putIfAbsent(target.name(), fresh) == null) {
                fresh.subscribe().with(
                        result -> running.remove(target.name(), fresh),
                        failure -> running.remove(target.name(), fresh));
                return fresh;
            }
        }
    }

    private Uni<SweepResult> start(Target target) {
        if (gate.operatorVerdict(target.name()) == TargetGate.Verdict.PAUSED) {
            SweepResult skipped = SweepResult.skipped(target.name());
            metrics.sweepRun(target.name(), skipped.outcome(), skipped.duration());
            return Uni.createFrom().item(skipped);
        }
        return sweeper.sweep(target, settings(target));
    }
}
