package dev.lethe.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

class DatabaseFailuresTest {

    private static final Duration BACKOFF = Duration.ofMillis(1);

    @Test
    void aTransientFailureIsRetriedUntilTheStatementSucceeds() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> statement = Uni.createFrom().deferred(() -> attempts.incrementAndGet() < 3
                ? Uni.createFrom().failure(new PgException("terminating connection", "FATAL", "57P01", null))
                : Uni.createFrom().item("done"));

        assertThat(DatabaseFailures.retryTransient(statement, BACKOFF, 5).await().atMost(Duration.ofSeconds(5)))
                .isEqualTo("done");
        assertThat(attempts).hasValue(3);
    }

    @Test
    void retriesStopAtTheirNumberWithTheLastFailure() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> statement = Uni.createFrom().deferred(() -> Uni.createFrom().failure(
                new PgException("attempt " + attempts.incrementAndGet(), "ERROR", "40001", null)));

        assertThatThrownBy(() -> DatabaseFailures.retryTransient(statement, BACKOFF, 3).await()
                .atMost(Duration.ofSeconds(5))).hasMessageContaining("attempt 4");
        assertThat(attempts).hasValue(4);
    }

    @Test
    void aFailureThatIsNotTransientIsNotRetried() {
        AtomicInteger attempts = new AtomicInteger();
        Uni<String> statement = Uni.createFrom().deferred(() -> {
            attempts.incrementAndGet();
            return Uni.createFrom().failure(new PgException("permission denied", "ERROR", "42501", null));
        });

        assertThatThrownBy(() -> DatabaseFailures.retryTransient(statement, BACKOFF, 3).await()
                .atMost(Duration.ofSeconds(5))).hasMessageContaining("permission denied");
        assertThat(attempts).hasValue(1);
    }
}
