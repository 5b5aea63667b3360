package dev.lethe.bench;

import java.sql.Connection;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 3: a large backlog with no keys at all, drained by the sweep while the application keeps writing (and
 * again with nobody else writing, where the drain should not pause); the
 * same data deleted by one naive DELETE as the baseline. The backlog falls due at one instant while Lethe is already
 * running (as when a flood of rows expires together), so that the JVM's start is not part of the drain; the
 * look-ahead is off, so that the sweep alone does the work. Two layouts of the same rows: stored in expiry order (as
 * a table written once, in order, would be), and stored in random order (as a chat backend's table is, its rows of
 * many lifetimes written over time).
 */
final class DrainScenario {

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    DrainScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    /**
     * @param from start of the drain, epoch millis; @param to its end
     * @param heldDeleted of the due rows on legal hold, how many were deleted; @param notDueDeleted of the rows not
     *        due, how many were deleted: both must be 0
     */
    private record Run(double seconds, double fromDueSeconds, double longestTransaction, double longestStatement,
            double writerSoloP99, double writerDuringP99, long from, long to, long heldDeleted, long notDueDeleted) {

        Run checked(long heldDeleted, long notDueDeleted) {
            return new Run(seconds, fromDueSeconds, longestTransaction, longestStatement, writerSoloP99,
                    writerDuringP99, from, to, heldDeleted, notDueDeleted);
        }
    }

    /** Due rows on legal hold in each run: the guard must keep them. */
    private static final int HELD = 1000;

