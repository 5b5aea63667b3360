package dev.lethe.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.lethe.testsupport.LetheTestProfile;
import dev.lethe.testsupport.OwnS3;
import dev.lethe.testsupport.client.Keys;
import dev.lethe.testsupport.client.Prometheus;
import dev.lethe.testsupport.client.Sql;
import dev.lethe.testsupport.fixture.ChatRows;
import dev.lethe.testsupport.fixture.VoiceNotes;
import dev.lethe.testsupport.process.S3Server;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

/** Files go with their rows through the outbox, and every deletion is announced on the stream once. */
@QuarkusTest
@TestProfile(AttachmentDeletionTest.Profile.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachmentDeletionTest {

    public static class Profile extends LetheTestProfile {
        @Override
        protected String schema() {
            return "db/files.sql";
        }

        @Override
        protected boolean ownS3() {
            return true;
        }

        @Override
        protected Map<String, String> config() {
            Map<String, String> config = new HashMap<>();
            config.put("lethe.targets.message.table", "Message");
            config.put("lethe.targets.message.guard", "NOT \"legalHold\"");
            config.put("lethe.targets.message.blob-key-column", "attachmentKey");
            config.put("lethe.targets.message.blobs.table", "Attachment");
            config.put("lethe.targets.message.blobs.parent-column", "messageId");
            config.put("lethe.targets.message.blobs.key-column", "objectKey");
            config.putAll(VoiceNotes.target());
            config.put("lethe.events.stream", keyPrefix() + ":deleted");
            config.put("lethe.sweep.every", "1s");
            config.put("lethe.sweep.backlog-every", "1s");
            config.put("lethe.outbox.every", "100ms");
            config.put("lethe.outbox.retry-min-backoff", "200ms");
            config.put("lethe.outbox.retry-max-backoff", "1s");
            return config;
        }
    }

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @Inject
    Redis redis;

    @ConfigProperty(name = "lethe.key-prefix")
    String prefix;

    @ConfigProperty(name = "lethe.events.stream")
    String stream;

    private final Sql sql = Sql.ofApplication();
    private final ChatRows rows = new ChatRows(sql);
    private final VoiceNotes voiceNotes = new VoiceNotes(sql);

    @Test
    @Order(1)
    void filesOfDeletedRowsLeaveTheBucketAndFilesOfKeptRowsStay() {
        S3Server s3 = OwnS3.server();
        // The files are there before their rows, as a chat backend uploads them: the sweep may take a due row at once.
        List<String> gone = List.of("inline/by-event", "child/by-event-1", "child/by-event-2", "child/by-sweep",
                "voice/due-1", "voice/due-2");
        List<String> kept = List.of("inline/not-due", "child/not-due", "inline/on-hold");
        gone.forEach(key -> s3.put(key, "sealed box"));
        kept.forEach(key -> s3.put(key, "sealed box"));
        double deletedBefore = Prometheus.scrape().value("lethe_blobs_deleted_total");
        UUID byEvent = rows.messageWithFiles("now() AT TIME ZONE 'UTC' + interval '200 milliseconds'", false,
                "inline/by-event", "child/by-event-1", "child/by-event-2");
        UUID bySweep = rows.messageWithFiles("now() AT TIME ZONE 'UTC' - interval '1 minute'", false, null,
                "child/by-sweep");
        long note = voiceNotes.note("now() - interval '1 minute'", "voice/due-1", "voice/due-2");
        UUID notDue = rows.messageWithFiles("now() AT TIME ZONE 'UTC' + interval '1 hour'", false,
                "inline/not-due", "child/not-due");
        UUID onHold = rows.messageWithFiles("now() AT TIME ZONE 'UTC' - interval '1 minute'", true, "inline/on-hold");
        UUID withoutFiles = rows.messageWithFiles("now() AT TIME ZONE 'UTC' - interval '1 minute'", false, null);

        new Keys(redis, prefix).expireIn("message", byEvent, Duration.ofMillis(200));

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(messages(byEvent, bySweep, withoutFiles)).as("due messages").isZero();
            assertThat(sql.count("SELECT count(*) FROM voice_notes WHERE id = ?", note)).as("due note").isZero();
            assertThat(gone).as("files of deleted rows").noneMatch(s3::exists);
            assertThat(outboxRows("blob")).as("blob rows left in the outbox").isZero();
        });
        assertThat(messages(notDue, onHold)).as("kept messages").isEqualTo(2);
        assertThat(kept).as("files of kept rows").allMatch(s3::exists);
        assertThat(sql.count("SELECT count(*) FROM voice_note_files WHERE note_id = ?", note))
                .as("child rows without ON DELETE CASCADE, deleted by Lethe").isZero();
        assertThat(Prometheus.scrape().value("lethe_blobs_deleted_total") - deletedBefore).isEqualTo(gone.size());
    }

    @Test
    @Order(2)
    void everyDeletedRowIsAnnouncedOnceOnTheStream() {
        List<UUID> due = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            due.add(rows.messageWithFiles("now() AT TIME ZONE 'UTC' - interval '1 second'", false, null));
        }
        UUID notDue = rows.messageWithFiles("now() AT TIME ZONE 'UTC' + interval '1 hour'", false, null);
        UUID onHold = rows.messageWithFiles("now() AT TIME ZONE 'UTC' - interval '1 second'", true, null);
        Instant before = Instant.now().minusSeconds(5);

        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(messages(due.toArray(UUID[]::new))).isZero();
            assertThat(outboxRows("event")).isZero();
        });
        Map<String, List<Map<String, String>>> entries = announcements();
        for (UUID id : due) {
            assertThat(entries.get(id.toString())).as("announcements of %s", id).singleElement()
                    .satisfies(entry -> {
                        assertThat(entry).containsEntry("target", "message").containsEntry("source", "sweep");
                        assertThat(Instant.parse(entry.get("deletedAt"))).isAfter(before);
                    });
        }
        assertThat(entries).doesNotContainKeys(notDue.toString(), onHold.toString());
    }

    @Test
    @Order(3)
    void rowsGoWhileTheBucketIsDownAndTheirFilesFollowWhenItReturns() {
        S3Server s3 = OwnS3.server();
        List<String> files = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            files.add("voice/outage-" + i);
        }
        files.forEach(key -> s3.put(key, "sealed box"));
        double failuresBefore = Prometheus.scrape().value("lethe_blob_delete_failures_total");
        s3.stop();
        try {
            List<Long> notes = new ArrayList<>();
            for (String file : files) {
                notes.add(voiceNotes.note("now() - interval '1 second'", file));
            }
            await().atMost(WITHIN).untilAsserted(() -> {
                assertThat(sql.count("SELECT count(*) FROM voice_notes WHERE id = ANY(?)",
                        (Object) notes.toArray(Long[]::new))).as("rows deleted while the bucket is down").isZero();
                assertThat(outboxRows("blob")).as("keys waiting in the outbox").isEqualTo(files.size());
                Prometheus metrics = Prometheus.scrape();
                assertThat(metrics.value("lethe_blob_delete_failures_total")).isGreaterThan(failuresBefore);
                assertThat(metrics.value("lethe_outbox_rows", "kind", "blob")).isEqualTo(files.size());
            });
        } finally {
            s3.start();
        }
        await().atMost(WITHIN).untilAsserted(() -> {
            assertThat(files).as("files deleted once the bucket is back").noneMatch(s3::exists);
            assertThat(outboxRows("blob")).isZero();
        });
    }

    private long messages(UUID... ids) {
        return sql.count("SELECT count(*) FROM \"Message\" WHERE \"id\" = ANY(?)", (Object) ids);
    }

    private long outboxRows(String kind) {
        return sql.count("SELECT count(*) FROM lethe.outbox WHERE kind = ?", kind);
    }

    /** Every entry of the stream, by the id it announces. */
    private Map<String, List<Map<String, String>>> announcements() {
        Response reply;
        try {
            reply = redis.send(Request.cmd(Command.XRANGE).arg(stream).arg("-").arg("+"))
                    .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        Map<String, List<Map<String, String>>> byId = new HashMap<>();
        for (Response entry : reply) {
            Response fields = entry.get(1);
            Map<String, String> values = new HashMap<>();
            for (int i = 0; i < fields.size(); i += 2) {
                values.put(fields.get(i).toString(), fields.get(i + 1).toString());
            }
            byId.computeIfAbsent(values.get("id"), id -> new ArrayList<>()).add(values);
        }
        return byId;
    }
}
