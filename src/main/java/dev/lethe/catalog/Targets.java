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

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.LetheStatements;
import dev.lethe.sql.Target;
import dev.lethe.store.Database;
import dev.lethe.support.Failures;
import io.quarkus.runtime.configuration.ConfigurationException;
import io.vertx.pgclient.PgException;

/**
 * The configured targets, resolved against the catalog once at startup, before Lethe's own schema is touched.
 * Problems stop the service with one line each, naming the property to fix.
 */
@ApplicationScoped
public class Targets {

    /** How long reading the catalog for one target may take before startup gives up. */
    private static final Duration CATALOG_WAIT = Duration.ofSeconds(30);

    private final LetheConfig config;
    private final TargetResolver resolver;
    private volatile Map<String, Target> byName = Map.of();
    private volatile Map<String, LetheConfig.TargetSweep> sweeps = Map.of();

    public Targets(LetheConfig config, Database database) {
        this.config = config;
        this.resolver = new TargetResolver(database, config.events().stream().isPresent());
    }

    /**
     * Checks every configured target against the catalog (tables, columns, types, guards) and names every problem
     * together; touches nothing. Blocks: call from the startup thread, after PostgreSQL answered.
     */
    public void check() {
        Map<String, Target> resolved = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, LetheConfig.TargetConfig> entry : new TreeMap<>(config.targets()).entrySet()) {
            resolveOne(entry.getKey(), TargetDefinition.of(entry.getValue()), resolved).ifPresent(problems::add);
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Lethe cannot start:\n\t" + String.join("\n\t", problems));
        }
        byName = Map.copyOf(resolved);
        Map<String, LetheConfig.TargetSweep> overrides = new TreeMap<>();
        config.targets().forEach((name, target) -> overrides.put(name, target.sweep()));
        sweeps = Map.copyOf(overrides);
    }

    /**
     * Once Lethe's own schema is in place: adds Lethe's own targets, and prepares every statement once, its own and
     * each target's, so that one the database refuses stops the start instead of failing later.
     */
    public void prepare() {
        Map<String, Target> resolved = new LinkedHashMap<>(byName);
        List<String> problems = new ArrayList<>();
        LetheStatements.all().forEach((name, statement) -> {
            try {
                resolver.prepare(statement).await().atMost(CATALOG_WAIT);
            } catch (PgException refused) {
                problems.add("Lethe's own statement " + name + " does not prepare (" + Failures.describe(refused)
                        + "): its schema lethe may be from another release");
            } catch (RuntimeException failure) {
                throw new ConfigurationException("Lethe cannot start: preparing Lethe's own statement " + name
                        + " failed: " + Failures.describe(failure));
            }
        });
        BuiltInTargets.all().forEach((name, builtIn) -> resolveOne(name, builtIn, resolved).ifPresent(problems::add));
        for (Target target : resolved.values()) {
            try {
                resolver.prepare(target).await().atMost(CATALOG_WAIT);
            } catch (TargetResolver.Problem problem) {
                problems.add(problem.getMessage());
            } catch (RuntimeException failure) {
                throw new ConfigurationException("Lethe cannot start: preparing the statements of lethe.targets."
                        + target.name() + " failed: " + Failures.describe(failure));
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("Lethe cannot start:\n\t" + String.join("\n\t", problems));
        }
        byName = Map.copyOf(resolved);
    }

    /** A target's own sweep settings; none for Lethe's own targets, which follow the global ones. */
    public Optional<LetheConfig.TargetSweep> sweepOverrides(String name) {
        return Optional.ofNullable(sweeps.get(name));
    }

    private Optional<String> resolveOne(String name, TargetDefinition target, Map<String, Target> resolved) {
        try {
            resolved.put(name, resolver.resolve(name, target).await().atMost(CATALOG_WAIT));
            return Optional.empty();
        } catch (TargetResolver.Problem problem) {
            return Optional.of(problem.getMessage());
        } catch (RuntimeException failure) {
            throw new ConfigurationException("Lethe cannot start: reading the catalog for lethe.targets." + name
                    + " failed: " + Failures.describe(failure));
        }
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
