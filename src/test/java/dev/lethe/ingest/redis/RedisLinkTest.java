package dev.lethe.ingest.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.RedisConnection;
import io.vertx.redis.client.Response;

/**
 * The link's state machine against scripted connections, no Redis: what a lost, silent, late or busy connection does
 * to it, and that it comes back by itself within an interval and its backoff.
 */
class RedisLinkTest {

    private static final String CHANNEL = "__keyevent@0__:expired";
    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final RedisLink.Settings SETTINGS = new RedisLink.Settings(INTERVAL, Duration.ofMillis(20),
            Duration.ofMillis(50));

    private final Vertx vertx = Vertx.vertx();
    /** The connections the next attempts get, in order; an attempt finding none gets a new scripted one. */
    private final Queue<Future<RedisConnection>> next = new ConcurrentLinkedQueue<>();
    private final List<ScriptedConnection> made = new CopyOnWriteArrayList<>();
    private final Recorder owner = new Recorder();

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private Future<RedisConnection> connect() {
        Future<RedisConnection> scripted = next.poll();
        return scripted != null ? scripted : Future.succeededFuture(connection());
    }

    private ScriptedConnection connection() {
        ScriptedConnection connection = new ScriptedConnection(vertx, CHANNEL);
        made.add(connection);
        return connection;
    }

    private RedisLink started() {
        RedisLink link = new RedisLink(vertx, this::connect, CHANNEL, SETTINGS, owner);
        link.start();
        return link;
    }

    @Test
    void goesLiveWhenTheSubscriptionIsConfirmedAndHandsMessagesOver() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        assertThat(owner.events).containsExactly("live");

