package dev.lethe.demo.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Handler;
import java.util.stream.Stream;

import org.jboss.logging.Logger;

import io.quarkus.bootstrap.logging.InitialConfigurator;
import io.quarkus.bootstrap.logging.QuarkusDelayedHandler;
import io.quarkus.runtime.Application;

/**
 * The servers the demo started for itself and the temporary folder they live in. At exit it waits until the
 * application has stopped (Lethe still talks to them while it stops), then stops each and deletes the folder.
 */
final class EmbeddedServers {

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);

    private final Path folder;
    private final List<EmbeddedServer> servers = new ArrayList<>();
    private boolean stopped;

    private EmbeddedServers(Path folder) {
        this.folder = folder;
    }

    /** A new, empty folder for the servers, removed at exit whatever happens next. */
    static EmbeddedServers inTemporaryFolder() throws IOException {
        EmbeddedServers started = new EmbeddedServers(Files.createTempDirectory("lethe-demo-"));
        Runtime.getRuntime().addShutdownHook(new Thread(started::stopAfterApplication, "lethe-demo-servers"));
        return started;
    }

    Path folder() {
        return folder;
    }

    EmbeddedPostgresServer startPostgres() throws IOException {
        return add(EmbeddedPostgresServer.start(folder.resolve("postgres")));
    }

    EmbeddedRedisServer startRedis() throws IOException {
        return add(EmbeddedRedisServer.start(folder.resolve("redis")));
    }

    private synchronized <S extends EmbeddedServer> S add(S server) {
        servers.add(server);
        return server;
    }

    private void stopAfterApplication() {
        Application application = Application.currentApplication();
        if (application != null) {
            try {
                // Stops it, or waits while Quarkus' own shutdown hook does; returns at once if it is stopped.
                application.stop();
            } catch (RuntimeException notStarted) {
                // Never started: nothing talks to the servers.
            }
        }
        keepLogging();
        stop();
    }

    /**
     * Quarkus closes its log handlers when the application stops, and keeps what is logged after that for a next
     * start; the line about the servers comes after, so it goes to the console handler Quarkus itself falls back on.
     */
    private static void keepLogging() {
        QuarkusDelayedHandler handler = InitialConfigurator.DELAYED_HANDLER;
        if (!handler.isActivated()) {
            handler.setHandlers(new Handler[] { InitialConfigurator.createDefaultHandler() });
        }
    }

    /** Stops every server, then deletes the folder; one line says what is left if something resisted. */
    synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        boolean any = !servers.isEmpty();
        List<String> problems = new ArrayList<>();
        for (int i = servers.size() - 1; i >= 0; i--) {
            EmbeddedServer server = servers.get(i);
            try {
                server.close();
            } catch (IOException | RuntimeException e) {
                problems.add(server.name() + ": " + e.getMessage());
            }
        }
        servers.clear();
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            problems.add(e.getMessage());
        }
        if (problems.isEmpty() && any) {
            LOG.infof("Demo: stopped the embedded servers and removed %s", folder);
        } else if (!problems.isEmpty()) {
            LOG.warnf("Demo: removing the embedded servers in %s left something behind: %s", folder,
                    String.join("; ", problems));
        }
    }
}
