package dev.lethe.ingest;

import java.time.Duration;

import org.jboss.logging.Logger;

import dev.lethe.support.RateLimitedLog;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Makes sure a Redis node announces expired keys. Runs on every (re)connection, because a restarted Redis forgets a
 * CONFIG SET. A managed Redis may refuse CONFIG: then one warning says what an operator must run, and the
 * subscription goes ahead anyway (the sweep covers what is not announced).
 */
final class NotificationSetup {

    private static final Logger LOG = Logger.getLogger(NotificationSetup.class);

    private final boolean configure;
    private final RateLimitedLog refusals = new RateLimitedLog(LOG, Logger.Level.WARN, Duration.ofMinutes(10));

    NotificationSetup(boolean configure) {
        this.configure = configure;
    }

    Future<Void> ensure(RedisConnection connection, String node) {
        return connection.send(Request.cmd(Command.CONFIG).arg("GET").arg(NotificationFlags.PARAMETER))
                .compose(reply -> {
                    String flags = flags(reply);
                    if (NotificationFlags.suffice(flags)) {
                        return Future.<Void>succeededFuture();
                    }
                    String merged = NotificationFlags.merge(flags);
                    if (!configure) {
                        refusals.log("Redis node %s has %s '%s', which does not announce expired keys, and "
                                + "lethe.redis.configure-notifications=false. Run: CONFIG SET %s %s",
                                node, NotificationFlags.PARAMETER, flags, NotificationFlags.PARAMETER, merged);
                        return Future.<Void>succeededFuture();
                    }
                    return connection.send(Request.cmd(Command.CONFIG).arg("SET").arg(NotificationFlags.PARAMETER)
                            .arg(merged))
                            .<Void>map(ok -> {
                                LOG.infof("Set %s on Redis node %s from '%s' to '%s'", NotificationFlags.PARAMETER,
                                        node, flags, merged);
                                return null;
                            })
                            .recover(failure -> refusedOrLost(node, failure, merged));
                })
                .recover(failure -> refusedOrLost(node, failure, "Ex (added to the flags your other applications need)"));
    }

    /** An error reply is a refusal to live with; anything else means the connection is gone. */
    private Future<Void> refusedOrLost(String node, Throwable failure, String flags) {
        if (!(failure instanceof ErrorType)) {
            return Future.failedFuture(failure);
        }
        refused(node, failure, flags);
        return Future.succeededFuture();
    }

    private void refused(String node, Throwable failure, String flags) {
        refusals.log("Redis node %s refused CONFIG (%s), so expired keys may not be announced. An operator must run: "
                + "CONFIG SET %s %s (on a managed Redis, set the parameter %s instead). Until then the sweep "
                + "deletes expired rows on its own.", node, failure.getMessage(), NotificationFlags.PARAMETER, flags,
                NotificationFlags.PARAMETER);
    }

    private static String flags(Response reply) {
        Response value = reply == null ? null : reply.get(NotificationFlags.PARAMETER);
        return value == null ? "" : value.toString();
    }
}
