package dev.lethe.catalog;

import java.util.Optional;

import dev.lethe.config.LetheConfig;
import dev.lethe.sql.IdType;
import dev.lethe.sql.Predicate;
import dev.lethe.sql.TimeZoneName;

/**
 * What a target is made of before it is checked against the catalog: read from {@code lethe.targets.<name>.*}, or
 * one of the targets Lethe brings itself.
 */
public record TargetDefinition(String table, String idColumn, Optional<IdType> idType, String expiresColumn,
        TimeZoneName timeZone, Optional<Predicate> guard, Optional<Predicate> alsoDueWhen, Optional<String> blobKeyColumn,
        Files blobs) {

    /** A child table of files, one row per file. */
    public record Files(Optional<String> table, Optional<String> parentColumn, Optional<String> keyColumn) {

        public static final Files NONE = new Files(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** A table with an id column and an expiry column in UTC, and nothing else. */
    public static TargetDefinition of(String table, String idColumn, String expiresColumn) {
        return new TargetDefinition(table, idColumn, Optional.empty(), expiresColumn, new TimeZoneName("UTC"),
                Optional.empty(), Optional.empty(), Optional.empty(), Files.NONE);
    }

    public static TargetDefinition of(LetheConfig.TargetConfig config) {
        return new TargetDefinition(config.table(), config.idColumn(), config.idType(), config.expiresColumn(),
                config.timeZone(), config.guard(), config.alsoDueWhen(), config.blobKeyColumn(),
                new Files(config.blobs().table(), config.blobs().parentColumn(), config.blobs().keyColumn()));
    }

    public TargetDefinition withIdType(IdType type) {
        return new TargetDefinition(table, idColumn, Optional.of(type), expiresColumn, timeZone, guard, alsoDueWhen,
                blobKeyColumn, blobs);
    }
}
