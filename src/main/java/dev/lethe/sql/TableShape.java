package dev.lethe.sql;

import java.util.Optional;

/**
 * A target's table as resolved against the catalog, every identifier already quoted.
 *
 * @param table the schema-qualified, quoted table name
 * @param displayName the same name unquoted, for logs and labels
 * @param idColumn the quoted id column
 * @param expiresColumn the quoted expiry column
 * @param now SQL for the database's now() in the expiry column's type
 * @param guard trusted predicate a row must satisfy to be deleted
 * @param alsoDueWhen trusted predicate that makes a row due whatever its expiry
 * @param partitioned whether the table is partitioned, so that a row's ctid does not identify it
 */
public record TableShape(String table, String displayName, String idColumn, String expiresColumn, String now,
        Optional<String> guard, Optional<String> alsoDueWhen, boolean partitioned) {

    public TableShape {
        if (table.isEmpty() || idColumn.isEmpty() || expiresColumn.isEmpty() || now.isEmpty()) {
            throw new IllegalArgumentException("a table shape needs a table, an id, an expiry column and now()");
        }
        guard = guard.map(String::trim).filter(g -> !g.isEmpty());
        alsoDueWhen = alsoDueWhen.map(String::trim).filter(g -> !g.isEmpty());
    }

    /**
     * How a delete finds again the rows it picked and locked: by their physical address, a direct heap access that
     * costs no second index lookup (a locked row cannot move), or by id where a partitioned table makes addresses
     * ambiguous.
     */
    String locator() {
        return partitioned ? idColumn : "ctid";
    }

    /** The expiry has passed, by the database's clock (NULL never passes). */
    String expired() {
        return expiresColumn + " <= " + now;
    }

    /** Due: expired, or matching the extra due condition. */
    String due() {
        return alsoDueWhen.map(also -> "(" + expired() + " OR (" + also + "))").orElse(expired());
    }

    /** Due, and allowed by the guard. */
    String deletable() {
        return allowed(due());
    }

    /** Expired and allowed: what the sweep finds through the expiry index. */
    String deletableExpired() {
        return allowed(expired());
    }

    /** Matching the extra due condition and allowed. */
    Optional<String> deletableAlsoDue() {
        return alsoDueWhen.map(also -> allowed("(" + also + ")"));
    }

    /** Seconds from the expiry to now(); negative when not expired, -1 when there is no expiry. */
    String lagSeconds() {
        return "COALESCE(EXTRACT(EPOCH FROM (" + now + " - " + expiresColumn + "))::float8, -1)";
    }

    private String allowed(String condition) {
        return condition + guard.map(g -> " AND (" + g + ")").orElse("");
    }
}
