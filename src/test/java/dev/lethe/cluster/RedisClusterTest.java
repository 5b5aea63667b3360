package dev.lethe.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.OwnRedisCluster;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import dev.lethe.testsupport.process.RedisCluster;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Redis;

/** Keyspace notifications are node-local: Lethe subscribes on every master and follows failovers. */
@QuarkusTest
@TestProfile(RedisClusterTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected boolean ownRedisCluster() {
            return true;
        }

        @Override
        protected Map<String, String> config() {
            return eventPathOnly(
                    "lethe.targets.message.table", "Message",
                    "lethe.redis.topology-refresh", "1s",
                    "lethe.redis.reconnect-max-backoff", "500ms",
                    "lethe.redis.ping-interval", "500ms");
        }
    }

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    @Test
    @Order(1)
    void keysOfEverySlotAreActedOnThroughASubscriptionPerMaster() {
        RedisCluster cluster = OwnRedisCluster.cluster();
        awaitSubscribed(cluster.masters());
        double deleted = events("deleted");

        List<UUID> ids = insertDue(300);
        publish(ids, Duration.ofMillis(200));

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(remaining(ids)).isZero());
        assertThat(events("deleted") - deleted).as("every row by its own key's event").isEqualTo(300);
    }

    @Test
    @Order(2)
    void failoverToAReplicaLosesNoExpiry() {
        RedisCluster cluster = OwnRedisCluster.cluster();
        List<String> before = cluster.masters();
        awaitSubscribed(before);
        List<UUID> duringFailover = insertDue(300);
        publish(duringFailover, Duration.ofSeconds(2));

        String victim = before.get(0);
        cluster.node(victim).kill();
        cluster.awaitHealthy(Duration.ofSeconds(30));
        List<String> after = cluster.masters();
        assertThat(after).doesNotContain(victim).hasSize(3);
        awaitSubscribed(after);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(Prometheus.scrape().has("lethe_redis_subscribed{node=\"" + victim + "\"}")).isFalse();
            assertThat(remaining(duringFailover)).as("keys that expired during the failover").isZero();
        });

        double deleted = events("deleted");
        List<UUID> afterFailover = insertDue(300);
        publish(afterFailover, Duration.ofMillis(200));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(remaining(afterFailover)).isZero());
        assertThat(events("deleted") - deleted).as("the promoted master's events reach Lethe").isEqualTo(300);

        cluster.node(victim).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.masters().size() == 3);
        assertThat(cluster.masters()).as("the old master came back as a replica").doesNotContain(victim);
    }

    private void awaitSubscribed(List<String> masters) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Prometheus metrics = Prometheus.scrape();
            for (String master : masters) {
                assertThat(metrics.value("lethe_redis_subscribed", "node", master)).as(master).isEqualTo(1);
            }
        });
    }

    /** Sets each key, retrying while its slot has no master yet (during a failover); 30 s for them all. */
    private void publish(List<UUID> ids, Duration ttl) {
        Keys keys = new Keys(redis, prefix);
        Deque<UUID> pending = new ArrayDeque<>(ids);
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                .ignoreException(IllegalStateException.class).until(() -> {
                    while (!pending.isEmpty()) {
                        keys.expireIn("message", pending.peek(), ttl);
                        pending.pop();
                    }
                    return true;
                });
    }

    private static List<UUID> insertDue(int count) {
        return new ChatRows(Sql.ofApplication()).messages(count, "now() AT TIME ZONE 'UTC'");
    }

    private static long remaining(List<UUID> ids) {
        return new ChatRows(Sql.ofApplication()).messagesLeft(ids);
    }

    private static double events(String outcome) {
        return Prometheus.scrape().value("lethe_events_total", "outcome", outcome);
    }
}
