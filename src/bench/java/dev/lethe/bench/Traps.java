package dev.lethe.bench;

import java.util.List;
import java.util.UUID;

/**
 * The correctness tests' cases among a scenario's load, so that a faster Lethe is never a less careful one: rows on
 * legal hold whose keys expire (the guard, {@code NOT legal_hold}, must keep them), rows whose expiry moved a day on
 * after their keys were published (a stale key must delete nothing), and no row deleted before it was due (read from
 * the deletion log, on the database's clock).
 */
record Traps(List<Object> held, List<Object> stale) {

    /** As many rows of each kind, due (held) or announced by their keys (stale) at {@code dueMillis}. */
    static Traps plant(BenchDatabase db, BenchRedis redis, int each, long dueMillis) {
        String due = "to_timestamp(" + dueMillis / 1000.0 + ")";
        List<Object> held = db.sql().column("INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, expires_at,"
                + " legal_hold) SELECT gen_random_uuid(), gen_random_uuid(), " + due + ", true"
                + " FROM generate_series(1, " + each + ") RETURNING id");
        List<Object> stale = db.sql().column("INSERT INTO " + BenchDatabase.TABLE + " (id, chat_id, expires_at)"
                + " SELECT gen_random_uuid(), gen_random_uuid(), " + due + " FROM generate_series(1, " + each + ")"
                + " RETURNING id");
        redis.setAt(held.stream().map(id -> Publisher.PREFIX + id).toList(), dueMillis);
        redis.setAt(stale.stream().map(id -> Publisher.PREFIX + id).toList(), dueMillis);
        db.sql().execute("UPDATE " + BenchDatabase.TABLE + " SET expires_at = expires_at + interval '1 day'"
                + " WHERE id IN (" + list(stale) + ")");
        return new Traps(held, stale);
    }

    /** Of the planted rows, how many are gone: each must be 0. */
    Outcome outcome(BenchDatabase db) {
        return new Outcome(held.size() - present(db, held), stale.size() - present(db, stale), deletedEarly(db));
    }

    /** Deletions the log holds that came before their row's due time. */
    static long deletedEarly(BenchDatabase db) {
        return db.sql().count("SELECT count(*) FROM bench_deleted WHERE deleted_at < expires_at");
    }

    private static long present(BenchDatabase db, List<Object> ids) {
        return db.sql().count("SELECT count(*) FROM " + BenchDatabase.TABLE + " WHERE id IN (" + list(ids) + ")");
    }

    /** Ids the database generated, as literals: uuids, nothing else. */
    private static String list(List<Object> ids) {
        return String.join(", ", ids.stream().map(id -> "'" + (UUID) id + "'").toList());
    }

    /** What became of the traps. */
    record Outcome(long heldDeleted, long staleDeleted, long deletedEarly) {

        void report(Report report, String prefix, String label) {
            report.check(prefix + "held_deleted", label + "rows on legal hold deleted (their keys expired)",
                    heldDeleted, "", "0", heldDeleted == 0);
            report.check(prefix + "stale_deleted", label + "rows with a stale key deleted", staleDeleted, "", "0",
                    staleDeleted == 0);
            report.check(prefix + "deleted_early", "Rows deleted before their due time (all of them, from the log)",
                    deletedEarly, "", "0", deletedEarly == 0);
        }
    }
}
