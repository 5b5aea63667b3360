package dev.lethe.store;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import dev.lethe.sql.DeleteSql;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/** Classifies database failures, so that only those worth retrying are retried. */
public final class DatabaseFailures {

    /**
     * Connection loss, server shutdown, statement timeouts, lock and serialization conflicts, resource exhaustion;
     * any failure that is not a PostgreSQL error is a transport failure and transient too. A syntax or permission
     * error is not: retrying it only repeats it.
     */
    public static final Predicate<Throwable> IS_TRANSIENT = failure -> {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                    || state.equals("40001") || state.equals("40P01") || state.equals("55P03"));
        }
        return true;
    };

    /**
     * PostgreSQL did not answer at all: a lost or refused connection, a deadline passed, the server shutting down or
     * not accepting connections. An error PostgreSQL answered with (a lock conflict, a statement timeout) is not.
     */
    public static final Predicate<Throwable> IS_UNREACHABLE = failure -> {
        if (failure instanceof PgException pg) {
            String state = pg.getSqlState();
            return state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
                    || state.equals("57P03"));
        }
        return true;
    };

    /** PostgreSQL answered that the statement ran out of time (statement_timeout, or a cancel at the deadline). */
    public static final Predicate<Throwable> IS_TIMEOUT = failure -> failure instanceof PgException pg
            && "57014".equals(pg.getSqlState());

    /** A statement waited for a row lock as long as its lock_timeout allowed, and deleted nothing. */
    public static final Predicate<Throwable> IS_LOCK_WAIT = failure -> failure instanceof PgException pg
            && DeleteSql.LOCK_NOT_AVAILABLE.equals(pg.getSqlState());

    private DatabaseFailures() {
    }

    /**
     * The statement again, at most {@code retries} times, as long as it fails for a transient reason: after
     * {@code firstBackoff}, doubling up to eight times that, each wait jittered by up to half of it either way.
     */
    public static <T> Uni<T> retryTransient(Uni<T> statement, Duration firstBackoff, int retries) {
        return retrying(statement, firstBackoff, firstBackoff.multipliedBy(8), retries);
    }

    /**
     * Only a failure builds the next attempt, so that a statement that succeeds passes one operator. Mutiny's retry
     * with backoff turns every statement into a stream and back to subscribe to it: 3% of the service's CPU in the
     * steady benchmark, where no statement failed.
     */
    private static <T> Uni<T> retrying(Uni<T> statement, Duration backoff, Duration maxBackoff, int left) {
        if (left <= 0) {
            return statement;
        }
        return statement.onFailure(IS_TRANSIENT).recoverWithUni(() -> Uni.createFrom().voidItem().onItem().delayIt()
                .by(jittered(backoff)).chain(() -> retrying(statement,
                        backoff.multipliedBy(2).compareTo(maxBackoff) < 0 ? backoff.multipliedBy(2) : maxBackoff,
                        maxBackoff, left - 1)));
    }

    private static Duration jittered(Duration backoff) {
        return Duration.ofNanos((long) (backoff.toNanos() * (0.5 + ThreadLocalRandom.current().nextDouble())));
    }
}
