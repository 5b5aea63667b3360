package dev.lethe.outbox;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

import dev.lethe.support.Failures;
import io.smallrye.mutiny.Uni;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Deletes files from the bucket with one DeleteObjects request per batch (S3 takes up to 1,000 keys). A key that
 * is already gone counts as deleted: S3 reports a missing key as deleted, and NoSuchKey is taken the same way. The
 * client blocks, so the request runs on a worker thread, never on the event loop.
 */
final class BucketSink implements OutboxSink {

    /** The most keys one DeleteObjects request may carry. */
    static final int MAX_KEYS = 1000;

    private final S3Client s3;
    private final String bucket;
    private final Executor worker;

    BucketSink(S3Client s3, String bucket, Executor worker) {
        this.s3 = s3;
        this.bucket = bucket;
        this.worker = worker;
    }

    @Override
    public Uni<Delivery> deliver(List<OutboxEntry> entries) {
        // Two outbox rows may carry one key (in a row's column and in its child table, or shared against the
        // README's advice); S3 wants each key once per request.
        Map<String, List<Long>> idsByKey = new LinkedHashMap<>();
        for (OutboxEntry entry : entries) {
            idsByKey.computeIfAbsent(entry.blobKey().orElseThrow(), key -> new ArrayList<>()).add(entry.id());
        }
        if (idsByKey.size() > MAX_KEYS) {
            throw new IllegalArgumentException(idsByKey.size() + " keys in one request; S3 takes " + MAX_KEYS);
        }
        DeleteObjectsRequest request = DeleteObjectsRequest.builder()
                .bucket(bucket)
                .delete(Delete.builder()
                        .objects(idsByKey.keySet().stream().map(key -> ObjectIdentifier.builder().key(key).build())
                                .toList())
                        .quiet(true)
                        .build())
                .build();
        return Uni.createFrom().item(() -> s3.deleteObjects(request))
                .runSubscriptionOn(worker)
                .map(response -> settle(idsByKey, response))
                .onFailure().recoverWithItem(failure -> Delivery.allFailed(entries,
                        Failures.describe(failure)));
    }

    private static Delivery settle(Map<String, List<Long>> idsByKey, DeleteObjectsResponse response) {
        Set<String> failedKeys = new HashSet<>();
        String error = null;
        for (S3Error failure : response.errors()) {
            if (!"NoSuchKey".equals(failure.code())) {
                failedKeys.add(failure.key());
                if (error == null) {
                    error = failure.code() + ": " + failure.message() + " (" + failure.key() + ")";
                }
            }
        }
        List<Long> delivered = new ArrayList<>();
        List<Long> failed = new ArrayList<>();
        idsByKey.forEach((key, ids) -> (failedKeys.contains(key) ? failed : delivered).addAll(ids));
        return new Delivery(delivered, failed, Optional.ofNullable(error));
    }
}
