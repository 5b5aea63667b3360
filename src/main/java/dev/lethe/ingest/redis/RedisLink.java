package dev.lethe.ingest.redis;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/**
 * One subscription connection to one Redis server, kept alive: it connects, lets its owner prepare the connection,
 * subscribes to one channel, checks the link every interval, and on any loss starts over after a growing, jittered
 * delay. Every step has a deadline of one interval, the connection attempt included: on a link that drops packets an
 * attempt never answers, and waiting for the kernel to give up on it (15 s and more) would keep the subscription
 * down long after the link came back. All of its state lives on one Vert.x context, and moves only in
 * {@link #enter}.
 * <p>
 * The link is judged alive by anything heard, not by matching a reply to its request: in vertx-redis-client 4.5 a push
 * that arrives while a request waits takes that request off the queue, and the reply then arrives as a push
 * (vert-x3/vertx-redis-client#454), so a check that waited for its own reply would fail a healthy, busy subscription.
 */
public final class RedisLink {

    /** Where the link is; one at a time, each with at most one timer. */
    public enum State {
        /** Opening a connection; its deadline runs. */
        CONNECTING,
        /** Connected: the owner prepares it and the subscription is asked for; its deadline runs. */
        SUBSCRIBING,
        /** Subscribed; checked every interval. */
        LIVE,
        /** Lost or never made: waiting out the backoff before the next attempt. */
        WAITING,
        /** Stopped for good. */
        STOPPED
    }

    /** The timing of a link. */
    public record Settings(Duration interval, Duration minBackoff, Duration maxBackoff) {
    }

    /** What the owner of a link does with it. Everything but {@link #message} runs on the link's context. */
    public interface Owner {
        /** Readies a new connection before it subscribes (Lethe sets notify-keyspace-events there). */
        default Future<?> prepare(RedisConnection connection) {
            return Future.succeededFuture();
        }

        /** A message on the channel; runs on whatever thread delivers it, and must not block. */
        void message(Response payload);

        /** The check to send each interval (PING, or ROLE where the owner wants to know of a demotion). */
        default Request check() {
            return Request.cmd(Command.PING);
        }

        /** What came back from a check, or any other reply the connection delivers. */
        default void replied(Response reply) {
        }

        /** The server refused a check with an error reply; the link is alive all the same. */
        default void refused(Throwable error) {
        }

        /** The subscription is live; {@code afterGap} when it had been live before, so that the owner was blind. */
        void live(boolean afterGap);

        /** The subscription was lost ({@code wasLive}), or an attempt to make it failed. */
        void lost(boolean wasLive, String why);

        /** The link is stopped for good, its connection closed. */
        default void stopped() {
        }
    }

    private final Supplier<Future<RedisConnection>> connector;
    private final String channel;
    private final Settings settings;
    private final Owner owner;
    private final Context context;
    private final Vertx vertx;

    private State state = State.WAITING;
    private RedisConnection connection;
    /** Counts connections made, so that callbacks of an abandoned one are told apart and ignored. */
    private long generation;
    private long timer = -1;
    private long backoffMillis;
    private boolean everLive;
    private long checkSentNanos;
    private volatile long lastHeardNanos;
    private volatile State visibleState = State.WAITING;

    /**
     * @param connector opens a connection to the server; called once per attempt
     * @param channel the channel subscribed to
     */
    public RedisLink(Vertx vertx, Supplier<Future<RedisConnection>> connector, String channel, Settings settings,
            Owner owner) {
        this.vertx = vertx;
        this.connector = connector;
        this.channel = channel;
        this.settings = settings;
        this.owner = owner;
        this.context = vertx.getOrCreateContext();
        this.backoffMillis = settings.minBackoff().toMillis();
    }

    /** The state now, as another thread may read it. */
    public State state() {
        return visibleState;
    }

    public boolean isLive() {
        return visibleState == State.LIVE;
    }

    public void start() {
        context.runOnContext(v -> enter(State.CONNECTING, null));
    }

    public void stop() {
        context.runOnContext(v -> enter(State.STOPPED, null));
    }

    /** Drops the connection and makes a new one at once, without backoff: its server no longer serves the purpose. */
    public void restart(String why) {
        context.runOnContext(v -> {
            if (state != State.STOPPED) {
                backoffMillis = 0;
                lose(why);
            }
        });
    }

