package dev.lethe.outbox;

import java.util.List;

import dev.lethe.support.Failures;
import io.smallrye.mutiny.Uni;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;

/**
 * Announces deletions on a Redis Stream, one entry per deleted row, a batch in one pipeline. The stream is trimmed
 * to about its maximum length as it is written (MAXLEN ~), which costs Redis next to nothing. Delivery is at least
 * once: an instance that dies between XADD and settling its rows leaves them to be announced again.
 */
final class StreamSink implements OutboxSink {

    private final Redis redis;
    private final String stream;
    private final String maxLength;

    StreamSink(Redis redis, String stream, long maxLength) {
        this.redis = redis;
        this.stream = stream;
        this.maxLength = Long.toString(maxLength);
    }

    @Override
    public Uni<Delivery> deliver(List<OutboxEntry> entries) {
        List<Request> adds = entries.stream().map(this::add).toList();
        return Uni.createFrom().completionStage(() -> redis.batch(adds).toCompletionStage())
                .map(replies -> Delivery.allDelivered(entries))
                .onFailure().recoverWithItem(failure -> Delivery.allFailed(entries,
                        Failures.describe(failure)));
    }

    private Request add(OutboxEntry entry) {
        return Request.cmd(Command.XADD).arg(stream).arg("MAXLEN").arg("~").arg(maxLength).arg("*")
                .arg("target").arg(entry.target())
                .arg("id").arg(entry.rowId())
                .arg("source").arg(entry.source())
                .arg("deletedAt").arg(entry.deletedAt().toString());
    }
}
