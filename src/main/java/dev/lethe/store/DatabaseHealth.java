package dev.lethe.store;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.vertx.pgclient.PgException;

/**
 * Whether PostgreSQL answers, as the statements Lethe runs anyway find it: the last answer and the last time it did
 * not answer at all (a deadline passed, a connection could not be opened or was lost). Readiness reads this without
 * asking PostgreSQL, so that the probe answers at once even while PostgreSQL does not.
 */
@ApplicationScoped
public class DatabaseHealth {

    private static final Logger LOG = Logger.getLogger(DatabaseHealth.class);

    private final AtomicLong lastAnswer = new AtomicLong(System.nanoTime());
    private final AtomicLong lastSilence = new AtomicLong(Long.MIN_VALUE);
    private volatile String problem;

    void answered() {
        lastAnswer.set(System.nanoTime());
    }

    /**
     * A statement sent at {@code sentNanos} got no answer. One sent before the last answer says nothing new (on a
     * link that just healed, statements sent during the partition go on timing out for a while after the first
     * answer), so only a silence that began after the last answer turns readiness DOWN.
     */
    void unreachable(long sentNanos) {
        if (sentNanos - lastAnswer.get() > 0) {
            lastSilence.set(System.nanoTime());
        }
    }

    void failed(Throwable failure, long sentNanos) {
        if (failure instanceof PgException pg && ("26000".equals(pg.getSqlState()) || "42P05".equals(pg.getSqlState()))
                && problem == null) {
            problem = "PostgreSQL lost or doubled a prepared statement (" + pg.getSqlState() + " "
                    + pg.getErrorMessage() + "): a pooler in transaction mode sits between Lethe and PostgreSQL."
                    + " Set lethe.database.pooler=transaction";
            LOG.error(problem);
        }
        if (DatabaseFailures.IS_UNREACHABLE.test(failure)) {
            unreachable(sentNanos);
        } else {
            // PostgreSQL answered, with an error: it is there.
            answered();
        }
    }

    /**
     * Evidence that an assumption of Lethe's does not hold (a pooler mode that does not match what is there), which
     * keeps readiness DOWN until the configuration is fixed and the instance restarted.
     */
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    /** True unless the latest outcome was PostgreSQL not answering. */
    public boolean answering() {
        return lastSilence.get() == Long.MIN_VALUE || lastAnswer.get() - lastSilence.get() > 0;
    }

    /** Nanoseconds since PostgreSQL last answered (System.nanoTime() clock). */
    public long sinceLastAnswerNanos() {
        return System.nanoTime() - lastAnswer.get();
    }
}
