-- Every statement Lethe runs for target 'message' (public.Message), exactly as sent. Written by GoldenSqlTest.

-- deleteEventIds
/* lethe:message:event */
DELETE FROM "public"."Message"
WHERE "id" = ANY($1::text[])
    AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
         AND (NOT "legalHold")
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteEventIdsSkipLocked
/* lethe:message:event-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE "id" = ANY($1::text[])
    AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
         AND (NOT "legalHold")
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteLookaheadIds
/* lethe:message:lookahead */
DELETE FROM "public"."Message"
WHERE "id" = ANY($1::text[])
    AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
         AND (NOT "legalHold")
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteLookaheadIdsSkipLocked
/* lethe:message:lookahead-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE "id" = ANY($1::text[])
    AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
         AND (NOT "legalHold")
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- inspectByIds
/* lethe:message:inspect */
SELECT "id", EXTRACT(EPOCH FROM ("expiresAt" - (now() AT TIME ZONE 'UTC')))::float8, COALESCE((NOT "legalHold"), false)
FROM "public"."Message"
WHERE "id" = ANY($1::text[]);

-- sweepExpired
/* lethe:message:sweep */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND (NOT "legalHold")
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)
  ORDER BY "expiresAt" LIMIT $1)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
  AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
       AND (NOT "legalHold")
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredSkipLocked
/* lethe:message:sweep-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND (NOT "legalHold")
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)
  ORDER BY "expiresAt" LIMIT $1
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredInPages
/* lethe:message:sweep-pages */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND (NOT "legalHold")
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)
  LIMIT $3)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
  AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
       AND (NOT "legalHold")
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredInPagesSkipLocked
/* lethe:message:sweep-pages-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."Message"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND (NOT "legalHold")
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'message' AND paused)
  LIMIT $3
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."Message"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- lookaheadSnapshot
/* lethe:message:lookahead-snapshot */
SELECT pg_snapshot_xmin(pg_current_snapshot())::text, (now() AT TIME ZONE 'UTC') + $1::int8 * interval '1 millisecond';

-- lookahead
/* lethe:message:lookahead-read */
SELECT "id", EXTRACT(EPOCH FROM ("expiresAt" - (now() AT TIME ZONE 'UTC')))::float8
FROM "public"."Message"
WHERE "expiresAt" > (now() AT TIME ZONE 'UTC')
  AND "expiresAt" <= (now() AT TIME ZONE 'UTC') + $1::int8 * interval '1 millisecond'
  AND ("expiresAt" >= $3 OR age(xmin) <= age($4::text::xid))
ORDER BY "expiresAt" LIMIT $2;

-- backlog
/* lethe:message:backlog */
SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - min(due.e)))::float8, 0)
FROM (SELECT "expiresAt" AS e FROM "public"."Message"
      WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
        AND (NOT "legalHold")
      ORDER BY "expiresAt" LIMIT $1) due;

-- countAlsoDue
/* lethe:message:count-also-due */
SELECT 0::int8 WHERE $1::int4 IS NOT NULL;

-- tableSize
/* lethe:message:table-size */
SELECT COALESCE(sum(GREATEST(c.reltuples, 0)), 0)::float8,
       COALESCE(max(pg_relation_size(c.oid)), 0) / current_setting('block_size')::int8
FROM pg_class c
WHERE c.relkind IN ('r', 'm')
  AND (c.oid = $1::text::regclass
       OR c.oid IN (SELECT relid FROM pg_partition_tree($1::text::regclass)));
