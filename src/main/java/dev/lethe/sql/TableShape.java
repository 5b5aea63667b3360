package dev.lethe.sql;

import java.util.Optional;

/**
 * A target's table as resolved against the catalog, and the conditions its statements are made of.
 *
 * @param table the schema-qualified table
 * @param zone for a {@code timestamp without time zone} expiry column, the zone it is written in; empty for
 *        {@code timestamptz}
 * @param guard predicate from configuration a row must satisfy to be deleted
 * @param alsoDueWhen predicate from configuration that makes a row due whatever its expiry
 * @param partitioned whether the table is partitioned, so that a row's ctid does not identify it
 */
public record TableShape(QualifiedName table, Identifier idColumn, Identifier expiresColumn, Optional<TimeZoneName> zone,
        Optional<Predicate> guard, Optional<Predicate> alsoDueWhen, boolean partitioned) {

    public TableShape {
        if (table.schema().isEmpty()) {
            throw new IllegalArgumentException("a table shape needs a schema-qualified table");
        }
    }

    /** The database's now() in the expiry column's type. */
    public String now() {
        return zone.map(TimeZoneName::now).orElse("now()");
    }

    /** The table as people read it: {@code public.Message}. */
    public String displayName() {
        return table.display();
    }

    /**
     * How a delete finds again the rows it picked and locked: by their physical address, a direct heap access that
     * costs no second index lookup (a locked row cannot move), or by id where a partitioned table makes addresses
     * ambiguous.
     */
    String locator() {
        return partitioned ? idColumn.sql() : "ctid";
    }

    /** The expiry has passed, by the database's clock (NULL never passes). */
    String expired() {
        return expiresColumn + " <= " + now();
    }

    /** Due: expired, or matching the extra due condition. */
    String due() {
        return alsoDueWhen.map(also -> "(" + expired() + " OR " + also.sql() + ")").orElse(expired());
    }

    /** Seconds from the expiry to now(); negative when not expired, -1 when there is no expiry. */
    String lagSeconds() {
        return "COALESCE(EXTRACT(EPOCH FROM (" + now() + " - " + expiresColumn + "))::float8, -1)";
    }

    /** Seconds from now() to the expiry; negative when expired, NULL when there is no expiry. */
    String secondsUntilDue() {
        return "EXTRACT(EPOCH FROM (" + expiresColumn + " - " + now() + "))::float8";
    }
}
