package dev.lethe.delete;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
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
 */
final class DeferredDeletes {

    /** Where a fired row goes. */
    interface Sink {
        void due(Target target, Source source, Object id);
    }

    /** The width of a firing slot. */
    static final long SLOT_NANOS = 5_000_000L;

    private record Entry(long dueNanos, Target target, Source source, Object id) {
    }

    private final Vertx vertx;
    private final int capacity;
    private final Sink sink;
    private final PriorityQueue<Entry> byDueTime = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    /**
     * The rows held, by target name and id: one map per target, so that the look-ahead, which offers every row again
     * on each of its reads, finds it without allocating a key.
     */
    private final Map<String, Map<Object, Entry>> byTarget = new HashMap<>();
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
        Map<Object, Entry> held = byTarget.computeIfAbsent(target.name(), name -> new HashMap<>());
        if (held.containsKey(id)) {
            return Scheduled.ALREADY_HELD;
        }
        if (size >= capacity) {
            return Scheduled.FULL;
        }
        Entry entry = new Entry(System.nanoTime() + delayNanos, target, source, id);
        held.put(id, entry);
        size++;
        byDueTime.add(entry);
        long slotEnd = slotEnd(entry.dueNanos);
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
            while (!byDueTime.isEmpty() && byDueTime.peek().dueNanos <= nowNanos) {
                Entry entry = byDueTime.poll();
                byTarget.get(entry.target.name()).remove(entry.id);
                size--;
                due.add(entry);
            }
            if (!byDueTime.isEmpty()) {
                arm(slotEnd(byDueTime.peek().dueNanos));
            }
        }
        for (Entry entry : due) {
            sink.due(entry.target, entry.source, entry.id);
        }
    }
}
