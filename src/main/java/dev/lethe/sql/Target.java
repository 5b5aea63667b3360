package dev.lethe.sql;

/**
 * A configured target, resolved against the catalog and ready to use.
 *
 * @param name the target's name, as keys and metrics carry it
 * @param outbox what its deletions leave in Lethe's outbox
 */
public record Target(String name, TableShape shape, IdType idType, OutboxWrites outbox, TargetStatements sql) {

    public Target {
        // The name also ends up in SQL comments and metric labels: only safe characters get this far.
        if (!TargetName.isValid(name)) {
            throw new IllegalArgumentException("invalid target name: " + name);
        }
    }

    public static Target of(String name, TableShape shape, IdType idType) {
        return of(name, shape, idType, OutboxWrites.NONE);
    }

    public static Target of(String name, TableShape shape, IdType idType, OutboxWrites outbox) {
        return new Target(name, shape, idType, outbox, TargetStatements.build(name, shape, idType, outbox));
    }
}
