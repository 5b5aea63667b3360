package dev.lethe.testsupport.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.lethe.testsupport.client.Sql;

/**
 * A PostgreSQL server of the test's own (initdb into a temporary directory, the machine's own binaries) on a spare
 * loopback port, so that a test can restart it without touching the server the other tests use. Built from the
 * parts of {@link LocalProcess} rather than on it: pg_ctl runs the server in the background, because as root the
 * server would run under runuser, and a SIGKILL or SIGSTOP of runuser never reaches it.
 */
public final class PostgresServer implements AutoCloseable {

    private final Path directory = LocalProcess.temporaryFolder("postgres");
    private final int port = LocalProcess.sparePort();
    private final Path bin;
    private final List<String> settings;

    private PostgresServer(Path bin, List<String> settings) {
        this.bin = bin;
        this.settings = settings;
    }

    /** @param settings server settings, such as "shared_preload_libraries=pg_stat_statements" */
    public static PostgresServer launch(String... settings) {
        Path bin = Path.of(LocalProcess.run(List.of("pg_config", "--bindir")).trim());
        PostgresServer server = new PostgresServer(bin, List.of(settings));
        LocalProcess.shareWithPostgres(server.directory);
        server.pg("initdb", "-D", server.data(), "-A", "trust", "-U", Sql.USER, "--no-sync");
        server.start();
        return server;
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
        pg("pg_ctl", "-D", data(), "-l", directory.resolve("postgres.log").toString(),
                "-o", String.join(" ", options), "-w", "start");
    }

    /** Stops the server the fast way: clients are disconnected, sessions and their locks end. */
    public void stop() {
        pg("pg_ctl", "-D", data(), "-m", "fast", "-w", "stop");
    }

    @Override
    public void close() {
        pg("pg_ctl", "-D", data(), "-m", "immediate", "-w", "stop");
        LocalProcess.run(List.of("rm", "-rf", directory.toString()));
    }

    private String data() {
        return directory.resolve("data").toString();
    }

    /** Runs one of PostgreSQL's tools, as the postgres user when the tests run as root (initdb refuses root). */
    private void pg(String tool, String... args) {
        List<String> command = new ArrayList<>(List.of(bin.resolve(tool).toString()));
        command.addAll(List.of(args));
        LocalProcess.run(LocalProcess.asPostgres(command));
    }
}
