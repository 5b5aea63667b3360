package dev.lethe.sweep;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.lethe.config.LetheConfig;
import dev.lethe.config.Schedule;
import dev.lethe.coordination.TargetGate;
import dev.lethe.sql.Target;
import io.quarkus.scheduler.Scheduled.ConcurrentExecution;
import io.quarkus.scheduler.Scheduler;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Puts the sweep on Quarkus' scheduler: one job per target (its interval or cron), whose runs never overlap, and
 * one job refreshing the backlog gauges. The look-ahead of each target runs on a timer of its own, five times per
 * window: it never waits behind a sweep that is slow, or failing while PostgreSQL does not answer.
 */
@ApplicationScoped
public class SweepSchedule {

    private static final String BACKLOG_JOB = "lethe-backlog";

    private final Scheduler scheduler;
    private final SweepRuns runs;
    private final Backlog backlog;
    private final LetheConfig config;
    private final TargetGate gate;
    private final List<String> jobs = new ArrayList<>();
    private final Lookahead lookahead;
    private final Vertx vertx;
    private final Map<String, Long> lookaheadTimers = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    public SweepSchedule(Scheduler scheduler, SweepRuns runs, Backlog backlog, LetheConfig config, TargetGate gate,
            Lookahead lookahead, Vertx vertx) {
        this.lookahead = lookahead;
        this.vertx = vertx;
        this.scheduler = scheduler;
        this.runs = runs;
        this.backlog = backlog;
        this.config = config;
        this.gate = gate;
    }

    public void start(Collection<Target> targets) {
        for (Target target : targets) {
            SweepSettings settings = runs.settings(target);
            runs.register(target);
            backlog.register(target);
            String id = "lethe-sweep-" + target.name();
            var job = scheduler.newJob(id)
                    .setConcurrentExecution(ConcurrentExecution.SKIP)
                    .setAsyncTask(execution -> runs.runIfOwned(target).replaceWithVoid());
            if (settings.schedule() instanceof Schedule.Cron cron) {
                job.setCron(cron.expression().expression());
            } else {
                job.setInterval(((Schedule.Every) settings.schedule()).interval().toString());
            }
            job.schedule();
            jobs.add(id);
            if (lookahead.enabled()) {
                lookAheadLater(target, Duration.ZERO);
            }
        }
        scheduler.newJob(BACKLOG_JOB)
                .setInterval(config.sweep().backlogEvery().toString())
                .setConcurrentExecution(ConcurrentExecution.SKIP)
                .setAsyncTask(execution -> measureBacklog(targets))
                .schedule();
        jobs.add(BACKLOG_JOB);
    }

    /** Sweeps every target this instance owns now, joining runs already going; after the service was blind. */
    public Uni<List<SweepResult>> runAll(Collection<Target> targets) {
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUniAndMerge(runs::runIfOwned)
                .collect().asList();
    }

    public synchronized void stop() {
        stopped = true;
        jobs.forEach(scheduler::unscheduleJob);
        jobs.clear();
        lookaheadTimers.values().forEach(vertx::cancelTimer);
    }

    /** Reads the target's whole look-ahead window now, as when this instance has just taken the target over. */
    public void lookAheadNow(Target target) {
        if (lookahead.enabled()) {
            lookahead.forget(target);
            lookAheadLater(target, Duration.ZERO);
        }
    }

    /** Only the owner of a target that is not paused reads its look-ahead: replicas would multiply the deletes. */
    private synchronized void lookAheadLater(Target target, Duration delay) {
        if (stopped) {
            return;
        }
        Long pending = lookaheadTimers.remove(target.name());
        if (pending != null) {
            vertx.cancelTimer(pending);
        }
        lookaheadTimers.put(target.name(), vertx.setTimer(Math.max(1, delay.toMillis()), id -> {
            Uni<Integer> read;
            if (gate.verdict(target.name()) == TargetGate.Verdict.ACT) {
                read = lookahead.schedule(target);
            } else {
                lookahead.forget(target);
                read = Uni.createFrom().item(0);
            }
            read.subscribe().with(rows -> lookAheadLater(target, lookahead.interval()),
                    failure -> lookAheadLater(target, lookahead.interval()));
        }));
    }

    /** Only the owner counts a target's backlog; the others publish no value, which Prometheus' max ignores. */
    private Uni<Void> measureBacklog(Collection<Target> targets) {
        return Multi.createFrom().iterable(targets)
                .onItem().transformToUniAndConcatenate(target -> {
                    if (gate.verdict(target.name()).owner()) {
                        return backlog.measure(target);
                    }
                    backlog.forget(target.name());
                    return Uni.createFrom().nullItem();
                })
                .collect().last().replaceWithVoid();
    }
}
