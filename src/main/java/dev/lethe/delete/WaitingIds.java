package dev.lethe.delete;

/**
 * The ids waiting for a delete statement, in every target's queues together, bounded by lethe.batch.queue-capacity:
 * one bound for the instance, so that the memory they can take does not grow with the number of targets, and a burst
 * on one target may use all of it.
 */
final class WaitingIds {

    private final int capacity;
    private int waiting;

    WaitingIds(int capacity) {
        this.capacity = capacity;
    }

    /** Counts one more waiting id; false, counting nothing, when the capacity is reached. */
    synchronized boolean take() {
        if (waiting >= capacity) {
            return false;
        }
        waiting++;
        return true;
    }

    /** Ids that left their queue for a statement. */
    synchronized void release(int count) {
        waiting -= count;
    }
}
