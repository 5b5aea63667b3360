package dev.lethe.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;

class DeadlinesTest {

    private final Vertx vertx = Vertx.vertx();
    private final Deadlines deadlines = new Deadlines(vertx);

    @AfterEach
    void closeVertx() {
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    /** Watched things with a fixed deadline, counting their expiries. */
    private record Statement(long deadlineNanos, AtomicInteger expiries) implements Deadlines.Watched {
        Statement(long deadlineNanos) {
            this(deadlineNanos, new AtomicInteger());
        }

        @Override
        public void expired() {
            expiries.incrementAndGet();
        }
    }

    @Test
    void aStatementPastItsDeadlineExpiresOnceAndOneBeforeItDoesNot() {
        long now = System.nanoTime();
        Statement late = new Statement(now - 1);
        Statement onTime = new Statement(now + 1_000_000_000L);
        deadlines.watch(late);
        deadlines.watch(onTime);

        deadlines.check(now);
        deadlines.check(now);

        assertThat(late.expiries()).hasValue(1);
        assertThat(onTime.expiries()).hasValue(0);
    }

    @Test
    void aStatementOverBeforeItsDeadlineNeverExpires() {
        long now = System.nanoTime();
        Statement answered = new Statement(now + 1_000_000L);
        deadlines.watch(answered);
        deadlines.over(answered);

        deadlines.check(now + 2_000_000L);

        assertThat(answered.expiries()).hasValue(0);
    }
}