    Report run() throws Exception {
        int due = options.integer("drain-due");
        int total = options.integer("drain-total");
        Report report = new Report("drain", String.format("%,d due rows in a %,d-row table, no keys, while a writer"
                + " inserts %,d rows/s (%s)", due, total, options.integer("writer-rate"),
                PgbenchWriter.find().isPresent() ? "pgbench -R" : "a JDBC loop"));

        Run lethe = measure(due, total, Mode.LETHE, Layout.ORDERED, true);
        Run naive = measure(due, total, Mode.NAIVE, Layout.ORDERED, true);
        Run letheRandom = measure(due, total, Mode.LETHE, Layout.RANDOM, true);
        Run naiveRandom = measure(due, total, Mode.NAIVE, Layout.RANDOM, true);
        Run unpaced = measure(due, total, Mode.LETHE_UNPACED, Layout.ORDERED, true);
        Run unpacedRandom = measure(due, total, Mode.LETHE_UNPACED, Layout.RANDOM, true);
        Run idle = measure(due, total, Mode.LETHE, Layout.ORDERED, false);
        Run naiveIdle = measure(due, total, Mode.NAIVE, Layout.ORDERED, false);
        Run idleRandom = measure(due, total, Mode.LETHE, Layout.RANDOM, false);
        Run naiveIdleRandom = measure(due, total, Mode.NAIVE, Layout.RANDOM, false);

        report.add("lethe_drain_seconds", "Lethe: drain time, first to last deletion", lethe.seconds, "s");
        report.add("lethe_drain_from_due_seconds", "Lethe: from the instant the rows fell due to empty",
                lethe.fromDueSeconds, "s");
        report.add("naive_delete_seconds", "Naive DELETE ... WHERE " + BenchDatabase.DELETABLE, naive.seconds, "s");
        double ratio = lethe.seconds / naive.seconds;
        report.check("drain_ratio", "Lethe drain / naive DELETE", ratio, "x", "<= 3x", ratio <= 3);
        report.add("lethe_rows_per_second", "Lethe: rows per second", due / lethe.seconds, "/s");
        report.check("lethe_longest_statement_ms", "Lethe: longest sweep statement (= transaction)",
                lethe.longestStatement * 1000, "ms", "< 200 ms", lethe.longestStatement < 0.2);
        report.add("lethe_longest_transaction_ms", "Lethe: longest open transaction seen in pg_stat_activity",
                lethe.longestTransaction * 1000, "ms");
        report.add("naive_longest_transaction_ms", "Naive: longest transaction", naive.longestTransaction * 1000, "ms");
        report.add("writer_p99_solo_ms", "Writer p99 alone (before Lethe's drain)", lethe.writerSoloP99, "ms");
        double letheFactor = lethe.writerDuringP99 / lethe.writerSoloP99;
        report.check("writer_p99_lethe_ms", "Writer p99 during Lethe's drain", lethe.writerDuringP99, "ms",
                "<= 2x alone", letheFactor <= 2);
        report.add("writer_p99_lethe_factor", "... against alone", letheFactor, "x");
        report.add("writer_p99_solo_naive_ms", "Writer p99 alone (before the naive DELETE)", naive.writerSoloP99, "ms");
        double naiveFactor = naive.writerDuringP99 / naive.writerSoloP99;
        report.check("writer_p99_naive_ms", "Writer p99 during the naive DELETE", naive.writerDuringP99, "ms",
                "<= 2x alone", naiveFactor <= 2);
        report.add("writer_p99_naive_factor", "... against alone", naiveFactor, "x");

        report.add("random_lethe_drain_seconds", "Rows in random order: Lethe's drain time", letheRandom.seconds, "s");
        report.add("random_naive_delete_seconds", "Rows in random order: naive DELETE", naiveRandom.seconds, "s");
        double randomRatio = letheRandom.seconds / naiveRandom.seconds;
        report.check("random_drain_ratio", "Rows in random order: Lethe drain / naive DELETE", randomRatio, "x",
                "<= 3x", randomRatio <= 3);
        report.check("random_lethe_longest_statement_ms", "Rows in random order: Lethe's longest sweep statement",
                letheRandom.longestStatement * 1000, "ms", "< 200 ms", letheRandom.longestStatement < 0.2);
        report.add("random_lethe_longest_transaction_ms", "Rows in random order: Lethe's longest open transaction",
                letheRandom.longestTransaction * 1000, "ms");
        double randomFactor = letheRandom.writerDuringP99 / letheRandom.writerSoloP99;
        report.add("random_writer_p99_lethe_factor", "Rows in random order: writer p99 during Lethe's drain against"
                + " alone", randomFactor, "x");

        // The default pause factor (1.0) leaves the database idle as long as each statement ran, by design; without
        // it the drain shows what the statements themselves cost against one DELETE.
        double unpacedRatio = unpaced.seconds / naive.seconds;
        report.add("unpaced_drain_ratio", "lethe.sweep.pause-factor=0: Lethe drain / naive DELETE", unpacedRatio, "x");
        report.add("unpaced_longest_statement_ms", "lethe.sweep.pause-factor=0: longest sweep statement",
                unpaced.longestStatement * 1000, "ms");
        double unpacedRandomRatio = unpacedRandom.seconds / naiveRandom.seconds;
        report.add("unpaced_random_drain_ratio", "lethe.sweep.pause-factor=0, rows in random order: Lethe drain /"
                + " naive DELETE", unpacedRandomRatio, "x");
        report.add("unpaced_random_longest_statement_ms", "lethe.sweep.pause-factor=0, rows in random order: longest"
                + " sweep statement", unpacedRandom.longestStatement * 1000, "ms");
        report.add("unpaced_random_writer_p99_lethe_factor", "lethe.sweep.pause-factor=0, rows in random order:"
                + " writer p99 during the drain against alone",
                unpacedRandom.writerDuringP99 / unpacedRandom.writerSoloP99, "x");

        // With nobody else writing, the drain's pause shrinks to none (DrainPace): what the defaults cost against one
        // DELETE on a database that is otherwise idle.
        double idleRatio = idle.seconds / naiveIdle.seconds;
        report.add("idle_lethe_drain_seconds", "No writer: Lethe's drain at its defaults", idle.seconds, "s");
        report.add("idle_naive_delete_seconds", "No writer: naive DELETE", naiveIdle.seconds, "s");
        report.check("idle_drain_ratio", "No writer: Lethe drain / naive DELETE", idleRatio, "x", "<= 4x",
                idleRatio <= 4);
        double idleRandomRatio = idleRandom.seconds / naiveIdleRandom.seconds;
        report.add("idle_random_lethe_drain_seconds", "No writer, rows in random order: Lethe's drain at its defaults",
                idleRandom.seconds, "s");
        report.add("idle_random_naive_delete_seconds", "No writer, rows in random order: naive DELETE",
                naiveIdleRandom.seconds, "s");
        report.check("idle_random_drain_ratio", "No writer, rows in random order: Lethe drain / naive DELETE",
                idleRandomRatio, "x", "<= 4x", idleRandomRatio <= 4);
        report.add("idle_lethe_longest_statement_ms", "No writer: Lethe's longest sweep statement",
                Math.max(idle.longestStatement, idleRandom.longestStatement) * 1000, "ms");

        long held = 0;
        long notDue = 0;
        for (Run run : List.of(lethe, letheRandom, unpaced, unpacedRandom, idle, idleRandom)) {
            held += run.heldDeleted;
            notDue += run.notDueDeleted;
        }
        report.check("held_deleted", String.format("Lethe's six drains: of %,d due rows on legal hold each, deleted",
                HELD), held, "", "0", held == 0);
        report.check("not_due_deleted", "Lethe's six drains: rows not yet due deleted", notDue, "", "0", notDue == 0);
        return report;
    }

    /** Who deletes the backlog. */
    enum Mode {
        /** Lethe at its default settings (look-ahead off, so that the sweep does the work). */
        LETHE,
        /** Lethe with lethe.sweep.pause-factor=0: its statements back to back. */
        LETHE_UNPACED,
        /** One DELETE ... WHERE expires_at <= now(). */
        NAIVE
    }

    /** How the due rows lie in the table's heap. */
    enum Layout {
        /** Due rows first, in expiry order, then the rows not due. */
        ORDERED,
        /** Due and not-due rows interleaved at random. */
        RANDOM
    }

