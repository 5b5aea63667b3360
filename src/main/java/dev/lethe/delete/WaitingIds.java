package dev.lethe.delete;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The ids waiting for a delete statement, in every target's queues together, bounded by lethe.batch.queue-capacity:
 * one bound for the instance, so that the memory they can take does not grow with the number of targets, and a burst
 * on one target may use all of it.
 */
final class WaitingIds {

    private final int capacity;
    // Taken by every expiry event on every event loop: a compare-and-set, not a lock all of them share.
    private final AtomicInteger waiting = new AtomicInteger();

    WaitingIds(int capacity) {
        this.capacity = capacity;
    }

    /** Counts one more waiting id; false, counting nothing, when the capacity is reached. */
    boolean take() {
        int now;
        do {
            now = waiting.get();
            if (now >= capacity) {
                return false;
            }
        } while (!waiting.compareAndSet(now, now + 1));
        return true;
    }

    /** Ids that left their queue for a statement. */
    void release(int count) {
        waiting.addAndGet(-count);
    }
}
