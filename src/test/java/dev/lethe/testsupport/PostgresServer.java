package dev.lethe.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, the machine's own binaries) on a spare
 * loopback port, so that a test can restart it without touching the server the other tests use.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path directory;
    private final Path bin;
    private final int port;
    private final List<String> settings;

    private PostgresServer(Path directory, Path bin, int port, List<String> settings) {
        this.directory = directory;
        this.bin = bin;
        this.port = port;
        this.settings = settings;
    }

    /** @param settings server settings, such as "shared_preload_libraries=pg_stat_statements" */
    public static PostgresServer launch(String... settings) {
        try {
            Process config = new ProcessBuilder("pg_config", "--bindir").start();
            Path bin = Path.of(new String(config.getInputStream().readAllBytes()).trim());
            Path directory = Files.createTempDirectory("lethe-postgres-");
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            PostgresServer server = new PostgresServer(directory, bin, port, List.of(settings));
            if (asRoot()) {
                run(List.of("chown", "-R", "postgres", directory.toString()));
            }
            server.pg(List.of(bin.resolve("initdb").toString(), "-D", server.data(), "-A", "trust", "-U",
                    Sql.USER, "--no-sync"));
            server.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return port;
    }

    public String url(String database) {
        return "postgresql://" + Sql.HOST + ":" + port + "/" + database;
    }

    public Sql sql(String database) {
        return new Sql(port, database);
    }

    public void start() {
        List<String> options = new ArrayList<>(List.of("-p", Integer.toString(port), "-k", directory.toString(),
                "-c", "listen_addresses=" + Sql.HOST, "-c", "fsync=off"));
        for (String setting : settings) {
            options.add("-c");
            options.add(setting);
        }
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-l", directory.resolve("log").toString(),
                "-o", String.join(" ", options), "-w", "start"));
    }

    /** Stops the server the fast way: clients are disconnected, sessions and their locks end. */
    public void stop() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "fast", "-w", "stop"));
    }

    @Override
    public void close() {
        pg(List.of(bin.resolve("pg_ctl").toString(), "-D", data(), "-m", "immediate", "-w", "stop"));
        run(List.of("rm", "-rf", directory.toString()));
    }

    private String data() {
        return directory.resolve("data").toString();
    }

    /** Runs a PostgreSQL tool, as the postgres user when the tests run as root (initdb refuses root). */
    private void pg(List<String> command) {
        List<String> full = new ArrayList<>();
        if (asRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        run(full);
    }

    private static boolean asRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
