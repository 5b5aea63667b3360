package dev.lethe.ingest.redis;

import io.vertx.core.buffer.Buffer;
import io.vertx.redis.client.Response;
import io.vertx.redis.client.ResponseType;

/**
 * What a push on a subscription connection is. It is asked for every expired key in Redis, Lethe's or not, so it
 * compares the kind's bytes instead of decoding a string.
 */
enum Push {
    /** {@code message <channel> <payload>}: a published message. */
    MESSAGE,
    /** {@code subscribe <channel> <count>}: a subscription confirmed. */
    SUBSCRIBED,
    /** Any other reply that reached the push handler (in 4.5, a check's reply can: see {@link RedisLink}). */
    OTHER,
    /** Nothing to act on: a PONG, an empty reply. */
    NOTHING;

    private static final Buffer MESSAGE_KIND = Buffer.buffer("message");
    private static final Buffer SUBSCRIBE_KIND = Buffer.buffer("subscribe");

    static Push kind(Response push) {
        if (push == null || push.type() != ResponseType.PUSH && push.type() != ResponseType.MULTI
                || push.size() == 0) {
            return NOTHING;
        }
        Buffer kind = push.get(0).toBuffer();
        if (push.size() >= 3 && MESSAGE_KIND.equals(kind)) {
            return MESSAGE;
        }
        if (push.size() >= 2 && SUBSCRIBE_KIND.equals(kind)) {
            return SUBSCRIBED;
        }
        return OTHER;
    }
}
