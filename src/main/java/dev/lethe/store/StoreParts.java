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
    Database database(Pool pool, Vertx vertx, LetheConfig config, DatabaseHealth health) {
        // PoolSettings makes the settings once per connection where the server session stays Lethe's.
        return new Database(pool.getDelegate(), vertx, config.database().statementTimeout(),
                config.database().deadlineMargin(), health, config.database().pooler().keepsPreparedStatements());
    }
}
