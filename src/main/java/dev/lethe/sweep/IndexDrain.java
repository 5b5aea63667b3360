package dev.lethe.sweep;

import java.util.Optional;

import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes a target's due rows through its expiry index, oldest first, each statement sized to last about the
 * statement target ({@link StatementSize}); a statement that comes back short means nothing is left.
 */
final class IndexDrain implements StatementLoop.Part {

    private final String statement;
    private final SweepRun run;

    /** @param statement deletes up to {@code $1} due rows, oldest first */
    IndexDrain(String statement, SweepRun run) {
        this.statement = statement;
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
