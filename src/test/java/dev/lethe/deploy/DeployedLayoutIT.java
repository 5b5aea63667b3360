package dev.lethe.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.process.DeployedLayout;
import dev.lethe.testsupport.process.LocalProcess;

/**
 * Each image's layout, run as the pod runs it (user 1001, read-only root, the ConfigMap at /work/config read-only,
 * /tmp writable): the service finds its configuration there, and nowhere else, and deletes. The JVM image once
 * worked in /deployments and never read the mounted configuration.
 */
class DeployedLayoutIT {

    private static final String DATABASE = "lethe_it_layout";
    private static Sql sql;

    @BeforeAll
    static void createTable() {
        Assumptions.assumeTrue(DeployedLayout.canRun(), "needs bubblewrap and setpriv, as root");
        sql = Sql.createDatabase(DATABASE);
        sql.execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3))",
                "CREATE INDEX ON \"Message\" (\"expiresAt\")");
    }

    @AfterAll
    static void dropDatabase() {
        if (sql != null) {
            Sql.dropDatabase(DATABASE);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Dockerfile.jvm", "Dockerfile.native-micro"})
    void theImageReadsTheMountedConfigurationAndDeletesAsUser1001OnAReadOnlyRoot(String image) throws IOException {
        int managementPort = LocalProcess.sparePort();
        // Readable by all, as Kubernetes mounts a ConfigMap (0644 files).
        Path config = Files.createTempDirectory("lethe-config-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.writeString(config.resolve("application.properties"), String.join("\n",
                "quarkus.http.port=" + LocalProcess.sparePort(),
                "quarkus.management.port=" + managementPort,
                "quarkus.datasource.reactive.url=postgresql://127.0.0.1:5432/" + DATABASE,
                "quarkus.datasource.username=postgres",
                "quarkus.redis.hosts=redis://127.0.0.1:6379",
                "lethe.key-prefix=it-layout",
                "lethe.targets.message.table=Message",
                ""));
        Files.setPosixFilePermissions(config.resolve("application.properties"),
                PosixFilePermissions.fromString("rw-r--r--"));
        sql.execute("TRUNCATE \"Message\"",
                "INSERT INTO \"Message\" SELECT gen_random_uuid(), now() AT TIME ZONE 'UTC' - interval '1 minute'"
                        + " FROM generate_series(1, 5)",
                "INSERT INTO \"Message\" SELECT gen_random_uuid(), now() AT TIME ZONE 'UTC' + interval '1 hour'"
                        + " FROM generate_series(1, 3)");
        try (DeployedLayout pod = new DeployedLayout(Path.of("src", "main", "docker", image), config,
                managementPort)) {
            pod.start();
            assertThat(pod.uid()).as("the service's user").isEqualTo("1001");
            LocalProcess.awaitUntil(Duration.ofSeconds(20), () -> sql.count("SELECT count(*) FROM \"Message\"") == 3,
                    "the due rows deleted");
            assertThat(pod.readLog()).as("a target named only in /work/config/application.properties")
                    .contains("message=public.Message").doesNotContain("Read-only file system");
        } finally {
            LocalProcess.run(java.util.List.of("rm", "-rf", config.toString()));
        }
    }
}
