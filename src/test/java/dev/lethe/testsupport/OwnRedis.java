package dev.lethe.testsupport;

import java.util.Map;

import dev.lethe.testsupport.process.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application at a redis-server of its own, which the test may kill and restart. */
public class OwnRedis implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;
    private String[] args = new String[0];

    /** The server of the running test profile. */
    public static RedisServer server() {
        return server;
    }

    /** Init arg {@code args}: extra redis-server arguments, separated by "|". */
    @Override
    public void init(Map<String, String> initArgs) {
        String joined = initArgs.get("args");
        if (joined != null && !joined.isEmpty()) {
            args = joined.split("\\|", -1);
        }
    }

    @Override
    public Map<String, String> start() {
        server = RedisServer.launch(args);
        return Map.of("quarkus.redis.hosts", server.uri());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
