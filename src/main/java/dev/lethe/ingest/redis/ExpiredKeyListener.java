package dev.lethe.ingest.redis;

/** Where the subscriptions hand every expired key they hear, Lethe's or not. */
@FunctionalInterface
public interface ExpiredKeyListener {

    /** Runs on the event loop that delivered the key, for every expired key in Redis: it must not block. */
    void expired(byte[] key);
}
