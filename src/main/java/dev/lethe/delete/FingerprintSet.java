package dev.lethe.delete;

/**
 * A set of 64-bit fingerprints in one array of longs, without boxing: open addressing with linear probing, kept at
 * most half full (the array doubles when more are added than it was made for), and removal by shifting the entries
 * after a hole back into it (so no tombstones accumulate). Zero marks a free slot; the fingerprint 0 is stored as 1,
 * which merges two of 2^64 values (a collision costs at most a statement, as any other). Not thread-safe: its owner
 * holds its lock.
 */
final class FingerprintSet {

    private long[] slots;
    private int mask;
    private int count;

    /** @param capacity the most fingerprints it holds at once without growing */
    FingerprintSet(int capacity) {
        allocate(Integer.highestOneBit(Math.max(2, capacity) * 2 - 1) << 1);
    }

    /** Adds the fingerprint; whether it was absent. */
    boolean add(long fingerprint) {
        long value = stored(fingerprint);
        int slot = home(value);
        while (slots[slot] != 0) {
            if (slots[slot] == value) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
        if ((count + 1) * 2 > slots.length) {
            grow();
            return add(fingerprint);
        }
        slots[slot] = value;
        count++;
        return true;
    }

    boolean contains(long fingerprint) {
        long value = stored(fingerprint);
        for (int slot = home(value); slots[slot] != 0; slot = (slot + 1) & mask) {
            if (slots[slot] == value) {
                return true;
            }
        }
        return false;
    }

    void remove(long fingerprint) {
        long value = stored(fingerprint);
        int slot = home(value);
        while (slots[slot] != value) {
            if (slots[slot] == 0) {
                return;
            }
            slot = (slot + 1) & mask;
        }
        // Shift back every entry of the run after the hole that may not sit after its home slot any more.
        int hole = slot;
        for (int next = (hole + 1) & mask; slots[next] != 0; next = (next + 1) & mask) {
            int home = home(slots[next]);
            boolean movable = hole <= next ? home <= hole || home > next : home <= hole && home > next;
            if (movable) {
                slots[hole] = slots[next];
                hole = next;
            }
        }
        slots[hole] = 0;
        count--;
    }

    private void allocate(int size) {
        slots = new long[size];
        mask = size - 1;
    }

    private void grow() {
        long[] old = slots;
        allocate(old.length * 2);
        for (long value : old) {
            if (value != 0) {
                int slot = home(value);
                while (slots[slot] != 0) {
                    slot = (slot + 1) & mask;
                }
                slots[slot] = value;
            }
        }
    }

    private int home(long value) {
        return (int) (value ^ (value >>> 32)) & mask;
    }

    private static long stored(long fingerprint) {
        return fingerprint == 0 ? 1 : fingerprint;
    }
}