    /** @param withWriter whether the application writes meanwhile; without, the database is otherwise idle */
    private Run measure(int due, int total, Mode mode, Layout layout, boolean withWriter) throws Exception {
        redis.flush();
        db.recreateTable();
        boolean lethe = mode != Mode.NAIVE;
        Map<String, String> config = new HashMap<>(Map.of("lethe.sweep.lookahead", "0s", "lethe.sweep.every", "1s"));
        if (mode == Mode.LETHE_UNPACED) {
            config.put("lethe.sweep.pause-factor", "0");
        }
        LetheUnderTest service = lethe ? LetheUnderTest.start(options, redis.uri(), config) : null;
        try {
            long soloSeconds = options.integer("writer-solo-seconds");
            // Loading (with the vacuum and checkpoint after it) takes up to 25 s per million rows here; the writer
            // runs alone before the instant.
            long instant = System.currentTimeMillis() + soloSeconds * 1000 + 5_000 + total / 40;
            // Due within the second before the instant, as a real backlog would be.
            String dueBy = "to_timestamp(" + instant / 1000.0 + ") - (g % 1000) * interval '1 millisecond'";
            if (layout == Layout.ORDERED) {
                db.insert(due, dueBy);
                db.insert(total - due, "now() + interval '1 day'");
            } else {
                db.insertShuffled(total, "CASE WHEN g <= " + due + " THEN " + dueBy
                        + " ELSE now() + interval '1 day' END");
            }
            db.sql().execute("UPDATE " + BenchDatabase.TABLE + " SET legal_hold = true WHERE id IN (SELECT id FROM "
                    + BenchDatabase.TABLE + " WHERE expires_at <= to_timestamp(" + instant / 1000.0 + ") LIMIT "
                    + HELD + ")");
            db.vacuumAnalyze();
            long waitForSolo = instant - soloSeconds * 1000 - System.currentTimeMillis();
            if (waitForSolo < 0) {
                throw new IllegalStateException("loading took longer than the lead time");
            }
            Thread.sleep(waitForSolo);
            if (!withWriter) {
                Thread.sleep(Math.max(0, instant - System.currentTimeMillis()));
                long dueMillis = System.currentTimeMillis();
                return checked(lethe ? drain(service, dueMillis) : naive(dueMillis), due, total);
            }
            try (Writer writer = Writer.start(db, options.integer("writer-rate"))) {
                long soloStart = System.currentTimeMillis();
                Thread.sleep(Math.max(0, instant - System.currentTimeMillis()));
                long dueMillis = System.currentTimeMillis();
                Run run = lethe ? drain(service, dueMillis) : naive(dueMillis);
                // The log is read after a pause, so that inserts delayed by the drain are in it.
                Thread.sleep(1000);
                double solo = Stats.of(writer.latencies(soloStart + 1000, dueMillis)).p99();
                double during = Stats.of(writer.latencies(run.from, run.to)).p99();
                return checked(new Run(run.seconds, run.fromDueSeconds, run.longestTransaction,
                        run.longestStatement, solo, during, run.from, run.to, 0, 0), due, total);
            }
        } finally {
            if (service != null) {
                service.close();
            }
        }
    }

    /** Counted among the rows loaded, not those the writer added meanwhile (due a day on as well). */
    private Run checked(Run run, int due, int total) {
        return run.checked(HELD - db.count("legal_hold"), total - due
                - db.count("expires_at > now() AND body = '" + BenchDatabase.LOADED_BODY + "'"));
    }

    private Run drain(LetheUnderTest service, long dueMillis) throws Exception {
        // Polled with index probes in the database, not through Lethe's metrics, whose rendering would cost the
        // service under test CPU.
        try (Sampler transactions = new Sampler(50, db::longestLetheTransaction)) {
            // Until the first deletion the service's metrics are read (a heap-order drain may not start with the
            // oldest row), then no more.
            BurstScenario.await(() -> service.metric("lethe_rows_deleted_total", "") > 0, 10,
                    System.currentTimeMillis() + 60_000, "the first deletion");
            long first = System.currentTimeMillis();
            BurstScenario.await(() -> !db.anyDueBy(dueMillis), 50, System.currentTimeMillis() + 600_000,
                    "the drain");
            long last = System.currentTimeMillis();
            return new Run((last - first) / 1000.0, (last - dueMillis) / 1000.0, transactions.max(),
                    service.metric("lethe_sweep_batch_duration_seconds_max", ""), 0, 0, first, last, 0, 0);
        }
    }

    private Run naive(long dueMillis) throws Exception {
        try (Connection connection = db.connect(); Statement statement = connection.createStatement()) {
            statement.execute("SET statement_timeout = 0");
            long start = System.currentTimeMillis();
            statement.executeUpdate("DELETE FROM " + BenchDatabase.TABLE + " WHERE " + BenchDatabase.DELETABLE);
            long end = System.currentTimeMillis();
            double seconds = (end - start) / 1000.0;
            return new Run(seconds, (end - dueMillis) / 1000.0, seconds, seconds, 0, 0, start, end, 0, 0);
        }
    }
}
