package dev.lethe.delete;

import java.time.Duration;
import java.util.ArrayDeque;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.Source;
import dev.lethe.sql.Target;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Gathers the ids of one target and source into batches: a batch leaves when it is full or when its first id has
 * waited for the linger time, and at most a few batches are in flight. Rows handed over at their due instant do not
 * wait for the linger: they leave together at once. The ids waiting in all queues together are bounded
 * ({@link WaitingIds}); beyond that the offer is refused, and the caller counts the id as dropped and leaves it to
 * the sweep.
 */
final class DeleteQueue {

    private final Target target;
    private final Source source;
    private final BatchSender deleter;
    private final Vertx vertx;
    private final Accounting accounting;
    private final int batchSize;
    private final WaitingIds waiting;
    private final int maxInFlight;
    private final long lingerMillis;

    private final ArrayDeque<Object> ids = new ArrayDeque<>();
    private int inFlight;
    private int inFlightIds;
    private long lingerTimer = -1;
    private boolean overdue;
    private boolean sendingSoon;
    private Runnable onIdle;

    /** The queues' bounds, taken from {@code lethe.batch.*}; the waiting ids are counted for all queues together. */
    record Limits(int batchSize, Duration linger, WaitingIds waiting, int maxInFlight) {

        static Limits of(LetheConfig.Batch config) {
            return new Limits(config.size(), config.linger(), new WaitingIds(config.queueCapacity()),
                    config.maxInFlight());
        }
    }

    DeleteQueue(Target target, Source source, BatchSender deleter, Vertx vertx, Limits limits, Accounting accounting) {
        this.target = target;
        this.source = source;
        this.deleter = deleter;
        this.vertx = vertx;
        this.accounting = accounting;
        this.batchSize = limits.batchSize();
        this.waiting = limits.waiting();
        this.maxInFlight = limits.maxInFlight();
        this.lingerMillis = Math.max(1, limits.linger().toMillis());
    }

    /** Adds an id; false when the buffer is full. */
    boolean offer(Object id) {
        return add(id, false);
    }

    /**
     * Adds an id whose row is due now; false when the buffer is full. It leaves without waiting for the linger, with
     * every id added in the same moment: the look-ahead's timer hands over all the rows due at one instant in one go,
     * and the batch is sent once that is done, on the next turn of the event loop.
     */
    boolean offerDue(Object id) {
        return add(id, true);
    }

    private boolean add(Object id, boolean dueNow) {
        boolean full;
        boolean sendSoon = false;
        synchronized (this) {
            if (!waiting.take()) {
                return false;
            }
            ids.add(id);
            full = ids.size() >= batchSize;
            if (dueNow) {
                sendSoon = !sendingSoon;
                sendingSoon = true;
            } else if (!full && lingerTimer < 0 && !overdue) {
                lingerTimer = vertx.setTimer(lingerMillis, timer -> lingered());
            }
        }
        if (full) {
            flush();
        }
        if (sendSoon) {
            vertx.runOnContext(ignored -> sendDue());
        }
        return true;
    }

    private void sendDue() {
        synchronized (this) {
            sendingSoon = false;
            if (!ids.isEmpty()) {
                overdue = true;
            }
        }
        flush();
    }

    /** Ids waiting for a batch or in one that is in flight. */
    synchronized int pending() {
        return ids.size() + inFlightIds;
    }

    /** Sends everything now, linger or not, and calls back once nothing is pending or in flight. */
    void drain(Runnable whenIdle) {
        synchronized (this) {
            onIdle = whenIdle;
            overdue = true;
        }
        flush();
        checkIdle();
    }

    private void lingered() {
        synchronized (this) {
            lingerTimer = -1;
            overdue = true;
        }
        flush();
    }

    private void flush() {
        while (true) {
            Object[] batch;
            synchronized (this) {
                boolean ready = ids.size() >= batchSize || (overdue && !ids.isEmpty());
                if (!ready || inFlight >= maxInFlight) {
                    return;
                }
                int size = Math.min(batchSize, ids.size());
                batch = target.idType().newArray(size);
                for (int i = 0; i < size; i++) {
                    batch[i] = ids.poll();
                }
                waiting.release(size);
                inFlight++;
                inFlightIds += size;
                if (ids.isEmpty()) {
                    overdue = onIdle != null;
                    cancelLinger();
                }
            }
            send(batch);
        }
    }

    private void send(Object[] batch) {
        Uni<BatchReport> report = deleter.delete(target, source, batch);
        report.subscribe().with(result -> {
            synchronized (this) {
                inFlight--;
                inFlightIds -= batch.length;
            }
            accounting.account(target, source, result);
            flush();
            checkIdle();
        });
    }

    private void checkIdle() {
        Runnable idle;
        synchronized (this) {
            if (onIdle == null || !ids.isEmpty() || inFlight > 0) {
                return;
            }
            idle = onIdle;
            onIdle = null;
        }
        idle.run();
    }

    private void cancelLinger() {
        if (lingerTimer >= 0) {
            vertx.cancelTimer(lingerTimer);
            lingerTimer = -1;
        }
    }
}
