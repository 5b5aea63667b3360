package dev.lethe.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jboss.logging.Logger;

import dev.lethe.sql.IdType;
import dev.lethe.sql.Identifier;
import dev.lethe.sql.OutboxWrites;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.QualifiedName;
import dev.lethe.sql.TableShape;
import dev.lethe.sql.Target;
import dev.lethe.sql.TargetStatements;
import dev.lethe.sql.TimeZoneName;
import dev.lethe.store.Database;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * Turns one {@code lethe.targets.<name>.*} block into a {@link Target}, checking it against the catalog. Every
 * problem is reported as one sentence that names the property to fix.
 */
final class TargetResolver {

    private static final Logger LOG = Logger.getLogger(TargetResolver.class);
    private static final String PREFIX = "lethe.targets.";

    /** A configuration problem, carrying the sentence that names the property. */
    static final class Problem extends RuntimeException {
        Problem(String message) {
            super(message, null, false, false);
        }
    }

    private final Catalog catalog;
    private final IndexAdvisor indexes;
    private final boolean announce;

    /**
     * @param announce whether deletions are announced on a stream (lethe.events.stream)
     */
    TargetResolver(Database database, boolean announce) {
        this.catalog = new Catalog(database);
        this.indexes = new IndexAdvisor(catalog);
        this.announce = announce;
    }

    /** Resolves a target whose definition {@link dev.lethe.config.ConfigRules} has already checked. */
    Uni<Target> resolve(String name, TargetDefinition config) {
        String property = PREFIX + name;
        String tableText = config.table();
        QualifiedName table = QualifiedName.parse(tableText);
        Optional<IdType> idType = config.idType();
        return deletable(property + ".table", tableText, table).chain(relation -> {
            List<String> names = new ArrayList<>(List.of(config.idColumn(), config.expiresColumn()));
            config.blobKeyColumn().ifPresent(names::add);
            return catalog.columns(relation, names)
                    .chain(columns -> shape(property, config, relation, columns, idType));
        });
    }

    /** The table named by a property, which must exist and which Lethe must be allowed to read and delete from. */
    private Uni<Catalog.Relation> deletable(String property, String tableText, QualifiedName table) {
        return catalog.relation(table).chain(relation -> {
            if (relation.isEmpty()) {
                return fail(property + "=" + tableText + ": no such table"
                        + (table.schema().isEmpty() ? " in the search path" : ""));
            }
            if (!relation.get().canDelete()) {
                return fail(property + "=" + tableText + ": the database user lacks SELECT, DELETE, or UPDATE on"
                        + " a column (FOR UPDATE, which locks the rows it deletes, needs it) on it; docs/grants.sql"
                        + " shows the grants");
            }
            return Uni.createFrom().item(relation.get());
        });
    }

    private Uni<Target> shape(String property, TargetDefinition config, Catalog.Relation relation,
            Map<String, Catalog.Column> columns, Optional<IdType> configuredIdType) {
        String where = " of " + relation.schema() + "." + relation.name();
        Catalog.Column id = columns.get(config.idColumn());
        if (id == null) {
            return fail(property + ".id-column=" + config.idColumn() + ": no such column" + where);
        }
        Catalog.Column expires = columns.get(config.expiresColumn());
        if (expires == null) {
            return fail(property + ".expires-column=" + config.expiresColumn() + ": no such column" + where);
        }
        IdType idType;
        if (configuredIdType.isPresent()) {
            idType = configuredIdType.get();
            if (!idType.matchesColumnType(id.type())) {
                return fail(property + ".id-type=" + idType.configName() + " does not match column "
                        + config.idColumn() + where + ", which is " + id.displayType());
            }
        } else {
            Optional<IdType> detected = IdType.forColumnType(id.type());
            if (detected.isEmpty()) {
                return fail(property + ".id-column=" + config.idColumn() + " is " + id.displayType()
                        + "; Lethe matches uuid, smallint/integer/bigint and text/varchar ids");
            }
            idType = detected.get();
        }
        Optional<TimeZoneName> zone;
        Uni<Void> zoneCheck = Uni.createFrom().voidItem();
        switch (expires.type()) {
            case "timestamptz" -> zone = Optional.empty();
            case "timestamp" -> {
                zone = Optional.of(config.timeZone());
                zoneCheck = catalog.isKnownTimeZone(config.timeZone().name())
                        .onFailure(PgException.class).transform(e -> new Problem(property + ".time-zone="
                                + config.timeZone() + " is not a time zone PostgreSQL knows"));
            }
            default -> {
                return fail(property + ".expires-column=" + config.expiresColumn() + " is " + expires.displayType()
                        + "; Lethe needs timestamp with time zone or timestamp");
            }
        }
        TableShape shape = new TableShape(QualifiedName.of(relation.schema(), relation.name()),
                new Identifier(config.idColumn()), new Identifier(config.expiresColumn()),
                zone, config.guard(), config.alsoDueWhen(), relation.partitioned());
        String name = property.substring(PREFIX.length());
        boolean announced = announce && !BuiltInTargets.isBuiltIn(name);
        return zoneCheck
                .chain(() -> checkPredicate(property + ".guard", shape, shape.guard()))
                .chain(() -> checkPredicate(property + ".also-due-when", shape, shape.alsoDueWhen()))
                .chain(() -> outboxWrites(property, config, relation, columns, idType, announced))
                .map(outbox -> Target.of(name, shape, idType, outbox))
                .call(() -> indexes.advise(relation, config.idColumn(), config.expiresColumn(), shape)
                        .invoke(advice -> advice.forEach(LOG::warn)));
    }

