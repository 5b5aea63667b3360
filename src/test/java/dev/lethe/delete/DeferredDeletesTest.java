package dev.lethe.delete;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.lethe.delete.DeferredDeletes.Scheduled;
import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.Source;
import dev.lethe.sql.TableShape;
import dev.lethe.sql.Target;
import io.vertx.core.Vertx;

/** Rows held until their due time on a real Vert.x timer: in due order, never early, and never more than fit. */
class DeferredDeletesTest {

    private static final Target MESSAGE = target("message");
    private static final Target SESSION = target("session");

    /** A row handed on, when, and how many rows were still held then. */
    private record Fired(Target target, Source source, Object id, long atNanos, int stillHeld) {
    }

    private final Vertx vertx = Vertx.vertx();
    private final List<Fired> fired = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void rowsAreHandedOnInTheOrderTheyFallDueNotTheOrderTheyCame() {
        DeferredDeletes deferred = deferred(10);
        deferred.schedule(MESSAGE, Source.EVENT, "third", millis(300));
        deferred.schedule(MESSAGE, Source.SWEEP, "first", millis(100));
        deferred.schedule(SESSION, Source.EVENT, "second", millis(200));

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 3);
        assertThat(fired).extracting(Fired::id).containsExactly("first", "second", "third");
        assertThat(fired).extracting(Fired::target, Fired::source).as("each with its own target and source")
                .containsExactly(tuple(MESSAGE, Source.SWEEP), tuple(SESSION, Source.EVENT),
                        tuple(MESSAGE, Source.EVENT));
        assertThat(deferred.size()).isZero();
    }

    @Test
    void aRowIsNeverHandedOnBeforeItsDueTime() {
        DeferredDeletes deferred = deferred(10);
        long scheduled = System.nanoTime();
        deferred.schedule(MESSAGE, Source.EVENT, 1L, millis(300));

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
        assertThat(Duration.ofNanos(fired.get(0).atNanos() - scheduled)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void rowsDueWithinOneSlotAreHandedOnTogetherAtItsEnd() {
        DeferredDeletes deferred = deferred(10);
        long now = System.nanoTime();
        long slotStart = Math.floorDiv(now + millis(200), DeferredDeletes.SLOT_NANOS) * DeferredDeletes.SLOT_NANOS;
        deferred.schedule(MESSAGE, Source.SWEEP, "early in the slot", slotStart + millis(1) - now);
        deferred.schedule(MESSAGE, Source.SWEEP, "late in the slot", slotStart + millis(4) - now);

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
        assertThat(fired).extracting(Fired::id).containsExactly("early in the slot", "late in the slot");
        assertThat(fired.get(0).atNanos()).as("not before the slot's end")
                .isGreaterThanOrEqualTo(slotStart + DeferredDeletes.SLOT_NANOS);
        assertThat(fired.get(0).stillHeld()).as("in the same turn: the second left with the first").isZero();
    }

    @Test
    void aRowAlreadyDueIsHandedOnAtOnce() {
        DeferredDeletes deferred = deferred(10);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, 0)).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 2L, -millis(1_000))).isEqualTo(Scheduled.ACCEPTED);

        await().atMost(Duration.ofSeconds(2)).until(() -> fired.size() == 2);
    }

    @Test
    void aRowHeldAlreadyKeepsItsFirstDueTime() {
        DeferredDeletes deferred = deferred(10);
        long scheduled = System.nanoTime();
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, millis(300))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.SWEEP, 1L, 0)).isEqualTo(Scheduled.ALREADY_HELD);
        assertThat(deferred.size()).isOne();

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
        assertThat(fired.get(0).source()).as("the first entry stands").isEqualTo(Source.EVENT);
        assertThat(Duration.ofNanos(fired.get(0).atNanos() - scheduled)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> fired.size() == 1);
    }

    @Test
    void theSameIdInAnotherTargetIsAnotherRow() {
        DeferredDeletes deferred = deferred(10);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 7L, millis(100))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(SESSION, Source.EVENT, 7L, millis(100))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.size()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
    }

    @Test
    void atCapacityARowIsRefusedAndNeverHandedOn() {
        DeferredDeletes deferred = deferred(2);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, millis(100))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 2L, millis(100))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 3L, 0)).as("left to the sweep").isEqualTo(Scheduled.FULL);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, 0)).as("a row held already, even when full")
                .isEqualTo(Scheduled.ALREADY_HELD);
        assertThat(deferred.size()).isEqualTo(2);

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
        assertThat(fired).extracting(Fired::id).containsExactlyInAnyOrder(1L, 2L);
    }

    @Test
    void rowsHandedOnMakeRoomAgain() {
        DeferredDeletes deferred = deferred(1);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, millis(50))).isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 2L, millis(50))).isEqualTo(Scheduled.FULL);

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
        assertThat(deferred.size()).isZero();
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 1L, 0)).as("a row handed on may come again")
                .isEqualTo(Scheduled.ACCEPTED);
        assertThat(deferred.schedule(MESSAGE, Source.EVENT, 2L, 0)).isEqualTo(Scheduled.FULL);
        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 2);
        assertThat(fired).extracting(Fired::id).containsExactly(1L, 1L);
    }

    @Test
    void anEarlierRowArrivingLaterIsNotKeptWaitingForTheLaterOne() {
        DeferredDeletes deferred = deferred(10);
        deferred.schedule(MESSAGE, Source.EVENT, "in an hour", TimeUnit.HOURS.toNanos(1));
        deferred.schedule(MESSAGE, Source.EVENT, "soon", millis(50));

        await().atMost(Duration.ofSeconds(5)).until(() -> fired.size() == 1);
        assertThat(fired.get(0).id()).isEqualTo("soon");
        assertThat(deferred.size()).as("the later one still held").isOne();
    }

    private DeferredDeletes deferred(int capacity) {
        DeferredDeletes[] deferred = new DeferredDeletes[1];
        deferred[0] = new DeferredDeletes(vertx, capacity, (target, source, id) -> fired.add(
                new Fired(target, source, id, System.nanoTime(), deferred[0].size())));
        return deferred[0];
    }

    private static long millis(long millis) {
        return TimeUnit.MILLISECONDS.toNanos(millis);
    }

    /** A target; the ids are held as they come, whatever their type. */
    private static Target target(String name) {
        return Target.of(name, new TableShape(QualifiedName.of("public", name), new Identifier("id"),
                new Identifier("expires_at"), Optional.empty(), Optional.empty(), Optional.empty(), false),
                IdType.TEXT);
    }
}
