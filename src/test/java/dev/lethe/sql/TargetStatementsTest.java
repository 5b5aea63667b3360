package dev.lethe.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TargetStatementsTest {

    private static final String NOT_PAUSED =
            " AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'session' AND paused)";

    private static final TableShape PRISMA = new TableShape("\"public\".\"SessionKey\"", "public.SessionKey", "\"id\"",
            "\"expiresAt\"", "(now() AT TIME ZONE 'UTC')", Optional.of("NOT \"legalHold\""), Optional.empty(), false);

    @Test
    void deleteBindsTheIdsAsOneTypedArray() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID);
        assertThat(sql.deleteEventIds()).contains("= ANY($1::uuid[])").doesNotContain("$2");
    }

    @Test
    void rowsArePickedWhenDueAndAllowedLockedThenDeletedByAddress() {
        String delete = TargetStatements.build("session", PRISMA, IdType.UUID).deleteEventIds();
        assertThat(delete).contains("WHERE \"id\" = ANY($1::uuid[]) AND (\"expiresAt\" <= (now() AT TIME ZONE 'UTC')"
                + " AND (NOT \"legalHold\")" + NOT_PAUSED + ") IS TRUE FOR UPDATE SKIP LOCKED)");
        assertThat(delete).contains("DELETE FROM \"public\".\"SessionKey\" WHERE ctid = ANY(ARRAY(SELECT ctid FROM"
                + " picked)) RETURNING");
    }

    @Test
    void partitionedTableIsDeletedByIdWithEveryConditionCheckedAgain() {
        TableShape partitioned = new TableShape("\"public\".\"Message\"", "public.Message", "\"id\"",
                "\"expiresAt\"", "now()", Optional.of("NOT \"legalHold\""), Optional.empty(), true);
        String delete = TargetStatements.build("message", partitioned, IdType.UUID).sweepExpired();
        assertThat(delete).contains("SELECT \"id\" FROM").doesNotContain("ctid")
                .contains("WHERE \"id\" = ANY(ARRAY(SELECT \"id\" FROM picked)) AND \"expiresAt\" <= now()"
                        + " AND (NOT \"legalHold\")" + " AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE"
                        + " target = 'message' AND paused) RETURNING");
    }

    @Test
    void lagIsMeasuredAgainstTheDatabaseClock() {
        assertThat(TargetStatements.build("session", PRISMA, IdType.TEXT).deleteEventIds())
                .contains("RETURNING \"id\", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - \"expiresAt\"))"
                        + "::float8, -1)");
    }

    @Test
    void withoutGuardEveryRowIsAllowed() {
        TableShape plain = new TableShape("\"public\".\"refresh_tokens\"", "public.refresh_tokens", "\"id\"",
                "\"expires_at\"", "now()", Optional.of("  "), Optional.empty(), false);
        TargetStatements sql = TargetStatements.build("refresh", plain, IdType.BIGINT);
        assertThat(sql.deleteEventIds()).contains("$1::int8[]").doesNotContain("AND ()");
        assertThat(sql.inspectByIds()).contains(", true FROM");
    }

    @Test
    void sweepPicksOldestFirstThroughTheExpiryIndexWithABoundLimit() {
        String sweep = TargetStatements.build("session", PRISMA, IdType.UUID).sweepExpired();
        assertThat(sweep).contains("WHERE \"expiresAt\" <= (now() AT TIME ZONE 'UTC') AND (NOT \"legalHold\")"
                + NOT_PAUSED + " ORDER BY \"expiresAt\" LIMIT $1 FOR UPDATE SKIP LOCKED");
    }

    @Test
    void extraDueConditionWidensDueButNotTheGuard() {
        TableShape tokens = new TableShape("\"public\".\"password_reset_tokens\"", "public.password_reset_tokens",
                "\"id\"", "\"expires_at\"", "now()", Optional.of("NOT protected"), Optional.of("used_at IS NOT NULL"), false);
        TargetStatements sql = TargetStatements.build("reset", tokens, IdType.UUID);
        assertThat(sql.deleteEventIds()).contains(
                "(\"expires_at\" <= now() OR (used_at IS NOT NULL)) AND (NOT protected)");
        assertThat(sql.sweepAlsoDue()).hasValueSatisfying(alsoDue -> assertThat(alsoDue)
                .contains("WHERE (used_at IS NOT NULL) AND (NOT protected) AND NOT EXISTS (SELECT 1 FROM"
                        + " lethe.target_state WHERE target = 'reset' AND paused) LIMIT $1 FOR UPDATE SKIP LOCKED"));
        assertThat(sql.sweepExpired()).doesNotContain("used_at");
        assertThat(sql.inspectByIds()).contains("CASE WHEN (used_at IS NOT NULL) THEN " + TargetStatements.ALWAYS_DUE);
    }

    @Test
    void lookaheadAndBacklogBindTheirWindowAndLimits() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID);
        assertThat(sql.lookahead()).contains("\"expiresAt\" > (now() AT TIME ZONE 'UTC')")
                .contains("$1::int8 * interval '1 millisecond'").contains("ORDER BY \"expiresAt\" LIMIT $2");
        assertThat(sql.backlog()).contains("ORDER BY \"expiresAt\" LIMIT $1) due");
        assertThat(TargetStatements.build("session", PRISMA, IdType.UUID).sweepAlsoDue()).isEmpty();
    }

    @Test
    void everyStatementSaysWhatItIsForInPgStatActivity() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID);
        assertThat(sql.deleteEventIds()).startsWith("/* lethe:session:event */ WITH picked");
        assertThat(sql.deleteDueIds()).startsWith("/* lethe:session:lookahead */ WITH picked")
                .endsWith(sql.deleteEventIds().substring("/* lethe:session:event */".length()));
        assertThat(sql.sweepExpired()).startsWith("/* lethe:session:sweep */");
        assertThat(sql.lookahead()).startsWith("/* lethe:session:lookahead-read */");
        assertThat(sql.backlog()).startsWith("/* lethe:session:backlog */");
        assertThat(sql.inspectByIds()).startsWith("/* lethe:session:inspect */");
    }

    @Test
    void pausedTargetDeletesNothingButItsBacklogStaysVisible() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID);
        assertThat(sql.deleteEventIds()).contains(NOT_PAUSED);
        assertThat(sql.deleteDueIds()).contains(NOT_PAUSED);
        assertThat(sql.sweepExpired()).contains(NOT_PAUSED);
        assertThat(sql.backlog()).doesNotContain("target_state");
        assertThat(sql.lookahead()).doesNotContain("target_state");
    }

    @Test
    void withoutFilesOrAnnouncementsNoOutboxIsWritten() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID);
        assertThat(sql.deleteEventIds()).doesNotContain("outbox");
        assertThat(sql.sweepExpired()).doesNotContain("outbox");
    }

    @Test
    void deletionWritesTheKeysOfItsFilesAndItsAnnouncementInTheSameStatement() {
        OutboxWrites outbox = new OutboxWrites(Optional.of("\"attachmentKey\""), Optional.of(
                new OutboxWrites.ChildFiles("\"public\".\"Attachment\"", "\"messageId\"", "\"objectKey\"")), true);
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID, outbox);
        String event = sql.deleteEventIds();
        assertThat(event).contains("deleted AS (DELETE FROM \"public\".\"SessionKey\" WHERE ctid = ANY(ARRAY(SELECT"
                + " ctid FROM picked)) RETURNING \"id\" AS r0, COALESCE(")
                .contains("\"id\" AS row_id, \"attachmentKey\" AS blob_key)")
                .contains("children AS (DELETE FROM \"public\".\"Attachment\" WHERE \"messageId\" = ANY(ARRAY(SELECT"
                        + " row_id FROM deleted)) RETURNING \"messageId\" AS row_id, \"objectKey\" AS blob_key)")
                .contains("outboxed AS (INSERT INTO lethe.outbox (kind, target, row_id, blob_key, source) SELECT"
                        + " 'blob', 'session', row_id::text, blob_key::text, 'event' FROM deleted WHERE blob_key IS"
                        + " NOT NULL AND blob_key::text <> '' UNION ALL SELECT 'blob', 'session'")
                .contains("UNION ALL SELECT 'event', 'session', row_id::text, NULL, 'event' FROM deleted)")
                .endsWith(") SELECT r0, r1 FROM deleted");
        assertThat(sql.deleteDueIds()).contains("'sweep' FROM deleted").doesNotContain("'event' FROM");
        assertThat(sql.sweepExpired()).endsWith(") SELECT r0 FROM deleted");
    }

    @Test
    void announcementsAloneWriteOneOutboxRowPerDeletedRow() {
        TargetStatements sql = TargetStatements.build("session", PRISMA, IdType.UUID,
                new OutboxWrites(Optional.empty(), Optional.empty(), true));
        assertThat(sql.sweepExpired()).contains("(kind, target, row_id, blob_key, source) SELECT 'event', 'session',"
                + " row_id::text, NULL, 'sweep' FROM deleted)").doesNotContain("'blob'").doesNotContain("children");
    }
}
