package dev.lethe.ingest.redis;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The test keys this instance is waiting to hear expire. A key Lethe sets and lets expire proves, when its expired
 * event comes back, that the node announces expired keys, without asking CONFIG (which a managed Redis or an ACL may
 * forbid, and which lethe.redis.configure-notifications=false rules out).
 */
@Singleton
public final class Canaries {

    private final Map<String, Promise<Void>> awaited = new ConcurrentHashMap<>();

    /** Completes when the key's expired event is heard; the caller bounds the wait. */
    Future<Void> expect(String key) {
        Promise<Void> heard = Promise.promise();
        awaited.put(key, heard);
        return heard.future();
    }

    void forget(String key) {
        awaited.remove(key);
    }

    /** A test key's event; another instance's test keys are heard too, and ignored. */
    public void heard(String key) {
        Promise<Void> heard = awaited.remove(key);
        if (heard != null) {
            heard.tryComplete();
        }
    }
}
