package dev.lethe.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.SqlConnection;

/**
 * Makes Lethe's settings for the server session of each connection the pool opens, before the pool lends it, where
 * that session stays Lethe's (no pooler, or a session pooler, which resets a session before it serves another
 * client): then every statement travels alone ({@link Database}). Bounded like a statement: a connection that has
 * not made them within the statement's deadline, or could not, is destroyed and never serves a statement; the pool
 * opens another, and whoever waits for a connection meets its own deadline meanwhile.
 */
final class SessionSettings implements Handler<SqlConnection> {

    private static final Logger LOG = Logger.getLogger(SessionSettings.class);

    private final Vertx vertx;
    private final String settings;
    private final Database.Deadline deadline;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofSeconds(30));

    /** @param deadline how long a new connection may take to make them: a statement's deadline */
    SessionSettings(Vertx vertx, Duration statementTimeout, Database.Deadline deadline) {
        this.vertx = vertx;
        this.settings = Database.sessionSettings(statementTimeout);
        this.deadline = deadline;
    }

    @Override
    public void handle(SqlConnection connection) {
        AtomicBoolean over = new AtomicBoolean();
        long timer = vertx.setTimer(Math.max(1, deadline.duration().toMillis()), id -> {
            if (over.compareAndSet(false, true)) {
                failures.log("A new PostgreSQL connection did not make Lethe's session settings within %d ms (%s):"
                        + " it is closed before serving any statement", deadline.duration().toMillis(),
                        deadline.setting());
                PooledConnections.abandon(connection);
            }
        });
        connection.query(settings).execute().onComplete(done -> {
            if (!over.compareAndSet(false, true)) {
                return;
            }
            vertx.cancelTimer(timer);
            if (done.succeeded()) {
                connection.close(); // into the pool, ready to lend
            } else {
                failures.log("A new PostgreSQL connection could not make Lethe's session settings (%s): %s; it is"
                        + " closed before serving any statement", settings, done.cause().getMessage());
                PooledConnections.closePhysically(connection);
            }
        });
    }
}
