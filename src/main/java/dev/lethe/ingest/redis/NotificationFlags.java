package dev.lethe.ingest.redis;

/**
 * Redis publishes expired-key events only when {@code notify-keyspace-events} holds E (key-event channels) and x
 * (expired events, also implied by the alias A). Other applications may rely on flags already set, so Lethe only
 * ever adds to them.
 */
public final class NotificationFlags {

    public static final String PARAMETER = "notify-keyspace-events";

    private NotificationFlags() {
    }

    public static boolean suffice(String flags) {
        return flags.indexOf('E') >= 0 && (flags.indexOf('x') >= 0 || flags.indexOf('A') >= 0);
    }

    /** The given flags with whatever Lethe needs added; unchanged when they already suffice. */
    public static String merge(String flags) {
        String merged = flags == null ? "" : flags;
        if (merged.indexOf('E') < 0) {
            merged = merged + "E";
        }
        if (merged.indexOf('x') < 0 && merged.indexOf('A') < 0) {
            merged = merged + "x";
        }
        return merged;
    }
}
