package dev.lethe.store;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.vertx.core.Vertx;

/**
 * The deadlines of every statement in flight, checked by one periodic timer instead of a timer armed and cancelled
 * per statement: at hundreds of statements a second, arming and cancelling took more than the check of a handful
 * in flight. A deadline is met at most {@link #TICK_MILLIS} late, against budgets of a second and more.
 */
final class Deadlines {

    /** How often the statements in flight are checked. */
    static final long TICK_MILLIS = 50;

    /** Something in flight with a deadline. */
    interface Watched {
        /** The monotonic instant (System.nanoTime()) by which it must be over. */
        long deadlineNanos();

        /** Its deadline passed; called once, on the timer's thread, after it stopped being watched. */
        void expired();
    }

    private final Set<Watched> inFlight = ConcurrentHashMap.newKeySet();

    Deadlines(Vertx vertx) {
        vertx.setPeriodic(TICK_MILLIS, id -> check(System.nanoTime()));
    }

    void watch(Watched watched) {
        inFlight.add(watched);
    }

    /** It is over before its deadline: no longer watched. */
    void over(Watched watched) {
        inFlight.remove(watched);
    }

    void check(long nowNanos) {
        for (Watched watched : inFlight) {
            if (nowNanos - watched.deadlineNanos() >= 0 && inFlight.remove(watched)) {
                watched.expired();
            }
        }
    }
}
