package dev.lethe.config;

import java.util.Optional;

/**
 * The most heap Lethe's bounded buffers can take when every one of them is full, computed from the settings that
 * bound them, so that a setting the heap cannot hold is refused at startup instead of ending in an OutOfMemoryError
 * under load. Ids are counted as the largest a key can carry (a text id of lethe.max-key-length bytes), which is an
 * upper bound for uuid and bigint targets.
 *
 * @param waitingIds ids queued for a delete statement (lethe.batch.queue-capacity)
 * @param inFlight ids in statements on their way (targets x 2 sources x max-in-flight x batch size)
 * @param heldRows rows held until their due time (lethe.deferred.capacity)
 * @param remembered fingerprints of rows deleted lately (lethe.deferred.remembered)
 * @param lookaheadRead one look-ahead read's rows, before they are held (lethe.sweep.lookahead-limit)
 */
public record MemoryBudget(long waitingIds, long inFlight, long heldRows, long remembered, long lookaheadRead) {

    /** What the rest of the service needs besides these buffers: its live set measured about 22 MB at 5,000/s. */
    static final long RESERVE = 32L << 20;
    /** A String of n Latin-1 bytes (24-byte object, 16-byte array header) and the reference to it. */
    private static final long STRING_OVERHEAD = 24 + 16 + 8;
    /** A held row's entry: its record, its place in its slot's list, up to four slots of a set of fingerprints. */
    private static final long HELD_ROW_OVERHEAD = 48 + 8 + 4 * 8;
    /** A remembered fingerprint: a slot of the ring, and up to four slots of an open-addressing set of longs. */
    private static final long FINGERPRINT = 8 + 4 * 8;
    /** A row of a look-ahead read: its id, its seconds until due, the row and its place in the result. */
    private static final long READ_ROW_OVERHEAD = 16 + 24 + 32;

    public static MemoryBudget of(LetheConfig config) {
        long id = STRING_OVERHEAD + config.maxKeyLength();
        long targets = config.targets().size() + 1L; // and Lethe's own: expired API keys
        LetheConfig.Batch batch = config.batch();
        return new MemoryBudget(
                batch.queueCapacity() * id,
                targets * 2 * batch.maxInFlight() * batch.size() * id,
                config.deferred().capacity() * (id + HELD_ROW_OVERHEAD),
                config.deferred().remembered() * FINGERPRINT,
                config.sweep().lookaheadLimit() * (id + READ_ROW_OVERHEAD));
    }

    public long total() {
        return waitingIds + inFlight + heldRows + remembered + lookaheadRead;
    }

    /** The problem, if these buffers and the rest of the service cannot fit in a heap of {@code maxHeap} bytes. */
    Optional<String> problem(long maxHeap) {
        if (total() + RESERVE <= maxHeap) {
            return Optional.empty();
        }
        return Optional.of("cannot fit its buffers in the heap: full, they would take " + mib(total()) + " MiB"
                + " (queued ids " + mib(waitingIds) + ", ids in flight " + mib(inFlight) + ", held rows "
                + mib(heldRows) + ", remembered ids " + mib(remembered) + ", a look-ahead read " + mib(lookaheadRead)
                + "), and the rest of the service about " + mib(RESERVE) + " MiB, in a heap of " + mib(maxHeap)
                + " MiB: lower lethe.batch.queue-capacity, lethe.deferred.capacity, lethe.deferred.remembered,"
                + " lethe.sweep.lookahead-limit or lethe.max-key-length, or give the JVM more heap (-Xmx)");
    }

    static long mib(long bytes) {
        return (bytes + (1L << 19)) >> 20;
    }
}
