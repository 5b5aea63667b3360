package dev.lethe.sweep;

/**
 * How much slower than usual a run's statements are: each statement's time per deleted row against the fastest of
 * the run's recent ones. The statements are sized to last about the same time, so a database that others keep busy
 * (CPU, I/O, WAL) shows as fewer rows in that time. A little variation is normal and reads as none.
 */
final class RecentSpeed {

    /** Statements remembered; about a second and a half of a drain at the default statement target. */
    static final int WINDOW = 32;

    /** Statements with fewer rows say more about their fixed cost than about the database's speed. */
    static final int MIN_ROWS = 10;

    /** No slower than this against the fastest reads as an idle database... */
    static final double TOLERATED = 1.5;

    /** ... and this much slower as a busy one. */
    static final double BUSY = 3.0;

    private final double[] perRow = new double[WINDOW];
    private int seen;

    /** Records a statement; how much slower it was, from 0 (as fast as the fastest seen recently) to 1 (busy). */
    synchronized double slowdown(SweepRun.Timed statement) {
        if (statement.rows() < MIN_ROWS) {
            return 0;
        }
        double own = statement.work().toNanos() / (double) statement.rows();
        perRow[seen++ % WINDOW] = own;
        double fastest = own;
        for (int i = 0; i < Math.min(seen, WINDOW); i++) {
            fastest = Math.min(fastest, perRow[i]);
        }
        double ratio = own / Math.max(1e-9, fastest);
        return Math.max(0, Math.min(1, (ratio - TOLERATED) / (BUSY - TOLERATED)));
    }
}
