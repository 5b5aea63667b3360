package dev.lethe.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import dev.lethe.sql.DeleteSql;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.sqlclient.SqlConnection;

/**
 * Every statement Lethe runs goes through here, and none depends on a server session, so that they work the same on
 * a direct connection and behind any connection pooler.
 * <ul>
 * <li>Each runs with the settings Lethe needs ({@code statement_timeout}, {@code idle_in_transaction_session_timeout},
 * {@code jit}, {@code plan_cache_mode}), never from the startup packet, which poolers refuse. Where the server
 * session stays Lethe's (no pooler, or a session pooler) each connection made them once when it was opened
 * ({@link SessionSettings}) and a statement travels alone, one message and its answer. Behind a transaction pooler,
 * which would lend a session's settings to others, each statement runs in its own short transaction that first makes
 * them with {@code SET LOCAL}; BEGIN, the statement and COMMIT are sent together, so this costs no extra round
 * trip.</li>
 * <li>Each has a deadline on the client side: the statement timeout plus a margin, the wait for a free connection
 * included. A statement with no answer by then (a link that drops packets, a pooler that queues forever) fails as a
 * transient error that the callers retry and count, a cancel request is sent, and its connection is closed, so the
 * pool replaces it instead of lending a dead one again.</li>
 * </ul>
 */
public class Database {

    private final io.vertx.sqlclient.Pool pool;
    private final Deadlines deadlines;
    private final DatabaseHealth health;
    private final String begin;
    private final Deadline deadline;
    private final boolean settingsPerSession;

    /**
     * @param statementTimeout set as statement_timeout in every transaction
     * @param deadlineMargin how much longer the client waits for an answer
     * @param settingsPerSession whether every connection of the pool made the settings for its server session
     *        ({@link SessionSettings}, when no transaction pooler lends sessions to others): then a statement is
     *        sent alone, one message and its answer, in a transaction of its own as any statement outside one is
     */
    public Database(io.vertx.sqlclient.Pool pool, Vertx vertx, Duration statementTimeout, Duration deadlineMargin,
            DatabaseHealth health, boolean settingsPerSession) {
        this.pool = pool;
        this.deadlines = new Deadlines(vertx);
        this.health = health;
        this.settingsPerSession = settingsPerSession;
        this.begin = "BEGIN; " + settings(statementTimeout, "SET LOCAL ");
        this.deadline = statementDeadline(statementTimeout, deadlineMargin);
    }

    /** How long the client waits for one statement's answer. */
    static Deadline statementDeadline(Duration statementTimeout, Duration deadlineMargin) {
        return new Deadline(statementTimeout.plus(deadlineMargin),
                "lethe.database.statement-timeout plus lethe.database.deadline-margin");
    }

    /** What a connection sets once for its server session, where that session stays Lethe's. */
    static String sessionSettings(Duration statementTimeout) {
        return settings(statementTimeout, "SET ");
    }

    private static String settings(Duration statementTimeout, String set) {
        long timeout = statementTimeout.toMillis();
        return set + "statement_timeout = " + timeout
                + "; " + set + "idle_in_transaction_session_timeout = " + timeout
                // Lethe's statements are short index range scans; compiling one would cost more than running it.
                + "; " + set + "jit = off"
                // Plan each execution with the current now(): a plan cached while no row was due can walk a whole
                // backlog once rows are. Planning these statements costs a fraction of a millisecond.
                + "; " + set + "plan_cache_mode = force_custom_plan";
    }

    /**
     * How long the client waits for an answer, the wait for a free connection included, and the setting that says so,
     * for the message that tells an operator which one to look at.
     */
    public record Deadline(Duration duration, String setting) {

        /** The shorter of two deadlines: a caller's own budget never outlasts a statement's. */
        Deadline atMost(Deadline other) {
            return duration.compareTo(other.duration) <= 0 ? this : other;
        }
    }

    /**
     * What a statement returned, and how long the server worked on it: from the answer to its BEGIN to its own answer
     * behind a transaction pooler, from sending it to its answer where it travels alone; the wait for a connection
     * never counts, one round trip does where it travels alone (a fraction of a millisecond beside a database).
     */
    public record Executed(RowSet<Row> rows, Duration work) {
    }

    /** Runs one statement with bind parameters in its own transaction. */
    public Uni<RowSet<Row>> execute(String sql, Tuple parameters) {
        return measured(sql, parameters).map(Executed::rows);
    }

    /** Runs one statement without parameters in its own transaction. */
    public Uni<RowSet<Row>> execute(String sql) {
        return execute(sql, Tuple.tuple());
    }

    /** Runs one statement in its own transaction, and says how long the server worked on it. */
    public Uni<Executed> measured(String sql, Tuple parameters) {
        return measured(sql, parameters, deadline);
    }

    /**
     * Runs one statement in its own transaction, within a budget of the caller's own when that is shorter than a
     * statement's deadline.
     *
     * @param setting the setting the budget comes from, such as lethe.coordination.interval
     */
    public Uni<RowSet<Row>> execute(String sql, Tuple parameters, Duration budget, String setting) {
        return measured(sql, parameters, new Deadline(budget, setting).atMost(deadline)).map(Executed::rows);
    }

