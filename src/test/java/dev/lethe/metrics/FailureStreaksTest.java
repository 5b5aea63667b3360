package dev.lethe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * A streak of failures of one kind of statement ends with the next success of that kind, for every kind: a streak that
 * nothing ends would fire LetheTargetStuck on a healthy target (the inspect statement's once did).
 */
class FailureStreaksTest {

    private final LetheMetrics metrics = new LetheMetrics(new SimpleMeterRegistry());

    @Test
    void everyKindOfStatementEndsItsOwnStreak() throws InterruptedException {
        metrics.registerTarget("message");
        for (Operation operation : Operation.values()) {
            run(operation, Uni.createFrom().failure(new IllegalStateException("57014 statement timeout")));
            Thread.sleep(5);
            assertThat(metrics.failingSeconds("message")).as(operation.label()).isGreaterThan(0);
            assertThat(metrics.lastError("message")).as(operation.label()).get().asString()
                    .startsWith(operation.label() + ": ");

            run(operation, Uni.createFrom().item("answered"));
            assertThat(metrics.failingSeconds("message")).as(operation.label()).isZero();
            assertThat(metrics.lastError("message")).as(operation.label()).isEmpty();
        }
    }

    private void run(Operation operation, Uni<String> statement) {
        metrics.tracked("message", operation, statement).onFailure().recoverWithNull().await().indefinitely();
    }
}
