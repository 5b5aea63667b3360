package dev.lethe.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lethe.ingest.ExpiredKeySubscriber;
import dev.lethe.store.DatabaseHealth;

/**
 * Ready while this instance deletes on time: PostgreSQL answers its statements and every expired-key subscription
 * is live. It reads what the running parts already know and asks no server, so it answers at once even while
 * PostgreSQL or Redis does not; and it turns UP again by itself once statements are answered and the subscriptions
 * are back. (Quarkus' own datasource and Redis checks are off: they ask the server, and hang with it.)
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    private final ExpiredKeySubscriber subscriber;
    private final DatabaseHealth database;

    public ReadinessCheck(ExpiredKeySubscriber subscriber, DatabaseHealth database) {
        this.subscriber = subscriber;
        this.database = database;
    }

    @Override
    public HealthCheckResponse call() {
        boolean postgres = database.answering();
        boolean redis = subscriber.isLive();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Lethe deletes on time")
                .status(postgres && redis)
                .withData("postgresql", postgres ? "answering" : "not answering for "
                        + database.sinceLastAnswerNanos() / 1_000_000 + " ms");
        database.problem().ifPresent(problem -> response.down().withData("postgresql", problem));
        subscriber.nodeStates().forEach((node, live) -> response.withData("redis " + node,
                live ? "subscribed" : "down"));
        return response.build();
    }
}
