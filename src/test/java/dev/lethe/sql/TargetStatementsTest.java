package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/**
 * What the statements must do whatever their exact text (which the golden files in src/test/resources/sql/ show):
 * bind values instead of splicing them, honour pauses, and say what they are for.
 */
class TargetStatementsTest {

    private static final TargetStatements MESSAGE = GoldenSqlTest.shape("prisma-message-files").sql();
    private static final TargetStatements RESET = GoldenSqlTest.shape("prisma-reset-token").sql();
    private static final TargetStatements PLAIN = GoldenSqlTest.shape("plain-bigint").sql();
    private static final TargetStatements PARTITIONED = GoldenSqlTest.shape("partitioned").sql();
    private static final String NOT_PAUSED = "NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message'"
            + " AND paused)";

    @Test
    void idsTravelAsOneTypedArrayParameter() {
        assertThat(MESSAGE.deleteEventIds().first()).contains("= ANY($1::text[])").doesNotContain("$2");
        assertThat(MESSAGE.deleteEventIds().skipLocked()).contains("= ANY($1::text[])").doesNotContain("$2");
        assertThat(PLAIN.deleteEventIds().first()).contains("= ANY($1::int8[])");
        assertThat(PARTITIONED.inspectByIds()).contains("= ANY($1::text[])");
    }

    @Test
    void everyDeleteWaitsBrieflyOrSkipsLockedRowsAndHonoursAPause() {
        for (DeleteSql delete : new DeleteSql[] {MESSAGE.deleteEventIds(), MESSAGE.deleteLookaheadIds(),
                MESSAGE.sweepExpired(), MESSAGE.sweepExpiredInPages(), RESET.sweepAlsoDue().orElseThrow()}) {
            assertThat(delete.first()).doesNotContain("FOR UPDATE")
                    .contains("(SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL").contains("paused)");
            assertThat(delete.skipLocked()).contains("FOR UPDATE SKIP LOCKED").doesNotContain("lock_timeout")
                    .contains("paused)");
        }
        assertThat(MESSAGE.sweepExpired().first()).contains(NOT_PAUSED);
        assertThat(RESET.sweepAlsoDue().orElseThrow().first()).contains(NOT_PAUSED.replace("'message'", "'reset'"));
    }

    @Test
    void withoutLockingFirstEveryConditionIsCheckedAgainWhereNoIndexCanServeIt() {
        assertThat(PLAIN.sweepExpired().first())
                .contains("WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))\n  AND (\"expires_at\" <= now()")
                .contains(") IS TRUE\n  AND (SELECT set_config(");
        assertThat(PLAIN.deleteEventIds().first()).doesNotContain("picked").contains(") IS TRUE\n  AND (SELECT");
    }

    @Test
    void pausedTargetKeepsItsBacklogVisible() {
        assertThat(MESSAGE.backlog()).doesNotContain("target_state");
        assertThat(MESSAGE.lookahead()).doesNotContain("target_state");
    }

    @Test
    void partitionedTableIsDeletedByIdWithEveryConditionCheckedAgain() {
        assertThat(PARTITIONED.sweepExpired().skipLocked()).doesNotContain("ctid")
                .contains("WHERE \"id\" = ANY(ARRAY(SELECT \"id\" FROM picked))\n  AND \"expires_at\" <= now()");
        assertThat(PLAIN.sweepExpired().skipLocked())
                .contains("WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))\nRETURNING");
    }

    @Test
    void withoutFilesOrAnnouncementsNoOutboxIsWritten() {
        assertThat(PLAIN.deleteEventIds().first()).doesNotContain("outbox");
        assertThat(PLAIN.sweepExpired().skipLocked()).doesNotContain("outbox");
        assertThat(MESSAGE.sweepExpired().first()).contains("INSERT INTO lethe.outbox");
        assertThat(MESSAGE.sweepExpired().skipLocked()).contains("INSERT INTO lethe.outbox");
    }

    @Test
    void extraDueConditionWidensDueButNotTheGuard() {
        TargetStatements guarded = Target.of("reset", new TableShape(QualifiedName.of("public", "PasswordResetToken"),
                new Identifier("id"), new Identifier("expiresAt"), Optional.of(new TimeZoneName("UTC")),
                Optional.of(new Predicate("NOT \"onHold\"")), Optional.of(new Predicate("\"usedAt\" IS NOT NULL")),
                false), IdType.TEXT).sql();
        assertThat(guarded.deleteEventIds().first())
                .contains("(\"expiresAt\" <= (now() AT TIME ZONE 'UTC') OR (\"usedAt\""
                        + " IS NOT NULL))\n         AND (NOT \"onHold\")");
        assertThat(RESET.sweepExpired().first()).doesNotContain("usedAt");
        assertThat(PLAIN.sweepAlsoDue()).isEmpty();
        assertThat(PLAIN.countAlsoDue()).endsWith("SELECT 0::int8 WHERE $1::int4 IS NOT NULL");
    }

    @Test
    void everyStatementSaysWhatItIsForInPgStatActivity() {
        assertThat(MESSAGE.deleteEventIds().first()).startsWith("/* lethe:message:event */\n");
        assertThat(MESSAGE.deleteEventIds().skipLocked()).startsWith("/* lethe:message:event-skip-locked */\n");
        assertThat(MESSAGE.deleteLookaheadIds().first()).startsWith("/* lethe:message:lookahead */\n");
        assertThat(MESSAGE.sweepExpired().first()).startsWith("/* lethe:message:sweep */\n");
        assertThat(MESSAGE.lookahead()).startsWith("/* lethe:message:lookahead-read */\n");
        assertThat(MESSAGE.backlog()).startsWith("/* lethe:message:backlog */\n");
        assertThat(MESSAGE.inspectByIds()).startsWith("/* lethe:message:inspect */\n");
    }
}
