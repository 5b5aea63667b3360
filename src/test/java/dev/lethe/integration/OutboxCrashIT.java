package dev.lethe.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.PostgresDatabase;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.VoiceNotes;
import dev.lethe.testsupport.process.S3Server;
import dev.lethe.testsupport.process.ServiceProcess;

/**
 * kill -9 between a row's deletion and the deletion of its file: the key waits in the outbox, in the same database
 * as the deletion that wrote it, and the next start deletes the file.
 */
class OutboxCrashIT {

    private static final String DATABASE = "lethe_it_outbox_crash";
    private static final int NOTES = 500;

    private static Sql sql;
    private static S3Server s3;

    @BeforeAll
    static void createEverything() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute(PostgresDatabase.statements("db/files.sql"));
        s3 = S3Server.launch("files");
    }

    @AfterAll
    static void dropEverything() {
        if (s3 != null) {
            s3.close();
        }
        Sql.dropDatabase(DATABASE);
    }

    @Test
    void keysOfRowsDeletedBeforeAKillAreDeletedAfterTheRestart() {
        List<Long> notes = new VoiceNotes(sql).notesWithAFileEach(NOTES, "now() - interval '1 second'");
        notes.forEach(id -> s3.put("voice/" + id, "sealed box"));
        s3.stop();

        try (ServiceProcess first = ServiceProcess.start(settings())) {
            first.awaitStarted(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(sql.count("SELECT count(*) FROM voice_notes")).as("rows deleted").isZero();
                assertThat(outbox()).as("keys in the outbox").isEqualTo(NOTES);
            });
            first.kill();
        }
        assertThat(outbox()).as("keys left by the killed instance").isEqualTo(NOTES);

        s3.start();
        long restarted = System.nanoTime();
        try (ServiceProcess second = ServiceProcess.start(settings())) {
            second.awaitStarted(Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(outbox()).isZero());
            double seconds = (System.nanoTime() - restarted) / 1e9;
            assertThat(notes).as("files of the rows deleted before the kill").noneMatch(id -> s3.exists("voice/" + id));
            System.out.printf("Outbox after kill -9: %d keys deleted from the bucket %.1f s after the restart began"
                    + " (the killed instance's claims wait out their lease)%n", NOTES, seconds);
        }
    }

    private static Map<String, String> settings() {
        Map<String, String> settings = new HashMap<>(s3.config());
        settings.put("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/" + DATABASE);
        settings.put("lethe.key-prefix", "it-outbox-crash");
        settings.putAll(VoiceNotes.target());
        settings.put("lethe.sweep.every", "1s");
        settings.put("lethe.outbox.every", "100ms");
        // A short lease, so that the killed instance's claims come back quickly, and a call timeout inside it.
        settings.put("lethe.outbox.lease", "2s");
        settings.put("quarkus.s3.api-call-timeout", "1s");
        settings.put("lethe.outbox.retry-min-backoff", "100ms");
        settings.put("lethe.outbox.retry-max-backoff", "500ms");
        return settings;
    }

    private static long outbox() {
        return sql.count("SELECT count(*) FROM lethe.outbox WHERE kind = 'blob'");
    }
}
