package dev.lethe.config;

import java.util.Locale;

/**
 * What sits between Lethe and PostgreSQL. Lethe needs nothing from a server session whatever the mode (every
 * setting is made per transaction, and ownership is a lease in a table); the mode picks the client settings that
 * are safe there.
 */
public enum PoolerMode {
    /** A direct connection: prepared statements are kept per connection. */
    NONE,
    /** A pooler in session mode (PgBouncer pool_mode=session): the same as a direct connection to Lethe. */
    SESSION,
    /**
     * A pooler in transaction mode (PgBouncer pool_mode=transaction, Supavisor's port 6543, most hosted poolers):
     * consecutive statements may run on different server sessions, so no named prepared statement is kept.
     */
    TRANSACTION;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Whether a prepared statement can outlive the transaction that prepared it. */
    public boolean keepsPreparedStatements() {
        return this != TRANSACTION;
    }
}
