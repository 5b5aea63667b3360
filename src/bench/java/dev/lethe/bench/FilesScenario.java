package dev.lethe.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;

import dev.lethe.testsupport.process.S3Server;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * Scenario 5: rows with files fall due at once; the sweep deletes the rows and the outbox relay deletes their files
 * from a real S3-API server (Adobe S3Mock on loopback). Reports the outbox's drain rate in keys per second, against
 * the server's own ceiling measured in the same run: a plain client deleting as many keys with DeleteObjects
 * requests of 1,000 keys, one after the other.
 */
final class FilesScenario {

    private static final String TABLE = "bench_file_message";

    private final BenchOptions options;
    private final BenchDatabase db;
    private final BenchRedis redis;

    FilesScenario(BenchOptions options, BenchDatabase db, BenchRedis redis) {
        this.options = options;
        this.db = db;
        this.redis = redis;
    }

    Report run() throws Exception {
        int rows = options.integer("files-rows");
        Report report = new Report("files", String.format("%,d due rows with one file each in S3Mock, deleted by the"
                + " sweep; their files by the outbox relay (DeleteObjects, up to 1,000 keys each)", rows));
        redis.flush();
        db.recreateTable();
        db.sql().execute("DROP TABLE IF EXISTS " + TABLE, "CREATE TABLE " + TABLE + " (id uuid PRIMARY KEY,"
                + " expires_at timestamptz, attachment_key text)",
                "CREATE INDEX ON " + TABLE + " (expires_at)");
        try (S3Server s3 = S3Server.launch("bench-files")) {
            upload(s3, rows);
            Map<String, String> config = new HashMap<>(s3.config());
            config.put("lethe.targets.file.table", TABLE);
            config.put("lethe.targets.file.expires-column", "expires_at");
            config.put("lethe.targets.file.blob-key-column", "attachment_key");
            config.put("lethe.sweep.lookahead", "0s");
            config.put("lethe.sweep.every", "1s");
            double letheRate;
            try (LetheUnderTest lethe = LetheUnderTest.start(options, redis.uri(), config)) {
                long start = System.currentTimeMillis();
                db.sql().execute("INSERT INTO " + TABLE + " SELECT gen_random_uuid(), now() - interval '1 second',"
                        + " 'file/' || g FROM generate_series(1, " + rows + ") g");
                long deadline = start + 600_000;
                BurstScenario.await(() -> db.sql().count("SELECT count(*) FROM " + TABLE) < rows, 5, deadline,
                        "the first deletion");
                long first = System.currentTimeMillis();
                BurstScenario.await(() -> db.sql().count("SELECT count(*) FROM " + TABLE) == 0, 20, deadline,
                        "the rows' deletion");
                long rowsGone = System.currentTimeMillis();
                BurstScenario.await(() -> db.sql().count("SELECT count(*) FROM lethe.outbox WHERE kind = 'blob'")
                        == 0, 20, deadline, "the outbox");
                long filesGone = System.currentTimeMillis();
                int left = 0;
                for (int i = 1; i <= rows; i += Math.max(1, rows / 200)) {
                    left += s3.exists("file/" + i) ? 1 : 0;
                }
                double drain = (filesGone - first) / 1000.0;
                letheRate = rows / drain;
                report.add("rows_seconds", "Rows deleted: first to last", (rowsGone - first) / 1000.0, "s");
                report.add("files_seconds", "Files deleted: first row to empty outbox", drain, "s");
                report.add("outbox_keys_per_second", "Outbox drain rate", letheRate, "keys/s");
                report.add("outbox_lag_seconds", "Last file deleted after its row", (filesGone - rowsGone) / 1000.0,
                        "s");
                report.add("files_left_in_sample", "Files still in the bucket (sample of 200)", left, "");
                report.add("blob_delete_failures", "Failed file deletions (retried)",
                        lethe.metric("lethe_blob_delete_failures_total", ""), "");
            }
            double ceiling = bareDeletes(s3, rows);
            report.add("bare_client_keys_per_second", "S3 server's ceiling: a plain client's DeleteObjects loop",
                    ceiling, "keys/s");
            report.add("outbox_ratio", "Outbox drain / ceiling", letheRate / ceiling, "");
        } finally {
            db.sql().execute("DROP TABLE IF EXISTS " + TABLE);
        }
        return report;
    }

    /** Uploads the same number of files again and deletes them with a plain client; keys per second. */
    private static double bareDeletes(S3Server s3, int rows) throws InterruptedException {
        upload(s3, rows);
        try (S3Client client = S3Client.builder()
                .endpointOverride(URI.create(s3.endpoint()))
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
                .httpClient(UrlConnectionHttpClient.create())
                .build()) {
            long start = System.nanoTime();
            for (int from = 1; from <= rows; from += 1000) {
                List<ObjectIdentifier> keys = new ArrayList<>();
                for (int i = from; i < from + 1000 && i <= rows; i++) {
                    keys.add(ObjectIdentifier.builder().key("file/" + i).build());
                }
                client.deleteObjects(DeleteObjectsRequest.builder().bucket(s3.bucket())
                        .delete(Delete.builder().objects(keys).quiet(true).build()).build());
            }
            return rows / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Puts one small object per row, 32 requests at a time. */
    private static void upload(S3Server s3, int rows) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        Semaphore inFlight = new Semaphore(32);
        List<CompletableFuture<?>> puts = new ArrayList<>();
        for (int i = 1; i <= rows; i++) {
            inFlight.acquire();
            puts.add(http.sendAsync(HttpRequest.newBuilder(URI.create(s3.endpoint() + "/" + s3.bucket() + "/file/" + i))
                    .PUT(HttpRequest.BodyPublishers.ofString("sealed box")).build(),
                    HttpResponse.BodyHandlers.discarding()).whenComplete((response, failure) -> inFlight.release()));
        }
        CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
    }
}
