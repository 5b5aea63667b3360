package dev.lethe.delete;

import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import io.smallrye.mutiny.Uni;

/** Where a {@link DeleteQueue} sends its batches: {@link BatchDeleter} in the service. */
interface BatchSender {

    /** Deletes what is due of {@code ids}; the report accounts for every id, and never fails. */
    Uni<BatchReport> delete(Target target, Source source, Object[] ids);
}
