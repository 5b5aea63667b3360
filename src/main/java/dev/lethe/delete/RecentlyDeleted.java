package dev.lethe.delete;

import java.util.UUID;

/**
 * The rows this instance deleted by id lately, remembered as 64-bit fingerprints of target and id. When Redis is
 * late, the look-ahead has deleted most rows before their expired event arrives; answering those events from here
 * spares the database a delete and an inspection per batch that would find nothing. Bounded: the oldest
 * fingerprints are forgotten first, and a forgotten or colliding fingerprint only costs a statement or, at worst,
 * leaves one event to the sweep; it never deletes anything.
 */
final class RecentlyDeleted {

    private final long[] ring;
    private final FingerprintSet fingerprints;
    private int next;
    private int size;

    RecentlyDeleted(int capacity) {
        this.ring = new long[Math.max(1, capacity)];
        this.fingerprints = new FingerprintSet(ring.length);
    }

    synchronized void add(String target, Object id) {
        long fingerprint = fingerprint(target, id);
        if (!fingerprints.add(fingerprint)) {
            return;
        }
        if (size == ring.length) {
            fingerprints.remove(ring[next]);
        } else {
            size++;
        }
        ring[next] = fingerprint;
        next = (next + 1) % ring.length;
    }

    synchronized boolean contains(String target, Object id) {
        return fingerprints.contains(fingerprint(target, id));
    }

    static long fingerprint(String target, Object id) {
        long seed = mix(target.hashCode());
        if (id instanceof UUID uuid) {
            return mix(uuid.getMostSignificantBits() ^ seed) ^ mix(uuid.getLeastSignificantBits() + seed);
        }
        if (id instanceof Long value) {
            return mix(value ^ seed);
        }
        long hash = 0xcbf29ce484222325L ^ seed;
        String text = id.toString();
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return mix(hash);
    }

    /** SplitMix64's finalizer: every input bit reaches every output bit. */
    private static long mix(long value) {
        long z = value + 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
