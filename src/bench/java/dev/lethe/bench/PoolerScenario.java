package dev.lethe.bench;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.lethe.testsupport.process.PgBouncer;

/**
 * Scenario 2 again for Lethe alone, through each kind of connection it may meet: PostgreSQL directly, a PgBouncer
 * in session mode, and one in transaction mode (lethe.database.pooler set to match). Where the server session is
 * Lethe's, its settings are made once per connection and a statement travels alone; behind a transaction pooler
 * each statement carries BEGIN with its settings and COMMIT, written together. What each costs: lag, the service's
 * CPU, PostgreSQL's, and the pooler's own.
 */
final class PoolerScenario {

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    PoolerScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    Report run() throws Exception {
        Report report = new Report("poolers", String.format("the steady load (%,d expiries/s for %d s), Lethe alone,"
                + " directly and through PgBouncer in each pool mode", options.integer("steady-rate"),
                options.integer("steady-seconds")));
        for (Optional<PgBouncer.Mode> mode : new Optional[] {Optional.empty(), Optional.of(PgBouncer.Mode.SESSION),
                Optional.of(PgBouncer.Mode.TRANSACTION)}) {
            String name = mode.map(m -> m.name().toLowerCase(Locale.ROOT)).orElse("none");
            PgBouncer pooler = mode.map(BenchOptions::launchPooler).orElse(null);
            try {
                BenchOptions modeOptions = pooler == null
                        ? options.withLetheConfig(Map.of("lethe.database.pooler", "none"))
                        : options.through(pooler);
                double poolerBefore = pooler == null ? 0 : ProcessStats.cpuSeconds(pooler.pid());
                SteadyScenario.Run run = new SteadyScenario(modeOptions, db, redis)
                        .measure(() -> LetheUnderTest.start(modeOptions, redis.uri(), Map.of()));
                double poolerSeconds = pooler == null ? 0 : ProcessStats.cpuSeconds(pooler.pid()) - poolerBefore;
                report.add(name + "_lag", "pooler=" + name + ": lag p50 / p99 / max", String.format(
                        "%.1f / %.1f / %.1f ms", run.all().p50() * 1000, run.all().p99() * 1000,
                        run.all().max() * 1000), "");
                report.add(name + "_left_behind", "pooler=" + name + ": rows still present 5 s after their due time",
                        run.leftBehind(), "");
                Traps.Outcome traps = run.traps();
                report.check(name + "_traps", "pooler=" + name + ": held / stale-key rows deleted, rows deleted early",
                        traps.heldDeleted() + traps.staleDeleted() + traps.deletedEarly(), "", "0", traps.heldDeleted()
                                + traps.staleDeleted() + traps.deletedEarly() == 0);
                report.add(name + "_cpu", "pooler=" + name + ": CPU per 1,000 rows, Lethe warm / PostgreSQL /"
                        + " PgBouncer", String.format("%.1f / %.1f / %.1f ms", run.warmCpuMillisPerThousandRows(),
                                run.serverCpuMillisPerThousandRows(), poolerSeconds / run.all().count() * 1_000_000),
                        "");
            } finally {
                if (pooler != null) {
                    pooler.close();
                }
            }
        }
        return report;
    }
}
