package dev.lethe.bench;

/**
 * The chat backend's own traffic during a drain: single-row inserts at a fixed rate, each timed from the moment it
 * was due to be sent, so that a stall shows up as latency instead of silently lowering the rate.
 */
interface Writer extends AutoCloseable {

    /** Latencies in milliseconds of the inserts due to be sent within [fromMillis, toMillis) (epoch time). */
    double[] latencies(long fromMillis, long toMillis);

    @Override
    void close();

    /** pgbench when the PostgreSQL installation has it (a C client, no JVM pauses of its own), else a JDBC loop. */
    static Writer start(BenchDatabase db, int rowsPerSecond) {
        return PgbenchWriter.find().<Writer>map(pgbench -> new PgbenchWriter(pgbench, rowsPerSecond))
                .orElseGet(() -> new JdbcWriter(db, rowsPerSecond));
    }
}
