package dev.lethe.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import dev.lethe.ingest.ExpiredKeySubscriber;

/**
 * Ready only while every expired-key subscription is live; PostgreSQL's and Redis's own readiness checks come
 * from their Quarkus extensions.
 */
@Readiness
@ApplicationScoped
public class SubscriptionHealthCheck implements HealthCheck {

    private final ExpiredKeySubscriber subscriber;

    public SubscriptionHealthCheck(ExpiredKeySubscriber subscriber) {
        this.subscriber = subscriber;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Redis expired-key subscription")
                .status(subscriber.isLive());
        subscriber.nodeStates().forEach((node, live) -> response.withData(node, live ? "subscribed" : "down"));
        return response.build();
    }
}
