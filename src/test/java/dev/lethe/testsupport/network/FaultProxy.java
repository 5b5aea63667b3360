package dev.lethe.testsupport.network;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;

/**
 * A TCP proxy between a service and a server, that a test can make misbehave the way networks do:
 * <ul>
 * <li>{@link #blackhole()}: nothing gets through any more, in either direction, and nothing is refused either:
 * bytes wait unread and new connections are accepted but never reach the server, as when a link drops packets
 * (TCP delivers what waited once the link is back);</li>
 * <li>{@link #reset()}: every connection is closed at once, as a restarted router would;</li>
 * <li>{@link #delay(Duration)}: every chunk waits before it is passed on;</li>
 * <li>{@link #forward()}: back to normal.</li>
 * </ul>
 */
public final class FaultProxy implements AutoCloseable {

    private final Vertx vertx = Vertx.vertx();
    private final String host;
    private final int targetPort;
    private final NetClient client;
    private final NetServer server;
    private final Set<Pair> pairs = ConcurrentHashMap.newKeySet();
    private final List<NetSocket> waiting = new CopyOnWriteArrayList<>();
    private volatile boolean blackholed;
    private volatile long delayMillis;

    /** One client connection and its connection to the server. */
    private record Pair(NetSocket client, NetSocket upstream) {
        void close() {
            client.close();
            upstream.close();
        }
    }

    private FaultProxy(String host, int targetPort) {
        this.host = host;
        this.targetPort = targetPort;
        this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(5000));
        this.server = vertx.createNetServer();
        server.connectHandler(this::accepted);
        try {
            server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the proxy cannot listen: " + e.getMessage(), e);
        }
    }

    /** A proxy to host:port, forwarding. */
    public static FaultProxy to(String host, int port) {
        return new FaultProxy(host, port);
    }

    /** The port to point the service at. */
    public int port() {
        return server.actualPort();
    }

    public synchronized void blackhole() {
        blackholed = true;
        pairs.forEach(pair -> {
            pair.client().pause();
            pair.upstream().pause();
        });
    }

    public synchronized void forward() {
        blackholed = false;
        delayMillis = 0;
        pairs.forEach(pair -> {
            pair.client().resume();
            pair.upstream().resume();
        });
        List<NetSocket> held = List.copyOf(waiting);
        waiting.clear();
        held.forEach(this::connectUpstream);
    }

    public synchronized void reset() {
        pairs.forEach(Pair::close);
        pairs.clear();
        waiting.forEach(NetSocket::close);
        waiting.clear();
    }

    public void delay(Duration delay) {
        delayMillis = delay.toMillis();
    }

    private synchronized void accepted(NetSocket socket) {
        socket.pause();
        if (blackholed) {
            waiting.add(socket);
            socket.closeHandler(closed -> waiting.remove(socket));
        } else {
            connectUpstream(socket);
        }
    }

    private void connectUpstream(NetSocket socket) {
        client.connect(targetPort, host).onComplete(result -> {
            if (result.failed()) {
                socket.close();
                return;
            }
            NetSocket upstream = result.result();
            Pair pair = new Pair(socket, upstream);
            synchronized (this) {
                pairs.add(pair);
                socket.handler(data -> pass(data, upstream));
                upstream.handler(data -> pass(data, socket));
                socket.closeHandler(closed -> {
                    pairs.remove(pair);
                    upstream.close();
                });
                upstream.closeHandler(closed -> {
                    pairs.remove(pair);
                    socket.close();
                });
                if (blackholed) {
                    upstream.pause();
                } else {
                    socket.resume();
                }
            }
        });
    }

    private void pass(Buffer data, NetSocket to) {
        long delay = delayMillis;
        if (delay > 0) {
            vertx.setTimer(delay, id -> to.write(data));
        } else {
            to.write(data);
        }
    }

    @Override
    public void close() {
        reset();
        server.close();
        vertx.close();
    }
}
