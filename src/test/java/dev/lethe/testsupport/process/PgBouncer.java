package dev.lethe.testsupport.process;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Debian's PgBouncer in front of a PostgreSQL, with its stock settings but those a test names: no
 * ignore_startup_parameters, so whatever Lethe sends at startup must be something PgBouncer accepts.
 */
public final class PgBouncer extends LocalProcess {

    /** PgBouncer's pool_mode. */
    public enum Mode {
        SESSION, TRANSACTION;

        String setting() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final int port = sparePort();
    private final int postgresPort;
    private final Mode mode;
    private final Map<String, String> settings;

    private PgBouncer(int postgresPort, Mode mode, Map<String, String> settings) {
        super("pgbouncer");
        this.postgresPort = postgresPort;
        this.mode = mode;
        this.settings = settings;
    }

    /**
     * @param settings more pgbouncer.ini settings, such as default_pool_size or max_client_conn
     */
    public static PgBouncer launch(int postgresPort, Mode mode, Map<String, String> settings) {
        PgBouncer bouncer = new PgBouncer(postgresPort, mode, settings);
        bouncer.configure();
        bouncer.start();
        return bouncer;
    }

    public int port() {
        return port;
    }

    public Mode mode() {
        return mode;
    }

    /** quarkus.datasource.reactive.url of a database through this pooler. */
    public String url(String database) {
        return "postgresql://127.0.0.1:" + port + "/" + database;
    }

    private void configure() {
        String extra = settings.entrySet().stream().map(e -> e.getKey() + " = " + e.getValue())
                .collect(Collectors.joining("\n"));
        try {
            Files.writeString(directory.resolve("userlist.txt"), "\"postgres\" \"\"\n");
            Files.writeString(directory.resolve("pgbouncer.ini"), """
                    [databases]
                    * = host=127.0.0.1 port=%d

                    [pgbouncer]
                    listen_addr = 127.0.0.1
                    listen_port = %d
                    unix_socket_dir =
                    auth_type = trust
                    auth_file = %s
                    pool_mode = %s
                    logfile = %s
                    pidfile = %s
                    %s
                    """.formatted(postgresPort, port, directory.resolve("userlist.txt"), mode.setting(),
                    directory.resolve("pgbouncer.log"), directory.resolve("pgbouncer.pid"), extra));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        shareWithPostgres(directory);
    }

    @Override
    protected List<String> command() {
        // Debian installs it in /usr/sbin, which a user's PATH may lack. It refuses to run as root; -u drops to the
        // postgres user.
        String executable = java.nio.file.Files.isExecutable(java.nio.file.Path.of("/usr/sbin/pgbouncer"))
                ? "/usr/sbin/pgbouncer" : "pgbouncer";
        return "root".equals(System.getProperty("user.name"))
                ? List.of(executable, "-u", "postgres", directory.resolve("pgbouncer.ini").toString())
                : List.of(executable, directory.resolve("pgbouncer.ini").toString());
    }

    @Override
    protected boolean answers() {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String readLog() {
        try {
            return super.readLog() + Files.readString(directory.resolve("pgbouncer.log"));
        } catch (IOException e) {
            return super.readLog();
        }
    }
}
