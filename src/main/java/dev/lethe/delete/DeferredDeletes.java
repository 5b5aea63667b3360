package dev.lethe.delete;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import io.vertx.core.Vertx;

/**
 * Rows that are known to fall due soon, held in memory until their due time and then handed to the batches. One
 * Vert.x timer is armed for the earliest of them. Due times come from the database ({@code expiry - now()}) and
 * are kept on the local monotonic clock, so clock differences between hosts do not matter. Bounded: when full, a
 * row is refused and left to the sweep.
 * <p>
 * Rows fire in slots of {@link #SLOT_NANOS}: every row due within one slot leaves at the slot's end, together. At
 * thousands of rows a second, firing each millisecond's rows on their own sent a statement per millisecond; a slot
 * of 5 ms gathers them into a fifth as many statements for at most 5 ms of lag, and re-arms the timer far less.
 * The rows are kept by slot (a timer wheel with a slot per 5 ms, in order), not in one queue ordered by due time, and
 * known by 64-bit fingerprints of target and id, not in maps of ids: the look-ahead offers thousands of rows a second,
 * and ordering each one and keying it by its id took a tenth of the service's time in the steady benchmark. A
 * fingerprint that collides with another held row's leaves this row to the sweep, as a full capacity does.
 */
final class DeferredDeletes {

    /** Where a fired row goes. */
    interface Sink {
        void due(Target target, Source source, Object id);
    }

    /** The width of a firing slot. */
    static final long SLOT_NANOS = 5_000_000L;

    private record Entry(long dueNanos, long fingerprint, Target target, Source source, Object id) {
    }

    private final Vertx vertx;
    private final int capacity;
    private final Sink sink;
    /** The rows held, by the end of their slot on the monotonic clock. */
    private final TreeMap<Long, List<Entry>> bySlot = new TreeMap<>();
    /** The look-ahead offers every row again on each of its reads: what is held already is found here. */
    private final FingerprintSet held = new FingerprintSet(1024);
    private int size;
    private long timer = -1;
    private long timerDueNanos = Long.MAX_VALUE;

    DeferredDeletes(Vertx vertx, int capacity, Sink sink) {
        this.vertx = vertx;
        this.capacity = capacity;
        this.sink = sink;
    }

    enum Scheduled {
        /** Held until its due time. */
        ACCEPTED,
        /** Already held: the earlier entry stands. */
        ALREADY_HELD,
        /** Capacity reached. */
        FULL
    }

    synchronized Scheduled schedule(Target target, Source source, Object id, long delayNanos) {
        long fingerprint = RecentlyDeleted.fingerprint(target.name(), id);
        if (size >= capacity) {
            return held.contains(fingerprint) ? Scheduled.ALREADY_HELD : Scheduled.FULL;
        }
        // One probe for the common case: the look-ahead offers most rows again on each of its reads.
        if (!held.add(fingerprint)) {
            return Scheduled.ALREADY_HELD;
        }
        size++;
        long dueNanos = System.nanoTime() + delayNanos;
        long slotEnd = slotEnd(dueNanos);
        bySlot.computeIfAbsent(slotEnd, slot -> new ArrayList<>())
                .add(new Entry(dueNanos, fingerprint, target, source, id));
        if (slotEnd < timerDueNanos) {
            arm(slotEnd);
        }
        return Scheduled.ACCEPTED;
    }

    synchronized int size() {
        return size;
    }

    /** The end of the slot a due time falls in; slots are counted on the monotonic clock. */
    private static long slotEnd(long dueNanos) {
        return Math.floorDiv(dueNanos, SLOT_NANOS) * SLOT_NANOS + SLOT_NANOS;
    }

    private void arm(long fireNanos) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(fireNanos - System.nanoTime() + 999_999));
        timerDueNanos = fireNanos;
        timer = vertx.setTimer(delayMillis, id -> fire(System.nanoTime()));
    }

    private void fire(long nowNanos) {
        List<Entry> due = new ArrayList<>();
        synchronized (this) {
            timer = -1;
            timerDueNanos = Long.MAX_VALUE;
            while (!bySlot.isEmpty() && bySlot.firstKey() <= nowNanos) {
                bySlot.pollFirstEntry().getValue().forEach(entry -> take(entry, due));
            }
            // A timer fires late, never early: rows of the slot under way that are due by now leave with the others.
            if (!bySlot.isEmpty() && bySlot.firstKey() - SLOT_NANOS <= nowNanos) {
                long slot = bySlot.firstKey();
                List<Entry> later = new ArrayList<>();
                for (Entry entry : bySlot.get(slot)) {
                    if (entry.dueNanos <= nowNanos) {
                        take(entry, due);
                    } else {
                        later.add(entry);
                    }
                }
                if (later.isEmpty()) {
                    bySlot.remove(slot);
                } else {
                    bySlot.put(slot, later);
                }
            }
            if (!bySlot.isEmpty()) {
                arm(bySlot.firstKey());
            }
        }
        for (Entry entry : due) {
            sink.due(entry.target, entry.source, entry.id);
        }
    }

    private void take(Entry entry, List<Entry> due) {
        held.remove(entry.fingerprint);
        size--;
        due.add(entry);
    }
}
