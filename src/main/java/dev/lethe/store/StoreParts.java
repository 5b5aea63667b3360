package dev.lethe.store;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.lethe.config.LetheConfig;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/** Builds the database access from configuration; {@link Database} is a plain class so that tests can build one. */
@Singleton
public class StoreParts {

    @Produces
    @Singleton
    Database database(Pool pool, Vertx vertx, LetheConfig config, DatabaseHealth health, PoolSettings settings) {
        // The pool first: whether its connections carry Lethe's settings is what PoolSettings did when it built it.
        io.vertx.sqlclient.Pool built = pool.getDelegate();
        return new Database(built, vertx, config.database().statementTimeout(), config.database().deadlineMargin(),
                health, settings.settingsPerSession());
    }
}
