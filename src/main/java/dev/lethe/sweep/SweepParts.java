package dev.lethe.sweep;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.lethe.config.LetheConfig;
import dev.lethe.delete.Deletions;
import dev.lethe.metrics.LetheMetrics;
import dev.lethe.store.Database;

/** Builds the sweep's parts from configuration; they are plain classes so that tests can build them on any pool. */
@Singleton
public class SweepParts {

    @Produces
    @Singleton
    Sweeper sweeper(Database database, LetheMetrics metrics, LetheConfig config) {
        return new Sweeper(database, metrics, config.batch().retryBackoff(), config.batch().retries());
    }

    @Produces
    @Singleton
    Lookahead lookahead(Database database, Deletions deletions, LetheMetrics metrics, LetheConfig config) {
        return new Lookahead(database, deletions, metrics, config.sweep().lookahead(), config.sweep().lookaheadLimit());
    }

    @Produces
    @Singleton
    Backlog backlog(Database database, LetheMetrics metrics, LetheConfig config) {
        return new Backlog(database, metrics, config.sweep().backlogLimit());
    }
}