        made.get(0).push(ScriptedConnection.multi("message", CHANNEL, "lethe:message:1"));
        assertThat(owner.messages).containsExactly("lethe:message:1");
    }

    @Test
    void aConnectionAttemptWithoutAnAnswerIsAbandonedAtItsDeadline() {
        Promise<RedisConnection> late = Promise.promise();
        next.add(late.future());
        long start = System.nanoTime();
        RedisLink link = started();

        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("one interval, and a backoff")
                .isLessThan(INTERVAL.multipliedBy(3));
        assertThat(owner.events).startsWith("attempt failed: no connection within 200 ms").endsWith("live");

        ScriptedConnection tooLate = new ScriptedConnection(vertx, CHANNEL);
        late.complete(tooLate);
        await().atMost(Duration.ofSeconds(1)).until(() -> tooLate.closed);
        assertThat(link.isLive()).as("the abandoned attempt's connection changes nothing").isTrue();
    }

    @Test
    void aSubscriptionNeverConfirmedIsGivenUpAfterAnInterval() {
        ScriptedConnection unconfirmed = new ScriptedConnection(vertx, CHANNEL);
        unconfirmed.confirmsSubscription = false;
        next.add(Future.succeededFuture(unconfirmed));
        RedisLink link = started();

        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        assertThat(unconfirmed.closed).isTrue();
        assertThat(owner.events).first().isEqualTo("attempt failed: not subscribed within 200 ms");
    }

    @Test
    void aLinkThatGoesSilentIsLostWithinTwoIntervalsAndMadeAgain() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        ScriptedConnection silent = made.get(0);
        silent.answers = request -> ScriptedConnection.never();
        long start = System.nanoTime();

        await().atMost(Duration.ofSeconds(2)).until(() -> owner.events.contains("lost: nothing heard within 200 ms"
                + " of a check"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(INTERVAL.multipliedBy(3));
        assertThat(silent.closed).isTrue();
        await().atMost(Duration.ofSeconds(2)).until(() -> owner.events.contains("live after a gap"));
    }

    @Test
    void aReplyThatArrivesAsAPushDuringACheckKeepsTheLinkAlive() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        ScriptedConnection busy = made.get(0);
        // vert-x3/vertx-redis-client#454: a push took the check off the queue; its reply arrives as a push.
        busy.answers = request -> {
            vertx.setTimer(20, id -> busy.push(ScriptedConnection.multi("message", CHANNEL, "a-key")));
            vertx.setTimer(40, id -> busy.push(ScriptedConnection.multi("master", "0")));
            return ScriptedConnection.never();
        };

        await().pollDelay(INTERVAL.multipliedBy(5)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(link.isLive()).isTrue();
        assertThat(owner.events).containsExactly("live");
        assertThat(owner.replies).contains("master 0");
    }

    @Test
    void anErrorReplyToACheckIsAnAnswerNotALoss() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        made.get(0).answers = request -> Future.failedFuture("ERR unknown command 'ROLE'");

        await().atMost(Duration.ofSeconds(2)).until(() -> owner.refusals.size() >= 2);
        assertThat(link.isLive()).isTrue();
        assertThat(owner.events).containsExactly("live");
    }

    @Test
    void aClosedOrFailingConnectionIsMadeAgainAfterABackoff() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        made.get(0).end();
        await().atMost(Duration.ofSeconds(2)).until(() -> owner.events.contains("live after a gap"));
        made.get(1).fail(new java.io.IOException("Connection reset by peer"));
        await().atMost(Duration.ofSeconds(2)).until(() -> owner.events.stream()
                .filter("live after a gap"::equals).count() == 2);
        assertThat(owner.events).containsExactly("live", "lost: connection closed", "live after a gap",
                "lost: Connection reset by peer", "live after a gap");
    }

    @Test
    void aStoppedLinkStaysDown() {
        RedisLink link = started();
        await().atMost(Duration.ofSeconds(2)).until(link::isLive);
        link.stop();
        await().atMost(Duration.ofSeconds(1)).until(() -> made.get(0).closed);
        await().pollDelay(INTERVAL.multipliedBy(3)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(link.state()).isEqualTo(RedisLink.State.STOPPED);
        assertThat(made).hasSize(1);
    }

    @Test
    void aDemotedNodeIsLeftForTheNewMasterAtOnce() {
        NodeSubscription.Listener listener = new NodeSubscription.Listener() {
            @Override
            public void subscribed(String node, boolean afterGap) {
                owner.events.add(afterGap ? "live after a gap" : "live");
            }

            @Override
            public void lost(String node, boolean wasLive) {
                owner.events.add("lost");
            }
        };
        NodeSubscription subscription = new NodeSubscription(vertx, "redis-0:6379", this::connect,
                new NodeSubscription.Settings(CHANNEL, SETTINGS, true), new NotificationSetup(false),
                key -> { }, listener);
        subscription.start();
        await().atMost(Duration.ofSeconds(2)).until(subscription::isLive);
        ScriptedConnection demoted = made.get(0);
        demoted.answers = request -> request.command() == Command.ROLE
                ? Future.succeededFuture(ScriptedConnection.multi("slave", "redis-1", "6379", "connected", "0"))
                : Future.succeededFuture(ScriptedConnection.simple("PONG"));

        await().atMost(Duration.ofSeconds(2)).until(() -> owner.events.contains("live after a gap"));
        assertThat(demoted.closed).isTrue();
        assertThat(made.get(1).count(Command.SUBSCRIBE)).isOne();
    }

    @Test
    void whereRoleIsRefusedTheCheckIsPing() {
        NodeSubscription subscription = new NodeSubscription(vertx, "redis-0:6379", this::connect,
                new NodeSubscription.Settings(CHANNEL, SETTINGS, false), new NotificationSetup(false),
                key -> { }, new NodeSubscription.Listener() {
                    @Override
                    public void subscribed(String node, boolean afterGap) {
                    }

                    @Override
                    public void lost(String node, boolean wasLive) {
                        owner.events.add("lost");
                    }
                });
        subscription.start();
        await().atMost(Duration.ofSeconds(2)).until(subscription::isLive);
        ScriptedConnection resp2 = made.get(0);
        resp2.answers = request -> request.command() == Command.ROLE
                ? Future.failedFuture("ERR Can't execute 'role': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT"
                        + " / RESET are allowed in this context")
                : Future.succeededFuture(ScriptedConnection.simple("PONG"));

        await().atMost(Duration.ofSeconds(2)).until(() -> resp2.count(Command.PING) >= 2);
        assertThat(resp2.count(Command.ROLE)).isOne();
        assertThat(subscription.isLive()).isTrue();
        assertThat(owner.events).isEmpty();
    }

    /** What the link told its owner, in order. */
    private static final class Recorder implements RedisLink.Owner {
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<String> messages = new CopyOnWriteArrayList<>();
        final List<String> replies = new CopyOnWriteArrayList<>();
        final List<Throwable> refusals = new CopyOnWriteArrayList<>();

        @Override
        public void message(Response payload) {
            messages.add(payload.toString());
        }

        @Override
        public void replied(Response reply) {
            replies.add(reply.toString());
        }

        @Override
        public void refused(Throwable error) {
            refusals.add(error);
        }

        @Override
        public void live(boolean afterGap) {
            events.add(afterGap ? "live after a gap" : "live");
        }

        @Override
        public void lost(boolean wasLive, String why) {
            events.add((wasLive ? "lost: " : "attempt failed: ") + why);
        }
    }
}