    /** Every transition: leaves the state (its timer and, but for LIVE to LIVE, nothing else) and enters the next. */
    private void enter(State next, String why) {
        if (state == State.STOPPED) {
            return;
        }
        cancelTimer();
        State before = state;
        state = next;
        visibleState = next;
        switch (next) {
            case CONNECTING -> connect();
            case SUBSCRIBING -> timer = vertx.setTimer(interval(), id -> lose("not subscribed within " + interval()
                    + " ms"));
            case LIVE -> {
                boolean afterGap = everLive;
                everLive = true;
                backoffMillis = settings.minBackoff().toMillis();
                checkSentNanos = 0;
                scheduleCheck();
                owner.live(afterGap);
            }
            case WAITING -> {
                close();
                long delay = backoffMillis <= 0 ? 1
                        : Math.max(1, backoffMillis / 2 + ThreadLocalRandom.current().nextLong(backoffMillis / 2 + 1));
                backoffMillis = Math.min(Math.max(backoffMillis * 2, settings.minBackoff().toMillis()),
                        settings.maxBackoff().toMillis());
                owner.lost(before == State.LIVE, why);
                timer = vertx.setTimer(delay, id -> enter(State.CONNECTING, null));
            }
            case STOPPED -> {
                close();
                owner.stopped();
            }
        }
    }

    private void connect() {
        long attempt = ++generation;
        timer = vertx.setTimer(interval(), id -> lose("no connection within " + interval() + " ms"));
        connector.get().onComplete(result -> context.runOnContext(v -> connected(attempt, result.succeeded()
                ? result.result() : null, result.cause())));
    }

    private void connected(long attempt, RedisConnection opened, Throwable failure) {
        if (attempt != generation || state != State.CONNECTING) {
            if (opened != null) {
                opened.close(); // abandoned at its deadline, or stopped meanwhile
            }
            return;
        }
        if (opened == null) {
            lose(describe(failure));
            return;
        }
        connection = opened;
        lastHeardNanos = System.nanoTime();
        opened.handler(push -> onPush(attempt, push))
                .exceptionHandler(error -> context.runOnContext(v -> lostConnection(attempt, describe(error))))
                .endHandler(end -> context.runOnContext(v -> lostConnection(attempt, "connection closed")));
        enter(State.SUBSCRIBING, null);
        owner.prepare(opened)
                .compose(ready -> opened.send(Request.cmd(Command.SUBSCRIBE).arg(channel)))
                .onFailure(error -> context.runOnContext(v -> lostConnection(attempt, describe(error))));
    }

    /** On the delivering thread: every message goes to the owner; the rest hops onto the link's context. */
    private void onPush(long attempt, Response push) {
        lastHeardNanos = System.nanoTime();
        switch (Push.kind(push)) {
            case MESSAGE -> owner.message(push.get(2));
            case SUBSCRIBED -> {
                if (channel.equals(push.get(1).toString())) {
                    context.runOnContext(v -> {
                        if (attempt == generation && state == State.SUBSCRIBING) {
                            enter(State.LIVE, null);
                        }
                    });
                }
            }
            case OTHER -> context.runOnContext(v -> owner.replied(push));
            case NOTHING -> {
                // a PONG that found no request waiting for it: heard, nothing more
            }
        }
    }

    private void scheduleCheck() {
        timer = vertx.setTimer(interval(), id -> check());
    }

    /** Sends the next check, after making sure that something was heard since the last one. */
    private void check() {
        timer = -1;
        if (state != State.LIVE) {
            return;
        }
        if (checkSentNanos != 0 && lastHeardNanos - checkSentNanos < 0) {
            lose("nothing heard within " + interval() + " ms of a check");
            return;
        }
        checkSentNanos = System.nanoTime();
        long attempt = generation;
        connection.send(owner.check()).onComplete(result -> context.runOnContext(v -> {
            if (attempt != generation) {
                return;
            }
            if (result.succeeded()) {
                lastHeardNanos = System.nanoTime();
                owner.replied(result.result());
            } else if (RedisErrors.isErrorReply(result.cause())) {
                lastHeardNanos = System.nanoTime();
                owner.refused(result.cause());
            } else {
                lostConnection(attempt, describe(result.cause()));
            }
        }));
        scheduleCheck();
    }

    private void lostConnection(long attempt, String why) {
        if (attempt == generation && (state == State.SUBSCRIBING || state == State.LIVE)) {
            lose(why);
        }
    }

    private void lose(String why) {
        if (state != State.STOPPED) {
            enter(State.WAITING, why);
        }
    }

    private void close() {
        generation++;
        if (connection != null) {
            connection.close();
            connection = null;
        }
    }

    private void cancelTimer() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private long interval() {
        return settings.interval().toMillis();
    }

    private static String describe(Throwable cause) {
        if (cause == null) {
            return "connection failed";
        }
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message;
    }
}
