package dev.lethe.store;

import io.vertx.core.Promise;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SqlConnectionInternal;

/**
 * Closes the physical connection behind a pooled one. Vert.x 4.5 offers no public way to do it: closing a pooled
 * connection only gives it back to the pool, which would then lend a connection that never answers to the next
 * statement. So this reaches under the pooled connection (Vert.x SQL client internals, stable across 4.x), closes
 * the socket, and the pool drops the connection as it would one the server closed.
 */
final class PooledConnections {

    private PooledConnections() {
    }

    static void closePhysically(SqlConnection connection) {
        if (connection instanceof SqlConnectionInternal internal) {
            Connection pooled = internal.unwrap();
            Connection physical = pooled.unwrap();
            physical.close(null, Promise.promise());
        } else {
            connection.close();
        }
    }
}
