package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full text of every statement Lethe builds, for three table shapes, compared verbatim with the files in
 * src/test/resources/sql/: the exact DELETE is readable there at a glance, and every change to it shows in review.
 * After a deliberate change, rewrite them with {@code mvn test -Dtest=GoldenSqlTest -Dlethe.golden.update=true}.
 */
class GoldenSqlTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "sql");

    /** Three shapes: a plain bigint table; a Prisma model with everything; a partitioned table. */
    static Target shape(String name) {
        return switch (name) {
            case "plain-bigint" -> Target.of("refresh", new TableShape(QualifiedName.of("public", "refresh_tokens"),
                    new Identifier("id"), new Identifier("expires_at"), Optional.empty(), Optional.empty(),
                    Optional.empty(), false), IdType.BIGINT);
            case "prisma-message" -> Target.of("message", new TableShape(QualifiedName.of("public", "Message"),
                    new Identifier("id"), new Identifier("expiresAt"), Optional.of(new TimeZoneName("UTC")),
                    Optional.of(new Predicate("NOT \"legalHold\"")),
                    Optional.of(new Predicate("\"readOnce\" AND \"readAt\" IS NOT NULL")), false),
                    IdType.UUID, new OutboxWrites(Optional.of(new Identifier("attachmentKey")), Optional.of(
                            new OutboxWrites.ChildFiles(QualifiedName.of("public", "Attachment"),
                                    new Identifier("messageId"), new Identifier("objectKey"))), true));
            case "partitioned" -> Target.of("events", new TableShape(QualifiedName.of("chat", "event_log"),
                    new Identifier("id"), new Identifier("expires_at"), Optional.empty(), Optional.empty(),
                    Optional.empty(), true), IdType.TEXT);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static String render(Target target) {
        TargetStatements sql = target.sql();
        Map<String, String> statements = new LinkedHashMap<>();
        statements.put("deleteEventIds", sql.deleteEventIds());
        statements.put("deleteDueIds", sql.deleteDueIds());
        statements.put("inspectByIds", sql.inspectByIds());
        statements.put("sweepExpired", sql.sweepExpired());
        statements.put("sweepExpiredInPages", sql.sweepExpiredInPages());
        sql.sweepAlsoDue().ifPresent(statement -> statements.put("sweepAlsoDue", statement));
        statements.put("lookaheadSnapshot", sql.lookaheadSnapshot());
        statements.put("lookahead", sql.lookahead());
        statements.put("backlog", sql.backlog());
        statements.put("countAlsoDue", sql.countAlsoDue());
        statements.put("tableSize", sql.tableSize());
        StringBuilder text = new StringBuilder("-- Every statement Lethe runs for target '" + target.name() + "' ("
                + target.shape().displayName() + "), exactly as sent. Written by GoldenSqlTest.\n");
        statements.forEach((name, statement) -> text.append("\n-- ").append(name).append('\n').append(statement)
                .append(";\n"));
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-bigint", "prisma-message", "partitioned"})
    void everyStatementMatchesItsGoldenFile(String name) throws IOException {
        String actual = render(shape(name));
        Path file = GOLDEN.resolve(name + ".sql");
        if (Boolean.getBoolean("lethe.golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("the statements of %s differ from %s; if the change is meant, rerun with "
                + "-Dlethe.golden.update=true and review the diff", name, file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
