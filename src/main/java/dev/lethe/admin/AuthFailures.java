package dev.lethe.admin;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts failed authentications per client over one-minute windows, so that guessing keys is slowed and then
 * stopped. Bounded: the least recently seen clients are forgotten first.
 */
final class AuthFailures {

    private static final long WINDOW_NANOS = 60_000_000_000L;
    private static final int MAX_CLIENTS = 10_000;

    private record Window(long startNanos, int failures) {
    }

    private final int perMinute;
    private final Map<String, Window> clients = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Window> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    AuthFailures(int perMinute) {
        this.perMinute = perMinute;
    }

    /** Whether the client has used up its failures for this minute; if so, seconds until it may try again. */
    synchronized long blockedForSeconds(String client) {
        Window window = current(client);
        if (window == null || window.failures < perMinute) {
            return 0;
        }
        return Math.max(1, (window.startNanos + WINDOW_NANOS - System.nanoTime()) / 1_000_000_000L);
    }

    /** Records a failure; returns how many the client has made this minute. */
    synchronized int record(String client) {
        Window window = current(client);
        Window next = window == null ? new Window(System.nanoTime(), 1) : new Window(window.startNanos, window.failures + 1);
        clients.put(client, next);
        return next.failures;
    }

    private Window current(String client) {
        Window window = clients.get(client);
        if (window != null && System.nanoTime() - window.startNanos >= WINDOW_NANOS) {
            clients.remove(client);
            return null;
        }
        return window;
    }
}
