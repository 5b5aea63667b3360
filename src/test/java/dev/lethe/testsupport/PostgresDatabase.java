package dev.lethe.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import dev.lethe.testsupport.client.Sql;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a test profile its own database on the local PostgreSQL, created from a schema script on the test classpath
 * and dropped afterwards, so that test classes never see each other's rows.
 * Init args: {@code database} (its name) and {@code schema} (classpath resources separated by ",", each holding
 * statements that end with ";" at a line end).
 */
public class PostgresDatabase implements QuarkusTestResourceLifecycleManager {

    private String database;
    private String schema;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.get("database");
        schema = initArgs.get("schema");
    }

    @Override
    public Map<String, String> start() {
        Sql sql = Sql.createDatabase(database);
        if (schema != null) {
            for (String script : schema.split(",")) {
                sql.execute(statements(script.trim()));
            }
        }
        return Map.of("quarkus.datasource.reactive.url",
                "postgresql://" + Sql.HOST + ":" + Sql.PORT + "/" + database,
                "quarkus.datasource.username", Sql.USER);
    }

    @Override
    public void stop() {
        Sql.dropDatabase(database);
    }

    public static String[] statements(String resource) {
        try (InputStream in = PostgresDatabase.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no schema resource " + resource);
            }
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return java.util.Arrays.stream(text.split(";\\s*\\n"))
                    .map(String::trim)
                    .filter(s -> !s.isEmpty() && !s.lines().allMatch(l -> l.isBlank() || l.trim().startsWith("--")))
                    .toArray(String[]::new);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
