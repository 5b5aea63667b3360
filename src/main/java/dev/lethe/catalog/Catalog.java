package dev.lethe.catalog;

import static dev.lethe.sql.LetheStatements.CATALOG_COLUMNS;
import static dev.lethe.sql.LetheStatements.CATALOG_LEADING_INDEX_COLUMNS;
import static dev.lethe.sql.LetheStatements.CATALOG_PARTIAL_INDEX_PREDICATES;
import static dev.lethe.sql.LetheStatements.CATALOG_RELATION;
import static dev.lethe.sql.LetheStatements.TIME_ZONE_CHECK;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import dev.lethe.sql.QualifiedName;
import dev.lethe.store.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** Reads what Lethe needs to know about a table from PostgreSQL's catalog. Names always travel as parameters. */
final class Catalog {

    /** A table or partitioned table, found through the search path when unqualified. */
    record Relation(long oid, String schema, String name, boolean canDelete, boolean partitioned) {
    }

    /** @param type the base type's {@code typname}, looking through domains */
    record Column(String name, String type, String displayType) {
    }

    private final Database database;

    Catalog(Database database) {
        this.database = database;
    }

    Uni<Optional<Relation>> relation(QualifiedName table) {
        return database.execute(CATALOG_RELATION, Tuple.of(table.sql()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Relation(row.getLong(0), row.getString(1), row.getString(2),
                            row.getBoolean(3), row.getBoolean(4)));
                });
    }

    Uni<Map<String, Column>> columns(Relation relation, List<String> names) {
        return database.execute(CATALOG_COLUMNS, Tuple.of(relation.oid(), names.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, Column> columns = new HashMap<>();
                    for (Row row : rows) {
                        columns.put(row.getString(0), new Column(row.getString(0), row.getString(1),
                                row.getString(2)));
                    }
                    return columns;
                });
    }

    Uni<Set<String>> leadingIndexColumns(Relation relation) {
        return database.execute(CATALOG_LEADING_INDEX_COLUMNS, Tuple.of(relation.oid()))
                .map(rows -> {
                    Set<String> columns = new TreeSet<>();
                    rows.forEach(row -> columns.add(row.getString(0)));
                    return columns;
                });
    }

    Uni<List<String>> partialIndexPredicates(Relation relation) {
        return database.execute(CATALOG_PARTIAL_INDEX_PREDICATES, Tuple.of(relation.oid()))
                .map(rows -> {
                    List<String> predicates = new java.util.ArrayList<>();
                    rows.forEach(row -> predicates.add(row.getString(0)));
                    return predicates;
                });
    }

    Uni<Void> isKnownTimeZone(String zone) {
        return database.execute(TIME_ZONE_CHECK, Tuple.of(zone)).replaceWithVoid();
    }

    /**
     * Prepares a statement without running it. With SQL's PREPARE inside a transaction, so that it works through a
     * transaction pooler too, where a protocol-level prepare and its close could reach two server sessions.
     */
    Uni<Void> prepare(String sql) {
        return database.transaction(connection -> connection.query("PREPARE lethe_check AS " + sql).execute()
                .chain(() -> connection.query("DEALLOCATE lethe_check").execute()))
                .replaceWithVoid();
    }
}
