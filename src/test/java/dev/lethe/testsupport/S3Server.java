package dev.lethe.testsupport;

import java.util.Map;

/**
 * The name the benchmark (src/bench) still imports.
 *
 * @deprecated use {@link dev.lethe.testsupport.process.S3Server}; delete this once the benchmark has moved to it
 */
@Deprecated
public final class S3Server implements AutoCloseable {

    private final dev.lethe.testsupport.process.S3Server server;

    private S3Server(dev.lethe.testsupport.process.S3Server server) {
        this.server = server;
    }

    public static S3Server launch(String bucket) {
        return new S3Server(dev.lethe.testsupport.process.S3Server.launch(bucket));
    }

    public String endpoint() {
        return server.endpoint();
    }

    public String bucket() {
        return server.bucket();
    }

    public Map<String, String> config() {
        return server.config();
    }

    public boolean exists(String key) {
        return server.exists(key);
    }

    @Override
    public void close() {
        server.close();
    }
}