    /**
     * What the target's deletions leave in the outbox: where its files are (a column of the row, a child table, or
     * both; checked against the catalog), and whether they are announced.
     */
    private Uni<OutboxWrites> outboxWrites(String property, TargetDefinition config, Catalog.Relation relation,
            Map<String, Catalog.Column> columns, IdType idType, boolean announced) {
        TargetDefinition.Files blobs = config.blobs();
        Optional<Identifier> keyColumn = Optional.empty();
        if (config.blobKeyColumn().isPresent()) {
            String column = config.blobKeyColumn().get();
            Catalog.Column found = columns.get(column);
            if (found == null) {
                return fail(property + ".blob-key-column=" + column + ": no such column of " + relation.schema()
                        + "." + relation.name());
            }
            if (!IdType.TEXT.matchesColumnType(found.type())) {
                return fail(property + ".blob-key-column=" + column + " is " + found.displayType()
                        + "; object keys are text or varchar");
            }
            keyColumn = Optional.of(new Identifier(column));
        }
        Optional<Identifier> inline = keyColumn;
        if (blobs.table().isEmpty()) {
            return Uni.createFrom().item(new OutboxWrites(inline, Optional.empty(), announced));
        }
        return childFiles(property + ".blobs", blobs, idType)
                .map(children -> new OutboxWrites(inline, Optional.of(children), announced));
    }

    private Uni<OutboxWrites.ChildFiles> childFiles(String property, TargetDefinition.Files blobs, IdType idType) {
        String tableText = blobs.table().orElseThrow();
        String parent = blobs.parentColumn().orElseThrow();
        String key = blobs.keyColumn().orElseThrow();
        QualifiedName table = QualifiedName.parse(tableText);
        return deletable(property + ".table", tableText, table).chain(child -> {
            String where = " of " + child.schema() + "." + child.name();
            return catalog.columns(child, List.of(parent, key)).chain(columns -> {
                Catalog.Column parentColumn = columns.get(parent);
                Catalog.Column keyColumn = columns.get(key);
                if (parentColumn == null) {
                    return fail(property + ".parent-column=" + parent + ": no such column" + where);
                }
                if (!idType.matchesColumnType(parentColumn.type())) {
                    return fail(property + ".parent-column=" + parent + where + " is " + parentColumn.displayType()
                            + ", which does not match the target's " + idType.configName() + " id");
                }
                if (keyColumn == null) {
                    return fail(property + ".key-column=" + key + ": no such column" + where);
                }
                if (!IdType.TEXT.matchesColumnType(keyColumn.type())) {
                    return fail(property + ".key-column=" + key + " is " + keyColumn.displayType()
                            + "; object keys are text or varchar");
                }
                OutboxWrites.ChildFiles files = new OutboxWrites.ChildFiles(
                        QualifiedName.of(child.schema(), child.name()), new Identifier(parent), new Identifier(key));
                return indexes.adviseChild(child, parent, files)
                        .invoke(advice -> advice.forEach(LOG::warn))
                        .replaceWith(files);
            });
        });
    }

    private Uni<Void> checkPredicate(String property, TableShape shape, Optional<Predicate> predicate) {
        if (predicate.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // Prepared, never run: a condition is planned against the table without evaluating it on any row.
        return catalog.prepare("SELECT 1 FROM " + shape.table().sql() + " WHERE " + predicate.get().sql())
                .onFailure(PgException.class).transform(e -> new Problem(property + "=" + predicate.get()
                        + " is not a valid predicate on " + shape.displayName() + ": "
                        + ((PgException) e).getErrorMessage()));
    }

    /** Prepares one of Lethe's own statements without running it. */
    Uni<Void> prepare(String statement) {
        return catalog.prepare(statement);
    }

    /** Prepares every statement of a target once, so that a statement the database refuses stops the start. */
    Uni<Void> prepare(Target target) {
        String property = PREFIX + target.name();
        Uni<Void> all = Uni.createFrom().voidItem();
        for (String statement : target.sql().all().values()) {
            all = all.chain(() -> catalog.prepare(statement)
                    .onFailure(PgException.class).transform(e -> new Problem(property + ": Lethe could not prepare "
                            + statement + ": " + ((PgException) e).getErrorMessage())));
        }
        return all;
    }

    private static <T> Uni<T> fail(String message) {
        return Uni.createFrom().failure(new Problem(message));
    }
}
