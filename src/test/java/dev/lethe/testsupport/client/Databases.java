package dev.lethe.testsupport.client;

import java.time.Duration;

import dev.lethe.store.Database;
import dev.lethe.store.DatabaseHealth;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Lethe's database access on a pool of a test's own, with the default statement timeout and margin, its settings made
 * in each statement's own transaction.
 */
public final class Databases {

    private Databases() {
    }

    public static Database on(Pool pool, Vertx vertx) {
        return new Database(pool.getDelegate(), vertx.getDelegate(), Duration.ofSeconds(5), Duration.ofSeconds(2),
                new DatabaseHealth(), false);
    }
}
