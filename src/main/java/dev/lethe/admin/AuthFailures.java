package dev.lethe.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed authentications over one-minute windows, per client and in total, so that guessing keys is slowed
 * and then answered with 429; a request whose key is valid is never counted here, nor refused. Bounded: the least
 * recently seen clients are forgotten first.
 */
final class AuthFailures {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_CLIENTS = 10_000;

    /** A client's (or everyone's) failures in the window that started at {@code startNanos}. */
    private record Window(long startNanos, int failures) {
        Window plusOne(long now) {
            return now - startNanos >= WINDOW_NANOS ? new Window(now, 1) : new Window(startNanos, failures + 1);
        }

        long secondsLeft(long now) {
            return Math.max(1, (startNanos + WINDOW_NANOS - now + 999_999_999L) / 1_000_000_000L);
        }
    }

    /**
     * One failure, as counted.
     *
     * @param failures the client's failures this minute, this one included
     * @param limitedForSeconds how long the client's failing attempts are answered with 429; 0 while within limits
     */
    record Failure(int failures, long limitedForSeconds) {
    }

    private final int perClient;
    private final int total;
    private final Map<String, Window> clients = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CLIENTS;
        }
    };
    private Window everyone = new Window(System.nanoTime() - WINDOW_NANOS, 0);

    AuthFailures(int perClient, int total) {
        this.perClient = perClient;
        this.total = total;
    }

    synchronized Failure record(String client) {
        long now = System.nanoTime();
        Window before = clients.get(client);
        Window mine = before == null ? new Window(now, 1) : before.plusOne(now);
        clients.put(client, mine);
        everyone = everyone.plusOne(now);
        long limited = 0;
        if (mine.failures() > perClient) {
            limited = mine.secondsLeft(now);
        }
        if (everyone.failures() > total) {
            limited = Math.max(limited, everyone.secondsLeft(now));
        }
        return new Failure(mine.failures(), limited);
    }
}
