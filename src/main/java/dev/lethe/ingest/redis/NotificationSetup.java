package dev.lethe.ingest.redis;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.impl.types.ErrorType;

/**
 * Makes sure a Redis node announces expired keys, where Lethe may: it reads {@code notify-keyspace-events} and adds
 * what is missing, keeping the flags other applications rely on. It runs at every (re)connection, because a
 * restarted Redis forgets a CONFIG SET, and at every notification check, because an operator may change it. With
 * lethe.redis.configure-notifications=false it sends no CONFIG command at all.
 */
final class NotificationSetup {

    private static final Logger LOG = Logger.getLogger(NotificationSetup.class);

    /** What CONFIG told of a node. */
    enum Flags {
        /** The node announces expired keys (its flags sufficed, or Lethe set them). */
        ANNOUNCED,
        /** Lethe may not ask (configure-notifications=false), or the node refused CONFIG: only a test key can tell. */
        UNKNOWN
    }

    private final boolean configure;

    NotificationSetup(boolean configure) {
        this.configure = configure;
    }

    boolean configures() {
        return configure;
    }

    /**
     * @param recheck whether this is a periodic check, when flags found wanting were turned off by someone
     */
    Future<Flags> ensure(RedisConnection connection, String node, boolean recheck) {
        if (!configure) {
            return Future.succeededFuture(Flags.UNKNOWN);
        }
        return connection.send(Request.cmd(Command.CONFIG).arg("GET").arg(NotificationFlags.PARAMETER))
                .compose(reply -> {
                    String flags = flags(reply);
                    if (NotificationFlags.suffice(flags)) {
                        return Future.succeededFuture(Flags.ANNOUNCED);
                    }
                    String merged = NotificationFlags.merge(flags);
                    return connection.send(Request.cmd(Command.CONFIG).arg("SET").arg(NotificationFlags.PARAMETER)
                            .arg(merged))
                            .map(ok -> {
                                if (recheck) {
                                    LOG.warnf("Redis node %s had %s '%s', which announces no expired keys (someone"
                                            + " changed it); Lethe set it back to '%s'", node,
                                            NotificationFlags.PARAMETER, flags, merged);
                                } else {
                                    LOG.infof("Set %s on Redis node %s from '%s' to '%s'",
                                            NotificationFlags.PARAMETER, node, flags, merged);
                                }
                                return Flags.ANNOUNCED;
                            });
                })
                .recover(failure -> failure instanceof ErrorType
                        // A refusal (a managed Redis, an ACL without CONFIG) leaves the test key to tell.
                        ? Future.succeededFuture(Flags.UNKNOWN)
                        : Future.failedFuture(failure));
    }

    private static String flags(Response reply) {
        Response value = reply == null ? null : reply.get(NotificationFlags.PARAMETER);
        return value == null ? "" : value.toString();
    }
}
