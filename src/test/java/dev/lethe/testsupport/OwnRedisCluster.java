package dev.lethe.testsupport;

import java.util.Map;

import dev.lethe.testsupport.process.RedisCluster;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application at a Redis Cluster of its own (three masters, three replicas). */
public class OwnRedisCluster implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisCluster cluster;

    public static RedisCluster cluster() {
        return cluster;
    }

    @Override
    public Map<String, String> start() {
        cluster = RedisCluster.launch(3);
        return Map.of("quarkus.redis.hosts", cluster.hosts(), "quarkus.redis.client-type", "cluster");
    }

    @Override
    public void stop() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
