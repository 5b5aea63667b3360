package dev.lethe.testsupport;

import java.util.Map;

import dev.lethe.testsupport.process.S3Server;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the application's S3 client at an S3-API server of its own (bucket "files"), which the test may stop. */
public class OwnS3 implements QuarkusTestResourceLifecycleManager {

    private static volatile S3Server server;

    public static S3Server server() {
        return server;
    }

    @Override
    public Map<String, String> start() {
        server = S3Server.launch("files");
        return server.config();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
