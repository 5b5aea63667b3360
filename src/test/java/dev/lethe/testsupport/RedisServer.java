package dev.lethe.testsupport;

/**
 * The name the benchmark (src/bench) still imports.
 *
 * @deprecated use {@link dev.lethe.testsupport.process.RedisServer}; delete this once the benchmark has moved to it
 */
@Deprecated
public final class RedisServer implements AutoCloseable {

    private final dev.lethe.testsupport.process.RedisServer server;

    private RedisServer(dev.lethe.testsupport.process.RedisServer server) {
        this.server = server;
    }

    public static RedisServer launch(String... extraArgs) {
        return new RedisServer(dev.lethe.testsupport.process.RedisServer.launch(extraArgs));
    }

    public String uri() {
        return server.uri();
    }

    @Override
    public void close() {
        server.close();
    }
}
