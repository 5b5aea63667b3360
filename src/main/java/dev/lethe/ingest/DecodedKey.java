package dev.lethe.ingest;

import dev.lethe.metrics.EventOutcome;

/** The result of reading one expired key: a key to act on, or the reason it is not one. */
public sealed interface DecodedKey {

    record Accepted(ExpiryKey key) implements DecodedKey {
    }

    /** A test key Lethe set itself, to see that the node announces expired keys; not a row of any target. */
    record Canary(String key) implements DecodedKey {
    }

    /**
     * @param outcome {@link EventOutcome#IGNORED} for another application's key, {@link EventOutcome#INVALID} for a
     *        malformed one of ours
     * @param reason why, in a few words
     */
    record Rejected(EventOutcome outcome, String reason) implements DecodedKey {

        public Rejected {
            if (outcome != EventOutcome.IGNORED && outcome != EventOutcome.INVALID) {
                throw new IllegalArgumentException("a key is rejected as ignored or invalid, not " + outcome);
            }
        }
    }
}
