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
 */
final class DeferredDeletes {

    /** Where a fired row goes. */
    interface Sink {
        void due(Target target, Source source, Object id);
    }

    private record Key(String target, Object id) {
    }

    private record Entry(long dueNanos, Target target, Source source, Object id) {
    }

    private final Vertx vertx;
    private final int capacity;
    private final Sink sink;
    private final PriorityQueue<Entry> byDueTime = new PriorityQueue<>((a, b) -> Long.compare(a.dueNanos, b.dueNanos));
    private final Map<Key, Entry> byKey = new HashMap<>();
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
        Key key = new Key(target.name(), id);
        if (byKey.containsKey(key)) {
            return Scheduled.ALREADY_HELD;
        }
        if (byKey.size() >= capacity) {
            return Scheduled.FULL;
        }
        Entry entry = new Entry(System.nanoTime() + delayNanos, target, source, id);
        byKey.put(key, entry);
        byDueTime.add(entry);
        if (entry.dueNanos < timerDueNanos) {
            arm(entry.dueNanos);
        }
        return Scheduled.ACCEPTED;
    }

    synchronized int size() {
        return byKey.size();
    }

    private void arm(long dueNanos) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(dueNanos - System.nanoTime() + 999_999));
        timerDueNanos = dueNanos;
        timer = vertx.setTimer(delayMillis, id -> fire(System.nanoTime()));
    }

    private void fire(long nowNanos) {
        List<Entry> due = new ArrayList<>();
        synchronized (this) {
            timer = -1;
            timerDueNanos = Long.MAX_VALUE;
            while (!byDueTime.isEmpty() && byDueTime.peek().dueNanos <= nowNanos) {
                Entry entry = byDueTime.poll();
                byKey.remove(new Key(entry.target.name(), entry.id));
                due.add(entry);
            }
            if (!byDueTime.isEmpty()) {
                arm(byDueTime.peek().dueNanos);
            }
        }
        for (Entry entry : due) {
            sink.due(entry.target, entry.source, entry.id);
        }
    }
}
