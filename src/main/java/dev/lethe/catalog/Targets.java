package dev.lethe.catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.Target;
import dev.lethe.store.DatabaseFailures;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The configured targets, resolved against the catalog once at startup. Configuration problems stop the service
 * with one message that names every property to fix; a database that does not answer yet is waited for.
 */
@ApplicationScoped
public class Targets {

    private static final Logger LOG = Logger.getLogger(Targets.class);

    private final LetheConfig config;
    private final TargetResolver resolver;
    private volatile Map<String, Target> byName = Map.of();
    private volatile Map<String, LetheConfig.TargetConfig> configs = Map.of();

    public Targets(LetheConfig config, Pool pool) {
        this.config = config;
        this.resolver = new TargetResolver(pool, config.blobs().bucket().isPresent(),
                config.events().stream().isPresent());
    }

    /** Blocks until every target is resolved; call from the startup thread, never from an event loop. */
    public void resolve() {
        if (config.targets().isEmpty()) {
            throw new ConfigurationException("lethe.targets: no target is configured. Name at least one table, for "
                    + "example lethe.targets.message.table=Message (see the README's configuration reference)");
        }
        Duration wait = config.database().startupWait();
        Map<String, Target> resolved = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        Map<String, LetheConfig.TargetConfig> all = new TreeMap<>(config.targets());
        for (Map.Entry<String, LetheConfig.TargetConfig> builtIn : BuiltInTargets.all().entrySet()) {
            if (all.putIfAbsent(builtIn.getKey(), builtIn.getValue()) != null) {
                problems.add("lethe.targets." + builtIn.getKey() + ": this name belongs to a target Lethe brings"
                        + " itself; choose another");
            }
        }
        for (Map.Entry<String, LetheConfig.TargetConfig> entry : all.entrySet()) {
            Optional<String> problem = resolveOne(entry.getKey(), entry.getValue(), wait, resolved);
            problem.ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Lethe cannot start: " + String.join("; ", problems));
        }
        byName = Map.copyOf(resolved);
        configs = Map.copyOf(all);
    }

    /** The configuration a target was resolved from, built-in targets included. */
    public LetheConfig.TargetConfig config(String name) {
        return configs.get(name);
    }

    private Optional<String> resolveOne(String name, LetheConfig.TargetConfig target, Duration wait,
            Map<String, Target> resolved) {
        try {
            Target done = resolver.resolve(name, target)
                    .onFailure(Targets::isUnreachable)
                    .invoke(failure -> LOG.infof("Waiting for PostgreSQL: %s", DatabaseFailures.describe(failure)))
                    .onFailure(Targets::isUnreachable)
                    .retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(5))
                    .expireIn(wait.toMillis())
                    .await().indefinitely();
            resolved.put(name, done);
            return Optional.empty();
        } catch (TargetResolver.Problem problem) {
            return Optional.of(problem.getMessage());
        } catch (RuntimeException failure) {
            Throwable cause = failure.getCause() != null && !(failure instanceof io.vertx.pgclient.PgException)
                    ? failure.getCause() : failure;
            if (isUnreachable(cause)) {
                throw new ConfigurationException("Lethe cannot start: PostgreSQL (quarkus.datasource.reactive.url) "
                        + "did not answer within " + wait.toSeconds() + "s (lethe.database.startup-wait): "
                        + DatabaseFailures.describe(cause));
            }
            throw new ConfigurationException("Lethe cannot start: reading the catalog for lethe.targets." + name
                    + " failed: " + DatabaseFailures.describe(cause));
        }
    }

    private static boolean isUnreachable(Throwable failure) {
        return !(failure instanceof TargetResolver.Problem) && DatabaseFailures.IS_TRANSIENT.test(failure);
    }

    public Collection<Target> all() {
        return byName.values();
    }

    public Optional<Target> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    public Map<String, Target> byName() {
        return byName;
    }
}
