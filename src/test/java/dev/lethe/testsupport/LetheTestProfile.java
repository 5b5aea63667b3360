package dev.lethe.testsupport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.lethe.testsupport.process.LocalProcess;
import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * A test profile with a database of its own (created from a schema script) and a key prefix of its own, so that
 * test classes are isolated from each other even though they share the local servers.
 */
public abstract class LetheTestProfile implements QuarkusTestProfile {

    /** Classpath resources (separated by ",") holding the schema, statements ending with ";" at line ends. */
    protected String schema() {
        return "db/chat.sql";
    }

    /** The lethe.* settings of this profile. */
    protected abstract Map<String, String> config();

    /**
     * Settings under which only the event path deletes, plus the given keys and values: the sweep and the look-ahead
     * would delete the test's rows too and hide a broken event path (the catch-up sweep after a gap still runs).
     */
    protected static Map<String, String> eventPathOnly(String... keysAndValues) {
        Map<String, String> config = new HashMap<>(Map.of("lethe.sweep.every", "1h", "lethe.sweep.lookahead", "0s"));
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    /** Whether the application gets a redis-server of its own that the test may kill ({@link OwnRedis}). */
    protected boolean ownRedis() {
        return false;
    }

    /** Whether the application gets a Redis Cluster of its own ({@link OwnRedisCluster}). */
    protected boolean ownRedisCluster() {
        return false;
    }

    /** Whether the application gets an S3-API server of its own that the test may stop ({@link OwnS3}). */
    protected boolean ownS3() {
        return false;
    }

    /** Extra arguments for the own redis-server. */
    protected List<String> ownRedisArgs() {
        return List.of();
    }

    /** The test class's name (profiles are nested in it), so that each test class gets its own database and keys. */
    public String name() {
        Class<?> named = getClass().getEnclosingClass() != null ? getClass().getEnclosingClass() : getClass();
        return named.getSimpleName().toLowerCase(Locale.ROOT).replace("profile", "");
    }

    public String keyPrefix() {
        return "t-" + name();
    }

    /** Health and metrics are on a port of their own; each profile takes a spare one (client.Management reads it). */
    private final int managementPort = LocalProcess.sparePort();

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> overrides = new HashMap<>();
        overrides.put("quarkus.management.test-port", Integer.toString(managementPort));
        overrides.put("lethe.key-prefix", keyPrefix());
        overrides.putAll(config());
        return overrides;
    }

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>();
        resources.add(new TestResourceEntry(PostgresDatabase.class,
                Map.of("database", "lethe_test_" + name(), "schema", schema())));
        if (ownRedisCluster()) {
            resources.add(new TestResourceEntry(OwnRedisCluster.class));
        }
        if (ownS3()) {
            resources.add(new TestResourceEntry(OwnS3.class));
        }
        if (ownRedis()) {
            resources.add(new TestResourceEntry(OwnRedis.class, Map.of("args", String.join("|", ownRedisArgs()))));
        }
        return resources;
    }

    @Override
    public boolean disableGlobalTestResources() {
        return true;
    }
}
