package dev.lethe.sweep;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.lethe.config.LetheConfig;
import dev.lethe.delete.Deletions;
import dev.lethe.metrics.LetheMetrics;
import io.vertx.mutiny.sqlclient.Pool;

/** Builds the sweep's parts from configuration; they are plain classes so that tests can build them on any pool. */
@Singleton
public class SweepParts {

    @Produces
    @Singleton
    Sweeper sweeper(Pool pool, LetheMetrics metrics, LetheConfig config) {
        return new Sweeper(pool, metrics, config.batch().retryBackoff(), config.batch().retries());
    }

    @Produces
    @Singleton
    Lookahead lookahead(Pool pool, Deletions deletions, LetheMetrics metrics, LetheConfig config) {
        return new Lookahead(pool, deletions, metrics, config.sweep().lookahead(), config.sweep().lookaheadLimit());
    }

    @Produces
    @Singleton
    Backlog backlog(Pool pool, LetheMetrics metrics, LetheConfig config) {
        return new Backlog(pool, metrics, config.sweep().backlogLimit());
    }
}
