package dev.lethe.sweep;

import java.util.Optional;

import dev.lethe.sql.DeleteSql;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes a target's due rows in the table's physical order: one pass over its heap, in ranges of pages that a TID
 * range scan reads, each range one statement. Picked through the index, rows stored in any other order cost a visit
 * to a random page each, and each page is visited again for each of its due rows; a pass reads every page once.
 */
final class HeapPass implements StatementLoop.Part {

    private final DeleteSql statement;
    private final PageRanges pass;
    private final SweepRun run;

    /** @param statement deletes up to {@code $3} due rows stored in pages {@code $1} to {@code $2} */
    HeapPass(DeleteSql statement, PageRanges pass, SweepRun run) {
        this.statement = statement;
        this.pass = pass;
        this.run = run;
    }

    @Override
    public Optional<StatementLoop.Statement> next() {
        return pass.claim().map(range -> new StatementLoop.Statement(statement,
                Tuple.of(range.from(), range.to(), pass.maxRows()), pass.maxRows(), range));
    }

    @Override
    public boolean took(StatementLoop.Statement sent, SweepRun.Timed result) {
        PageRanges.Range range = (PageRanges.Range) sent.handle();
        pass.took(range, result.rows(), result.work().toNanos());
        run.pagesSwept(range.pages());
        return true;
    }

    /** Whether every page was read; a pass the run's budget cut short is resumed by the next run. */
    boolean finished() {
        return pass.finished();
    }

    PageRanges pass() {
        return pass;
    }
}
