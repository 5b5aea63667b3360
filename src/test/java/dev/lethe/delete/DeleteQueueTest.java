package dev.lethe.delete;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.lethe.metrics.LetheMetrics;
import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.Source;
import dev.lethe.sql.TableShape;
import dev.lethe.sql.Target;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * How ids become batches, without a database: the sender records each batch it is handed and answers when the test
 * lets it, so that batch sizes, the linger, the in-flight limit and the buffer's bound can be watched.
 */
class DeleteQueueTest {

    private static final Target MESSAGE = Target.of("message", new TableShape(QualifiedName.of("public", "message"),
            new Identifier("id"), new Identifier("expires_at"), Optional.empty(), Optional.empty(), Optional.empty(),
            false), IdType.TEXT);

    private final Vertx vertx = Vertx.vertx();
    private final List<List<Object>> sent = new CopyOnWriteArrayList<>();
    private final AtomicBoolean answering = new AtomicBoolean(true);
    private final List<Runnable> unanswered = new CopyOnWriteArrayList<>();

    private final BatchSender sender = (target, source, ids) -> Uni.createFrom().emitter(emitter -> {
        sent.add(Arrays.asList(ids));
        Runnable answer = () -> emitter.complete(BatchReport.allDeleted(ids));
        if (answering.get()) {
            answer.run();
        } else {
            unanswered.add(answer);
        }
    });

    @AfterEach
    void closeVertx() {
        vertx.close();
    }

    private DeleteQueue queue(int size, Duration linger, int capacity, int maxInFlight) {
        return queue(Source.EVENT, new DeleteQueue.Limits(size, linger, new WaitingIds(capacity), maxInFlight));
    }

    private DeleteQueue queue(Source source, DeleteQueue.Limits limits) {
        LetheMetrics metrics = new LetheMetrics(new SimpleMeterRegistry());
        Accounting accounting = new Accounting(new DeferredDeletes(vertx, 100, (target, from, id) -> { }),
                new RecentlyDeleted(100), metrics);
        return new DeleteQueue(MESSAGE, source, sender, vertx, limits, accounting);
    }

    @Test
    void aFullBatchLeavesAtOnceWithExactlyTheBatchSize() {
        DeleteQueue queue = queue(3, Duration.ofHours(1), 100, 2);
        IntStream.range(0, 7).forEach(i -> queue.offer("id-" + i));

        assertThat(sent).containsExactly(List.of("id-0", "id-1", "id-2"), List.of("id-3", "id-4", "id-5"));
        assertThat(queue.pending()).as("the seventh waits for the linger").isOne();
    }

    @Test
    void aPartialBatchLeavesWhenItsFirstIdHasLingered() {
        DeleteQueue queue = queue(1000, Duration.ofMillis(50), 100, 2);
        long start = System.nanoTime();
        queue.offer("a");
        queue.offer("b");

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(45));
        assertThat(sent.get(0)).containsExactly("a", "b");
    }

    @Test
    void aBatchOfOneIsABatchToo() {
        DeleteQueue queue = queue(1, Duration.ofHours(1), 100, 2);
        queue.offer("only");
        assertThat(sent).containsExactly(List.of("only"));
    }

    @Test
    void rowsDueNowLeaveTogetherWithoutWaitingForTheLinger() {
        DeleteQueue queue = queue(1000, Duration.ofHours(1), 100, 2);
        vertx.runOnContext(ignored -> IntStream.range(0, 5).forEach(i -> queue.offerDue("due-" + i)));

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 1);
        assertThat(sent.get(0)).containsExactly("due-0", "due-1", "due-2", "due-3", "due-4");
    }

    @Test
    void noMoreBatchesInFlightThanAllowedAndTheRestFollowAsAnswersCome() {
        answering.set(false);
        DeleteQueue queue = queue(2, Duration.ofHours(1), 100, 2);
        IntStream.range(0, 8).forEach(i -> queue.offer("id-" + i));
        assertThat(sent).hasSize(2);
        assertThat(queue.pending()).isEqualTo(8);

        answering.set(true);
        unanswered.forEach(Runnable::run);

        await().atMost(Duration.ofSeconds(5)).until(() -> sent.size() == 4);
        assertThat(sent.stream().flatMap(List::stream)).containsExactly("id-0", "id-1", "id-2", "id-3", "id-4",
                "id-5", "id-6", "id-7");
    }

    @Test
    void aFullBufferRefusesTheOfferInsteadOfGrowing() {
        answering.set(false);
        DeleteQueue queue = queue(2, Duration.ofHours(1), 3, 1);
        assertThat(queue.offer("a")).isTrue();
        assertThat(queue.offer("b")).isTrue();
        assertThat(sent).hasSize(1);
        assertThat(queue.offer("c")).isTrue();
        assertThat(queue.offer("d")).isTrue();
        assertThat(queue.offer("e")).isTrue();
        assertThat(queue.offer("f")).as("three ids wait while one batch is in flight").isFalse();
        assertThat(queue.offerDue("g")).isFalse();
    }

    @Test
    void everyQueueSharesOneCapacity() {
        DeleteQueue.Limits limits = new DeleteQueue.Limits(10, Duration.ofHours(1), new WaitingIds(3), 1);
        DeleteQueue events = queue(Source.EVENT, limits);
        DeleteQueue lookahead = queue(Source.SWEEP, limits);
        assertThat(events.offer("a")).isTrue();
        assertThat(events.offer("b")).isTrue();
        assertThat(lookahead.offer("c")).isTrue();
        assertThat(lookahead.offer("d")).as("three ids wait, in two queues").isFalse();
        assertThat(events.offer("e")).isFalse();

        events.drain(() -> { });
        await().atMost(Duration.ofSeconds(5)).until(() -> events.pending() == 0);
        assertThat(lookahead.offer("f")).as("places come back as batches leave").isTrue();
    }

    @Test
    void drainSendsWhatWaitsAndSaysWhenNothingIsLeft() {
        DeleteQueue queue = queue(1000, Duration.ofHours(1), 100, 2);
        queue.offer("a");
        AtomicBoolean idle = new AtomicBoolean();
        queue.drain(() -> idle.set(true));

        await().atMost(Duration.ofSeconds(5)).untilTrue(idle);
        assertThat(sent).containsExactly(List.of("a"));
        assertThat(queue.pending()).isZero();
    }
}
