package dev.lethe.sweep;

import java.util.Optional;

import dev.lethe.sql.DeleteSql;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes a target's due rows through its expiry index, oldest first, each statement sized to last about the
 * statement target ({@link StatementSize}); a statement that comes back short means nothing is left.
 */
final class IndexDrain implements StatementLoop.Part {

    private final DeleteSql statement;
    private final SweepRun run;

    /** @param statement deletes up to {@code $1} due rows, oldest first */
    IndexDrain(DeleteSql statement, SweepRun run) {
        // Loops in flight at once through the index would all pick the oldest rows; skipping locked rows, each
        // takes others. A pass over the heap needs no such care: its loops claim page ranges of their own.
        this.statement = run.settings().parallelism() > 1 ? statement.skipLockedOnly() : statement;
        this.run = run;
    }

    @Override
    public Optional<StatementLoop.Statement> next() {
        int rows = run.size().next();
        return Optional.of(new StatementLoop.Statement(statement, Tuple.of(rows), rows, null));
    }

    @Override
    public boolean took(StatementLoop.Statement sent, SweepRun.Timed result) {
        if (result.rows() < sent.maxRows()) {
            return false;
        }
        run.size().took(sent.maxRows(), result.work().toNanos());
        return true;
    }
}
