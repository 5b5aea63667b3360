-- Every statement Lethe runs for target 'events' (chat.event_log), exactly as sent. Written by GoldenSqlTest.

-- deleteEventIds
/* lethe:events:event */
DELETE FROM "chat"."event_log"
WHERE "id" = ANY($1::text[])
    AND ("expires_at" <= now()
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- deleteEventIdsSkipLocked
/* lethe:events:event-skip-locked */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE "id" = ANY($1::text[])
    AND ("expires_at" <= now()
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND "expires_at" <= now()
  AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- deleteLookaheadIds
/* lethe:events:lookahead */
DELETE FROM "chat"."event_log"
WHERE "id" = ANY($1::text[])
    AND ("expires_at" <= now()
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- deleteLookaheadIdsSkipLocked
/* lethe:events:lookahead-skip-locked */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE "id" = ANY($1::text[])
    AND ("expires_at" <= now()
         AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  FOR UPDATE SKIP LOCKED)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND "expires_at" <= now()
  AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
RETURNING "id", COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- inspectByIds
/* lethe:events:inspect */
SELECT "id", EXTRACT(EPOCH FROM ("expires_at" - now()))::float8, true
FROM "chat"."event_log"
WHERE "id" = ANY($1::text[]);

-- sweepExpired
/* lethe:events:sweep */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE "expires_at" <= now()
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
  ORDER BY "expires_at" LIMIT $1)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND ("expires_at" <= now()
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- sweepExpiredSkipLocked
/* lethe:events:sweep-skip-locked */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE "expires_at" <= now()
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
  ORDER BY "expires_at" LIMIT $1
  FOR UPDATE SKIP LOCKED)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND "expires_at" <= now()
  AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
RETURNING COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- sweepExpiredInPages
/* lethe:events:sweep-pages */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expires_at" <= now()
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
  LIMIT $3)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND ("expires_at" <= now()
       AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)) IS TRUE
  AND (SELECT set_config('lock_timeout', '50ms', true)) IS NOT NULL
RETURNING COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- sweepExpiredInPagesSkipLocked
/* lethe:events:sweep-pages-skip-locked */
WITH picked AS (
  SELECT "id" FROM "chat"."event_log"
  WHERE ctid >= format('(%s,0)', $1::int8)::tid
    AND ctid < format('(%s,0)', $2::int8)::tid
    AND "expires_at" <= now()
    AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
  LIMIT $3
  FOR UPDATE SKIP LOCKED)
DELETE FROM "chat"."event_log"
WHERE "id" = ANY(ARRAY(SELECT "id" FROM picked))
  AND "expires_at" <= now()
  AND NOT EXISTS (SELECT 1 FROM lethe.target_state WHERE target = 'events' AND paused)
RETURNING COALESCE(EXTRACT(EPOCH FROM (now() - "expires_at"))::float8, -1);

-- lookaheadSnapshot
/* lethe:events:lookahead-snapshot */
SELECT pg_snapshot_xmin(pg_current_snapshot())::text, now() + $1::int8 * interval '1 millisecond';

-- lookahead
/* lethe:events:lookahead-read */
SELECT "id", EXTRACT(EPOCH FROM ("expires_at" - now()))::float8
FROM "chat"."event_log"
WHERE "expires_at" > now()
  AND "expires_at" <= now() + $1::int8 * interval '1 millisecond'
  AND ("expires_at" >= $3 OR age(xmin) <= age($4::text::xid))
ORDER BY "expires_at" LIMIT $2;

-- backlog
/* lethe:events:backlog */
SELECT count(*)::int8, COALESCE(EXTRACT(EPOCH FROM (now() - min(due.e)))::float8, 0)
FROM (SELECT "expires_at" AS e FROM "chat"."event_log"
      WHERE "expires_at" <= now()
      ORDER BY "expires_at" LIMIT $1) due;

-- countAlsoDue
/* lethe:events:count-also-due */
SELECT 0::int8 WHERE $1::int4 IS NOT NULL;

-- tableSize
/* lethe:events:table-size */
SELECT COALESCE(sum(GREATEST(c.reltuples, 0)), 0)::float8,
       COALESCE(max(pg_relation_size(c.oid)), 0) / current_setting('block_size')::int8
FROM pg_class c
WHERE c.relkind IN ('r', 'm')
  AND (c.oid = $1::text::regclass
       OR c.oid IN (SELECT relid FROM pg_partition_tree($1::text::regclass)));
