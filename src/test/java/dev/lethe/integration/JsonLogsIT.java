package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * In production the packaged service logs one JSON object per line, for a log collector, each Lethe line's one-line
 * text as its {@code message}.
 */
class JsonLogsIT {

    private static final String DATABASE = "lethe_it_json_logs";

    @Test
    void productionLogsAreJsonLinesWithLethesOneLineMessages() throws Exception {
        Sql.createDatabase(DATABASE).execute("CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY,"
                + " \"expiresAt\" timestamp(3))", "CREATE INDEX ON \"Message\" (\"expiresAt\")");
        try (ServiceProcess service = ServiceProcess.start(Map.of(
                "quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE,
                "lethe.targets.message.table", "Message",
                "lethe.key-prefix", "it-json-logs",
                "quarkus.log.console.json.enabled", "true"))) {
            service.awaitStarted(Duration.ofSeconds(60));
            List<JsonNode> records = new ArrayList<>();
            ObjectMapper json = new ObjectMapper();
            for (String line : service.output().split("\n")) {
                if (!line.isBlank()) {
                    records.add(json.readTree(line));
                }
            }
            assertThat(records).as("every line a JSON object with a message").isNotEmpty()
                    .allSatisfy(record -> assertThat(record.path("message").isTextual()).as(record.toString()).isTrue());
            assertThat(records).extracting(record -> record.path("message").asText())
                    .anySatisfy(message -> assertThat(message).startsWith("Lethe 0.2.0: 2 target(s)"))
                    .allSatisfy(message -> assertThat(message).doesNotContain("\n"));
        } finally {
            Sql.dropDatabase(DATABASE);
        }
    }
}
