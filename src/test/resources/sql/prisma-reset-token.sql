-- Every statement Lethe runs for target 'reset' (public.PasswordResetToken), exactly as sent. Written by GoldenSqlTest.

-- deleteEventIds
/* lethe:reset:event */
DELETE FROM "public"."PasswordResetToken"
WHERE "id" = ANY($1::text[])
    AND (("expiresAt" <= (now() AT TIME ZONE 'UTC') OR ("usedAt" IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteEventIdsSkipLocked
/* lethe:reset:event-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE "id" = ANY($1::text[])
    AND (("expiresAt" <= (now() AT TIME ZONE 'UTC') OR ("usedAt" IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteLookaheadIds
/* lethe:reset:lookahead */
DELETE FROM "public"."PasswordResetToken"
WHERE "id" = ANY($1::text[])
    AND (("expiresAt" <= (now() AT TIME ZONE 'UTC') OR ("usedAt" IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- deleteLookaheadIdsSkipLocked
/* lethe:reset:lookahead-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE "id" = ANY($1::text[])
    AND (("expiresAt" <= (now() AT TIME ZONE 'UTC') OR ("usedAt" IS NOT NULL))
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- inspectByIds
/* lethe:reset:inspect */
SELECT "id", CASE WHEN ("usedAt" IS NOT NULL) THEN -1e9 ELSE EXTRACT(EPOCH FROM ("expiresAt" - (now() AT TIME ZONE 'UTC')))::float8 END, true
FROM "public"."PasswordResetToken"
WHERE "id" = ANY($1::text[]);

-- sweepExpired
/* lethe:reset:sweep */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  ORDER BY "expiresAt" LIMIT $1)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
  AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredSkipLocked
/* lethe:reset:sweep-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  ORDER BY "expiresAt" LIMIT $1
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredInPages
/* lethe:reset:sweep-pages */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  LIMIT $3)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
  AND ("expiresAt" <= (now() AT TIME ZONE 'UTC')
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepExpiredInPagesSkipLocked
/* lethe:reset:sweep-pages-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expiresAt" <= (now() AT TIME ZONE 'UTC')
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  LIMIT $3
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepAlsoDue
/* lethe:reset:sweep-also-due */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE ("usedAt" IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  LIMIT $1)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
  AND (("usedAt" IS NOT NULL)
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- sweepAlsoDueSkipLocked
/* lethe:reset:sweep-also-due-skip-locked */
WITH picked AS (
  SELECT ctid FROM "public"."PasswordResetToken"
  WHERE ("usedAt" IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'reset' AND paused)
  LIMIT $1
  FOR UPDATE SKIP LOCKED)
DELETE FROM "public"."PasswordResetToken"
WHERE ctid = ANY(ARRAY(SELECT ctid FROM picked))
RETURNING COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - "expiresAt"))::float8, -1);

-- lookaheadSnapshot
/* lethe:reset:lookahead-snapshot */
SELECT pg_snapshot_xmin(pg_current_snapshot())::text, (now() AT TIME ZONE 'UTC') + $1::int8 * interval '1 millisecond';

-- lookahead
/* lethe:reset:lookahead-read */
SELECT "id", EXTRACT(EPOCH FROM ("expiresAt" - (now() AT TIME ZONE 'UTC')))::float8
FROM "public"."PasswordResetToken"
WHERE "expiresAt" > (now() AT TIME ZONE 'UTC')
  AND "expiresAt" <= (now() AT TIME ZONE 'UTC') + $1::int8 * interval '1 millisecond'
  AND ("expiresAt" >= $3 OR age(xmin) <= age($4::text::xid))
ORDER BY "expiresAt" LIMIT $2;

-- backlog
/* lethe:reset:backlog */
SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM ((now() AT TIME ZONE 'UTC') - min(due.e)))::float8, 0)
FROM (SELECT "expiresAt" AS e FROM "public"."PasswordResetToken"
      WHERE "expiresAt" <= (now() AT TIME ZONE 'UTC')
      ORDER BY "expiresAt" LIMIT $1) due;

-- countAlsoDue
/* lethe:reset:count-also-due */
SELECT count(*)::int8
FROM (SELECT 1 FROM "public"."PasswordResetToken"
      WHERE ("usedAt" IS NOT NULL)
        AND NOT COALESCE("expiresAt" <= (now() AT TIME ZONE 'UTC'), false)
      LIMIT $1) due;

-- tableSize
/* lethe:reset:table-size */
SELECT COALESCE(sum(GREATEST(c.reltuples, 0)), 0)::float8,
       COALESCE(max(pg_relation_size(c.oid)), 0) / current_setting('block_size')::int8
FROM pg_class c
WHERE c.relkind IN ('r', 'm')
  AND (c.oid = $1::text::regclass
       OR c.oid IN (SELECT relid FROM pg_partition_tree($1::text::regclass)));
