package dev.lethe.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.lethe.sql.OutboxWrites;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.TableShape;
import io.smallrye.mutiny.Uni;

/**
 * Says which indexes a target lacks for Lethe to stay on index range scans: one leading with the id column (event
 * deletes), one leading with the expiry column (sweep, look-ahead, backlog), and a partial index for the extra due
 * condition. Lethe never creates indexes on the user's tables; it prints the statement to run.
 */
final class IndexAdvisor {

    private final Catalog catalog;

    IndexAdvisor(Catalog catalog) {
        this.catalog = catalog;
    }

    Uni<List<String>> advise(Catalog.Relation relation, String idColumn, String expiresColumn, TableShape shape) {
        return catalog.leadingIndexColumns(relation).chain(leading -> catalog.partialIndexPredicates(relation)
                .map(predicates -> {
                    List<String> advice = new ArrayList<>();
                    if (!leading.contains(idColumn)) {
                        advice.add(missing(shape, "leads with " + shape.idColumn(), "every event delete scans it",
                                "(" + shape.idColumn() + ")"));
                    }
                    if (!leading.contains(expiresColumn)) {
                        advice.add(missing(shape, "leads with " + shape.expiresColumn(), "every sweep scans it",
                                "(" + shape.expiresColumn() + ")"));
                    }
                    Optional<String> alsoDue = shape.alsoDueWhen().map(Predicate::text);
                    if (alsoDue.isPresent() && predicates.stream().noneMatch(p -> sameCondition(p, alsoDue.get()))) {
                        advice.add(missing(shape, "is partial on " + alsoDue.get(),
                                "the sweep for also-due-when rows scans it",
                                "(" + shape.idColumn() + ") WHERE (" + alsoDue.get() + ")"));
                    }
                    return advice;
                }));
    }

    /** A child table of files is read and deleted by its parent column with every deletion of its target. */
    Uni<List<String>> adviseChild(Catalog.Relation relation, String parentColumn, OutboxWrites.ChildFiles files) {
        return catalog.leadingIndexColumns(relation).map(leading -> leading.contains(parentColumn) ? List.of()
                : List.of(missing(files.table().display(), files.table().sql(),
                        "leads with " + files.parentColumn(), "every deletion of its parents scans it",
                        "(" + files.parentColumn() + ")")));
    }

    private static String missing(TableShape shape, String what, String consequence, String definition) {
        return missing(shape.displayName(), shape.table().sql(), what, consequence, definition);
    }

    private static String missing(String displayName, String table, String what, String consequence,
            String definition) {
        return "No index of " + displayName + " " + what + ", so " + consequence + ". Create one with: "
                + "CREATE INDEX CONCURRENTLY ON " + table + " " + definition + ";";
    }

    /** PostgreSQL prints index predicates in its own normal form; compare without quotes, parentheses and case. */
    static boolean sameCondition(String printed, String configured) {
        return normalize(printed).equals(normalize(configured));
    }

    private static String normalize(String condition) {
        return condition.replaceAll("[()\"\\s]", "").toLowerCase(Locale.ROOT);
    }
}
