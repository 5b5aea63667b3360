package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The full text of every statement Lethe sends, its own and for five table shapes, compared verbatim with the files in
 * src/test/resources/sql/: the exact DELETE is readable there at a glance, and every change to it shows in review.
 * After a deliberate change, rewrite them with {@code mvn test -Dtest=GoldenSqlTest -Dlethe.golden.update=true}.
 */
class GoldenSqlTest {

    private static final Path GOLDEN = Path.of("src", "test", "resources", "sql");

    /**
     * The shapes: a plain bigint table; the README's Prisma targets (a message with its guard, a one-time token due
     * once used); a message with files in a column and a child table, its deletions announced; a partitioned table.
     */
    static Target shape(String name) {
        Optional<TimeZoneName> utc = Optional.of(new TimeZoneName("UTC"));
        Optional<Predicate> legalHold = Optional.of(new Predicate("NOT \"legalHold\""));
        return switch (name) {
            case "plain-bigint" -> Target.of("refresh", new TableShape(QualifiedName.of("public", "refresh_tokens"),
                    new Identifier("id"), new Identifier("expires_at"), Optional.empty(), Optional.empty(),
                    Optional.empty(), false), IdType.BIGINT);
            case "prisma-message" -> Target.of("message", new TableShape(QualifiedName.of("public", "Message"),
                    new Identifier("id"), new Identifier("expiresAt"), utc, legalHold, Optional.empty(), false),
                    IdType.TEXT);
            case "prisma-reset-token" -> Target.of("reset", new TableShape(
                    QualifiedName.of("public", "PasswordResetToken"), new Identifier("id"),
                    new Identifier("expiresAt"), utc, Optional.empty(),
                    Optional.of(new Predicate("\"usedAt\" IS NOT NULL")), false), IdType.TEXT);
            case "prisma-message-files" -> Target.of("message", new TableShape(QualifiedName.of("public", "Message"),
                    new Identifier("id"), new Identifier("expiresAt"), utc, legalHold, Optional.empty(), false),
                    IdType.TEXT, new OutboxWrites(Optional.of(new Identifier("attachmentKey")), Optional.of(
                            new OutboxWrites.ChildFiles(QualifiedName.of("public", "Attachment"),
                                    new Identifier("messageId"), new Identifier("objectKey"))), true));
            case "partitioned" -> Target.of("events", new TableShape(QualifiedName.of("chat", "event_log"),
                    new Identifier("id"), new Identifier("expires_at"), Optional.empty(), Optional.empty(),
                    Optional.empty(), true), IdType.TEXT);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static String render(Target target) {
        return render("-- Every statement Lethe runs for target '" + target.name() + "' ("
                + target.shape().displayName() + "), exactly as sent. Written by GoldenSqlTest.\n",
                target.sql().all());
    }

    private static String render(String heading, Map<String, String> statements) {
        StringBuilder text = new StringBuilder(heading);
        statements.forEach((name, statement) -> text.append("\n-- ").append(name).append('\n').append(statement)
                .append(";\n"));
        return text.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain-bigint", "prisma-message", "prisma-reset-token", "prisma-message-files",
        "partitioned"})
    void everyStatementMatchesItsGoldenFile(String name) throws IOException {
        assertGolden(name, render(shape(name)));
    }

    @Test
    void everyStatementOnLethesOwnSchemaAndTheCatalogMatchesItsGoldenFile() throws IOException {
        assertGolden("lethe", render("-- Every statement Lethe runs on its own schema and on PostgreSQL's catalog,"
                + " exactly as sent. Written by GoldenSqlTest.\n", LetheStatements.all()));
    }

    private static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name + ".sql");
        if (Boolean.getBoolean("lethe.golden.update")) {
            Files.writeString(file, actual, StandardCharsets.UTF_8);
        }
        assertThat(actual).as("the statements of %s differ from %s; if the change is meant, rerun with "
                + "-Dlethe.golden.update=true and review the diff", name, file)
                .isEqualTo(Files.readString(file, StandardCharsets.UTF_8));
    }
}