    private Uni<Executed> measured(String sql, Tuple parameters, Deadline deadline) {
        if (settingsPerSession) {
            return run(deadline, connection -> {
                long sent = System.nanoTime();
                return connection.preparedQuery(sql).execute(parameters.getDelegate()).map(rows -> new Executed(
                        RowSet.newInstance(rows, Row.__TYPE_ARG), Duration.ofNanos(System.nanoTime() - sent)));
            });
        }
        return run(deadline, connection -> {
            long[] begun = new long[1];
            // Sent together: BEGIN and its settings, the statement, COMMIT. A failed statement makes COMMIT a
            // ROLLBACK, and the connection goes back to the pool with no transaction open.
            connection.query(begin).execute().onSuccess(done -> begun[0] = System.nanoTime());
            Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> statement = connection.preparedQuery(sql)
                    .execute(parameters.getDelegate());
            Future<io.vertx.sqlclient.RowSet<io.vertx.sqlclient.Row>> commit = connection.query("COMMIT").execute();
            return statement.compose(rows -> commit.map(done -> new Executed(RowSet.newInstance(rows, Row.__TYPE_ARG),
                    Duration.ofNanos(Math.max(0, System.nanoTime() - begun[0])))));
        });
    }

    /**
     * Runs a delete's first form; where that waited out its lock wait on a row another transaction holds (and so
     * deleted nothing), runs the form that skips held rows, and tells {@code metHeldRow}. Whichever ran last says
     * how long the server worked.
     */
    public Uni<Executed> delete(DeleteSql delete, Tuple parameters, Runnable metHeldRow) {
        return measured(delete.first(), parameters).onFailure(DatabaseFailures.IS_LOCK_WAIT).recoverWithUni(() -> {
            metHeldRow.run();
            return measured(delete.skipLocked(), parameters);
        });
    }

    /**
     * Runs several statements in one transaction (an admin call and its key's last use, a schema upgrade), with the
     * same settings; rolled back if {@code work} fails.
     *
     * @param budget how long the whole transaction may take on the client side
     * @param setting the setting the budget comes from
     */
    public <T> Uni<T> transaction(Duration budget, String setting,
            Function<io.vertx.mutiny.sqlclient.SqlConnection, Uni<T>> work) {
        return run(new Deadline(budget, setting), connection -> connection.query(begin).execute()
                .compose(begun -> Future.fromCompletionStage(work.apply(
                        io.vertx.mutiny.sqlclient.SqlConnection.newInstance(connection)).subscribeAsCompletionStage()))
                .compose(result -> connection.query("COMMIT").execute().map(result),
                        failure -> connection.query("ROLLBACK").execute().transform(done -> Future.failedFuture(
                                failure))));
    }

    /** The same, with the deadline of one statement. */
    public <T> Uni<T> transaction(Function<io.vertx.mutiny.sqlclient.SqlConnection, Uni<T>> work) {
        return transaction(deadline.duration(), deadline.setting(), work);
    }

    /** The client-side deadline of one statement. */
    public Duration deadline() {
        return deadline.duration();
    }

    /** Work on one pooled connection, within a deadline that covers the wait for the connection too. */
    private interface OnConnection<T> {
        Future<T> apply(SqlConnection connection);
    }

    /** One attempt's state, shared by the deadline and the callbacks; whichever comes first ends it. */
    private final class Attempt implements Deadlines.Watched {
        final AtomicBoolean over = new AtomicBoolean();
        final long startNanos = System.nanoTime();
        final Deadline deadline;
        final long deadlineNanos;
        final UniEmitter<?> emitter;
        volatile SqlConnection connection;

        Attempt(Deadline deadline, UniEmitter<?> emitter) {
            this.deadline = deadline;
            this.deadlineNanos = startNanos + deadline.duration().toNanos();
            this.emitter = emitter;
        }

        @Override
        public long deadlineNanos() {
            return deadlineNanos;
        }

        @Override
        public void expired() {
            if (over.compareAndSet(false, true)) {
                SqlConnection abandoned = connection;
                String where = abandoned == null ? "waiting for a free PostgreSQL connection"
                        : "waiting for PostgreSQL to answer";
                if (abandoned != null) {
                    PooledConnections.abandon(abandoned);
                }
                health.unreachable(startNanos);
                emitter.fail(new DeadlineExceeded("no answer within " + deadline.duration().toMillis() + " ms ("
                        + deadline.setting() + "), " + where));
            }
        }
    }

    private <T> Uni<T> run(Deadline deadline, OnConnection<T> work) {
        return Uni.createFrom().emitter(emitter -> {
            Attempt attempt = new Attempt(deadline, emitter);
            deadlines.watch(attempt);
            pool.getConnection().onComplete(acquired -> {
                if (acquired.failed()) {
                    deadlines.over(attempt);
                    if (attempt.over.compareAndSet(false, true)) {
                        health.failed(acquired.cause(), attempt.startNanos);
                        emitter.fail(acquired.cause());
                    }
                    return;
                }
                SqlConnection connection = acquired.result();
                // Published before the check: a deadline firing on another thread meanwhile either sees it and
                // abandons it, or fired before and is seen here; either way the connection goes back.
                attempt.connection = connection;
                if (attempt.over.get()) {
                    // The deadline passed while this connection was on its way: it was never used, give it back.
                    connection.close();
                    return;
                }
                Future<T> done;
                try {
                    done = work.apply(connection);
                } catch (RuntimeException e) {
                    done = Future.failedFuture(e);
                }
                done.onComplete(result -> {
                    deadlines.over(attempt);
                    if (!attempt.over.compareAndSet(false, true)) {
                        return; // abandoned at the deadline; its connection is closed already
                    }
                    connection.close();
                    if (result.succeeded()) {
                        health.answered();
                        emitter.complete(result.result());
                    } else {
                        health.failed(result.cause(), attempt.startNanos);
                        emitter.fail(result.cause());
                    }
                });
            });
        });
    }

    /** A statement that got no answer within its deadline; transient, like any lost connection. */
    public static final class DeadlineExceeded extends RuntimeException {
        DeadlineExceeded(String message) {
            super(message, null, false, false);
        }
    }
}
