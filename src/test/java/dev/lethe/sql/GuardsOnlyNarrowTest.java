package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.lethe.testsupport.client.Sql;

/**
 * Every guard the scanner lets through, however it plays with parentheses and quotes, runs in every delete Lethe
 * sends against a real table without deleting a row that is not due: rows without an expiry and rows due tomorrow
 * stay. (A guard that could reach outside its parentheses, {@code true) OR (true}, deleted them all.)
 */
class GuardsOnlyNarrowTest {

    private static final String DATABASE = "lethe_test_guards";
    private static Sql sql;

    @BeforeAll
    static void createTable() {
        sql = Sql.createDatabase(DATABASE);
        sql.execute("CREATE SCHEMA lethe",
                "CREATE TABLE lethe.target_state (target text PRIMARY KEY, paused boolean NOT NULL)",
                "CREATE TABLE \"Message\" (\"id\" uuid PRIMARY KEY, \"expiresAt\" timestamp(3),"
                        + " \"legalHold\" boolean NOT NULL DEFAULT false, \"body\" text NOT NULL DEFAULT 'x',"
                        + " \"odd)\"\"name\" text, a$b text)",
                "CREATE TABLE \"LegalHold\" (\"messageId\" uuid)");
    }

    @AfterAll
    static void dropDatabase() {
        Sql.dropDatabase(DATABASE);
    }

    /** Five rows without expiry, five due tomorrow, five due an hour ago. */
    @BeforeEach
    void rows() {
        sql.execute("TRUNCATE \"Message\"",
                "INSERT INTO \"Message\" (\"id\", \"expiresAt\") SELECT gen_random_uuid(), NULL FROM generate_series(1, 5)",
                "INSERT INTO \"Message\" (\"id\", \"expiresAt\") SELECT gen_random_uuid(),"
                        + " now() AT TIME ZONE 'UTC' + interval '1 day' FROM generate_series(1, 5)",
                "INSERT INTO \"Message\" (\"id\", \"expiresAt\") SELECT gen_random_uuid(),"
                        + " now() AT TIME ZONE 'UTC' - interval '1 hour' FROM generate_series(1, 5)");
    }

    @Test
    void noAcceptedGuardDeletesARowThatIsNotDue() {
        for (String guard : PredicateTest.HARMLESS) {
            rows();
            TargetStatements statements = Target.of("message", new TableShape(QualifiedName.of("public", "Message"),
                    new Identifier("id"), new Identifier("expiresAt"), Optional.of(new TimeZoneName("UTC")),
                    Optional.of(new Predicate(guard)), Optional.empty(), false), IdType.UUID).sql();
            String everyId = "'{" + String.join(",", sql.column("SELECT \"id\"::text FROM \"Message\"").stream()
                    .map(String::valueOf).toList()) + "}'::uuid[]";
            for (DeleteSql delete : new DeleteSql[] {statements.deleteEventIds(), statements.deleteLookaheadIds()}) {
                for (String statement : new String[] {delete.first(), delete.skipLocked()}) {
                    sql.execute("PREPARE s AS " + statement, "EXECUTE s(" + everyId + ")", "DEALLOCATE s");
                }
            }
            for (DeleteSql delete : new DeleteSql[] {statements.sweepExpired()}) {
                for (String statement : new String[] {delete.first(), delete.skipLocked()}) {
                    sql.execute("PREPARE s AS " + statement, "EXECUTE s(100000)", "DEALLOCATE s");
                }
            }
            for (String statement : new String[] {statements.sweepExpiredInPages().first(),
                    statements.sweepExpiredInPages().skipLocked()}) {
                sql.execute("PREPARE s AS " + statement, "EXECUTE s(0, 1000000, 100000)", "DEALLOCATE s");
            }
            assertThat(sql.count("SELECT count(*) FROM \"Message\" WHERE \"expiresAt\" IS NULL"
                    + " OR \"expiresAt\" > now() AT TIME ZONE 'UTC'"))
                    .as("rows not due, after every delete with the guard " + guard).isEqualTo(10);
        }
    }
}
