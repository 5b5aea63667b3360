package dev.lethe.demo.embedded;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.eclipse.microprofile.config.spi.ConfigSource;
import org.jboss.logging.Logger;

import io.quarkus.runtime.ExecutionMode;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.PropertiesConfigSource;

/**
 * Gives the demo a PostgreSQL and a Redis where nothing answers at the addresses its configuration names (by default
 * 127.0.0.1:5432 and 127.0.0.1:6379, a 500 ms connect each): starts embedded ones in a temporary folder, says so in
 * one line, and points the demo at them with a configuration source above all others, so that Quarkus connects to
 * them from the start. Registered in META-INF/services as a ConfigSourceFactory, which Quarkus runs while it builds
 * the runtime configuration, before any connection.
 *
 * <p>It acts only in the packaged application at runtime with lethe.demo.enabled (the demo profile): Quarkus also
 * reads the configuration while it builds the application, and dev mode builds it again on every restart, where
 * servers started per build would pile up. To try it while the real servers run, point the demo elsewhere:
 * {@code -Dquarkus.datasource.reactive.url=postgresql://127.0.0.1:<a free port>/lethe_demo} and
 * {@code -Dquarkus.redis.hosts=redis://127.0.0.1:<another>} (EmbeddedDemoIT does).
 */
public class EmbeddedServersConfig implements ConfigSourceFactory {

    /** Above system properties (400): it replaces an address at which nothing answers, wherever it was set. */
    static final int ORDINAL = 500;
    static final String DEMO_ENABLED = "lethe.demo.enabled";
    static final String POSTGRES_URL = "quarkus.datasource.reactive.url";
    static final String POSTGRES_USER = "quarkus.datasource.username";
    static final String REDIS_HOSTS = "quarkus.redis.hosts";

    private static final Logger LOG = Logger.getLogger(EmbeddedServersConfig.class);
    private static final String EMBEDDED_SUPERUSER = "postgres";
    /** Once per JVM: Quarkus may build the runtime configuration more than once. */
    private static Map<String, String> supplied;

    @Override
    public synchronized Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (!runsTheDemo(context)) {
            return List.of();
        }
        if (supplied == null) {
            supplied = startWhereNothingAnswers(context);
        }
        return supplied.isEmpty()
                ? List.of()
                : List.of(new PropertiesConfigSource(supplied, "Lethe demo's embedded servers", ORDINAL));
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }

    private static boolean runsTheDemo(ConfigSourceContext context) {
        return ExecutionMode.current() == ExecutionMode.RUNTIME_INIT && LaunchMode.current() == LaunchMode.NORMAL
                && "true".equals(value(context, DEMO_ENABLED));
    }

    private static Map<String, String> startWhereNothingAnswers(ConfigSourceContext context) {
        Optional<ServerAddress> postgres = ServerAddress.of(value(context, POSTGRES_URL),
                Set.of("postgresql", "postgres"), 5432).filter(address -> !address.answers());
        Optional<ServerAddress> redis = ServerAddress.of(value(context, REDIS_HOSTS), Set.of("redis"), 6379)
                .filter(address -> !address.answers());
        if (postgres.isEmpty() && redis.isEmpty()) {
            return Map.of();
        }
        String silent = (postgres.isPresent() ? "PostgreSQL at " + postgres.get() : "")
                + (postgres.isPresent() && redis.isPresent() ? " nor " : "")
                + (redis.isPresent() ? "Redis at " + redis.get() : "");
        if (System.getProperty("os.name", "").startsWith("Windows")) {
            throw new ConfigurationException("Demo: nothing answers as " + silent + ", and the demo's embedded"
                    + " servers run on Linux and macOS only (on Windows, embedded Redis is 5.0, without PXAT): start"
                    + " PostgreSQL 14+ and Redis 6.2+ there");
        }
        EmbeddedServers servers = null;
        try {
            servers = EmbeddedServers.inTemporaryFolder();
            Map<String, String> properties = new LinkedHashMap<>();
            List<String> started = new ArrayList<>();
            if (postgres.isPresent()) {
                EmbeddedPostgresServer server = servers.startPostgres();
                properties.put(POSTGRES_URL, postgres.get().onLoopbackPort(server.port()));
                properties.put(POSTGRES_USER, EMBEDDED_SUPERUSER);
                started.add(server.name() + " at 127.0.0.1:" + server.port());
            }
            if (redis.isPresent()) {
                EmbeddedRedisServer server = servers.startRedis();
                properties.put(REDIS_HOSTS, redis.get().onLoopbackPort(server.port()));
                started.add(server.name() + " at 127.0.0.1:" + server.port());
            }
            LOG.infof("Demo: nothing answers as %s, so the demo runs on an embedded %s, in %s (removed at exit)",
                    silent, String.join(" and an embedded ", started), servers.folder());
            return Map.copyOf(properties);
        } catch (IOException | RuntimeException e) {
            if (servers != null) {
                servers.stop();
            }
            // Without its cause: Quarkus prints a ConfigurationException at the root as its one line, no trace.
            throw new ConfigurationException("Demo: nothing answers as " + silent + ", and the demo's embedded"
                    + " servers did not start: " + e.getMessage() + "; or start PostgreSQL 14+ and Redis 6.2+ there");
        }
    }

    private static String value(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value == null ? null : value.getValue();
    }
}
