package dev.lethe.metrics;

import java.util.Locale;

/**
 * The admin calls that delete, pause, resume or change keys; the values of {@code lethe_admin_actions_total{action}}.
 * Each is logged in one line and counted, whatever its result.
 */
public enum AdminAction {
    SWEEP,
    PAUSE,
    RESUME,
    CREATE_KEY,
    REVOKE_KEY;

    /** The result of one such call; the values of {@code lethe_admin_actions_total{result}}. */
    public enum Result {
        /** Done. */
        OK,
        /** Refused: the key lacks the scope. */
        FORBIDDEN,
        /** Asked for something that is not there, or not valid. */
        REFUSED,
        /** Failed while being done (PostgreSQL did not answer, say). */
        FAILED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
