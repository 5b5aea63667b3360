package dev.lethe.store;

import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelOption;
import io.vertx.core.Promise;
import io.vertx.pgclient.PgConnection;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.impl.Connection;
import io.vertx.sqlclient.impl.SocketConnectionBase;
import io.vertx.sqlclient.impl.SqlConnectionInternal;

/**
 * Destroys the socket behind a pooled connection that did not answer in time, at once. Vert.x 4.5 offers no public
 * way to do it, and none of its closes does it while a statement is in flight: closing a pooled connection only
 * gives it back to the pool, which would lend a connection that never answers to the next statement; closing the
 * physical connection ({@code SocketConnectionBase.close}) queues a Terminate message behind the statement; and
 * closing its Netty channel goes through the client's codec, which holds the close until the statement is answered.
 * On a link that drops packets that answer comes with the kernel's next retransmission, 24 to 47 s after a 30 to
 * 60 s partition had healed, and meanwhile the connection keeps its place in the pool. So this reaches under the
 * pooled connection (Vert.x SQL client internals, stable across 4.x) and closes its channel beneath the pipeline,
 * abortively (SO_LINGER 0: nothing left to retransmit): the pool drops the connection as it would one the server
 * closed, and opens a fresh one for the next statement.
 */
final class PooledConnections {

    private PooledConnections() {
    }

    /**
     * A connection that did not answer in time: a cancel request for whatever the server may still be doing, and
     * the connection itself closed, so that the pool opens a fresh one instead of lending this one again.
     */
    static void abandon(SqlConnection connection) {
        if (connection instanceof PgConnection pg) {
            pg.cancelRequest().onFailure(ignored -> {
                // best effort: where the link is down, the cancel cannot get through either
            });
        }
        closePhysically(connection);
    }

    static void closePhysically(SqlConnection connection) {
        if (connection instanceof SqlConnectionInternal internal) {
            Connection physical = internal.unwrap().unwrap();
            if (physical instanceof SocketConnectionBase socket) {
                Channel channel = socket.socket().channelHandlerContext().channel();
                channel.eventLoop().execute(() -> {
                    if (!channel.isOpen()) {
                        return; // closed by the other end meanwhile: the pool has dropped it already
                    }
                    try {
                        channel.config().setOption(ChannelOption.SO_LINGER, 0);
                    } catch (ChannelException e) {
                        // the socket closed between the check and here; closing it again below is harmless
                    }
                    channel.unsafe().close(channel.voidPromise());
                });
            } else {
                physical.close(null, Promise.promise());
            }
        } else {
            connection.close();
        }
    }
}
