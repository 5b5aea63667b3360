package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;

/**
 * Checks, now and then, that a Redis node still announces expired keys: an operator's CONFIG SET, a restart with
 * another configuration or a managed Redis's parameter group can silence it while everything else looks fine. It
 * asks CONFIG where Lethe may (and sets the flags back), and otherwise sets a test key and listens for its expired
 * event. What it finds is the gauge lethe_redis_notifications{node}, and one log line each time it changes.
 */
final class NotificationWatch {

    private static final Logger LOG = Logger.getLogger(NotificationWatch.class);
    private static final Duration HEARING = Duration.ofSeconds(2);
    /** A whole check: connecting, CONFIG or a test key and the wait to hear it. */
    private static final Duration DEADLINE = HEARING.plusSeconds(8);
    /** Cluster slots a test key may have to try before it lands on this node. */
    private static final int TAGS = 64;

    private final Vertx vertx;
    private final String node;
    private final Supplier<Future<RedisConnection>> connector;
    private final NotificationSetup setup;
    private final Canaries canaries;
    private final String canaryKey;
    private final Duration every;
    private final BooleanSupplier subscribed;
    private volatile Boolean announcing;
    private volatile boolean stopped;
    private long timer = -1;
    private int tag;

    /**
     * @param canaryKey the test key, without a hash tag: {@code <prefix>:lethe-canary:<instance>}
     * @param subscribed whether the subscription that would hear the test key is live
     */
    NotificationWatch(Vertx vertx, String node, Supplier<Future<RedisConnection>> connector, NotificationSetup setup,
            Canaries canaries, String canaryKey, Duration every, BooleanSupplier subscribed) {
        this.vertx = vertx;
        this.node = node;
        this.connector = connector;
        this.setup = setup;
        this.canaries = canaries;
        this.canaryKey = canaryKey;
        this.every = every;
        this.subscribed = subscribed;
    }

    /** 1 when the node announces expired keys, 0 when it does not, NaN until it is known. */
    double state() {
        Boolean known = announcing;
        return known == null ? Double.NaN : known ? 1 : 0;
    }

    /** Checks now (the subscription has just become live), then every interval. */
    synchronized void checkSoon() {
        if (stopped) {
            return;
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        timer = vertx.setTimer(100, id -> check());
    }

    synchronized void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    private void check() {
        if (stopped || !subscribed.getAsBoolean()) {
            schedule();
            return;
        }
        // A check that gets no answer (a link that drops packets) is given up at its deadline, its connection closed
        // then rather than whenever the link answers; the next check follows.
        Promise<Boolean> bounded = Promise.promise();
        AtomicReference<RedisConnection> opened = new AtomicReference<>();
        long deadline = vertx.setTimer(DEADLINE.toMillis(), id -> {
            if (bounded.tryFail("no answer within " + DEADLINE)) {
                RedisConnection connection = opened.get();
                if (connection != null) {
                    connection.close();
                }
            }
        });
        connector.get().compose(connection -> {
            opened.set(connection);
            if (bounded.future().isComplete()) {
                connection.close(); // it came after the deadline
                return Future.<Boolean>failedFuture("no answer within " + DEADLINE);
            }
            return setup.ensure(connection, node, true)
                    .compose(flags -> flags == NotificationSetup.Flags.ANNOUNCED ? Future.succeededFuture(true)
                            : canary(connection, 0))
                    .onComplete(done -> connection.close());
        })
                .onComplete(done -> {
                    vertx.cancelTimer(deadline);
                    if (done.succeeded()) {
                        bounded.tryComplete(done.result());
                    } else {
                        bounded.tryFail(done.cause());
                    }
                });
        bounded.future().onSuccess(this::report).onComplete(done -> schedule());
    }

    private synchronized void schedule() {
        if (!stopped) {
            timer = vertx.setTimer(every.toMillis(), id -> check());
        }
    }

    /** Sets a test key that expires at once, touches it so that Redis expires it now, and listens for its event. */
    private Future<Boolean> canary(RedisConnection connection, int attempt) {
        // In a cluster the key must live on this node: another slot answers MOVED, and the next tag is tried.
        String key = canaryKey + ":{c" + tag + "}";
        return connection.send(Request.cmd(Command.SET).arg(key).arg("1").arg("PX").arg(10))
                .transform(set -> {
                    if (set.failed()) {
                        if (String.valueOf(set.cause().getMessage()).startsWith("MOVED") && attempt < TAGS) {
                            tag = (tag + 1) % TAGS;
                            return canary(connection, attempt + 1);
                        }
                        return Future.failedFuture(set.cause());
                    }
                    Future<Void> heard = canaries.expect(key);
                    Future<Boolean> listened = Future.future(promise -> {
                        long deadline = vertx.setTimer(HEARING.toMillis(), id -> promise.tryComplete(false));
                        heard.onSuccess(ok -> {
                            vertx.cancelTimer(deadline);
                            promise.tryComplete(true);
                        });
                    });
                    vertx.setTimer(50, id -> connection.send(Request.cmd(Command.EXISTS).arg(key)));
                    return listened.onComplete(done -> canaries.forget(key));
                });
    }

    private void report(boolean now) {
        Boolean before = announcing;
        announcing = now;
        if (!now && !Boolean.FALSE.equals(before)) {
            LOG.warnf("Redis node %s announces no expired keys (a test key expired unannounced): set its"
                    + " notify-keyspace-events to include E and x (CONFIG SET notify-keyspace-events Ex, or the"
                    + " parameter of a managed Redis)%s. Until then the look-ahead and the sweep delete on their own.",
                    node, setup.configures() ? "" : "; lethe.redis.configure-notifications=false, so Lethe does not");
        } else if (now && Boolean.FALSE.equals(before)) {
            LOG.infof("Redis node %s announces expired keys again", node);
        }
    }
}
