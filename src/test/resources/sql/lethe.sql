-- Every statement Lethe runs on its own schema and on PostgreSQL's catalog, exactly as sent. Written by GoldenSqlTest.

-- probe
SELECT 1;

-- backend-pid
SELECT pg_backend_pid();

-- time-zone-check
SELECT now() AT TIME ZONE $1;

-- catalog-relation
SELECT c.oid::int8, n.nspname::text, c.relname::text,
       has_table_privilege(c.oid, 'SELECT') AND has_table_privilege(c.oid, 'DELETE')
         AND has_any_column_privilege(c.oid, 'UPDATE'),
       c.relkind = 'p'
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.oid = to_regclass($1) AND c.relkind IN ('r', 'p');

-- catalog-columns
SELECT a.attname::text, COALESCE(b.typname, t.typname)::text, format_type(a.atttypid, a.atttypmod)
FROM pg_attribute a
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_type b ON b.oid = t.typbasetype
WHERE a.attrelid = $1::int8::oid AND a.attnum > 0 AND NOT a.attisdropped
  AND a.attname = ANY($2::text[]);

-- catalog-leading-index-columns
SELECT DISTINCT a.attname::text
FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
WHERE i.indrelid = $1::int8::oid AND i.indisvalid;

-- catalog-partial-index-predicates
SELECT pg_get_expr(i.indpred, i.indrelid)
FROM pg_index i
WHERE i.indrelid = $1::int8::oid AND i.indisvalid AND i.indpred IS NOT NULL;

-- schema-exists
SELECT to_regclass('lethe.schema_version') IS NOT NULL;

-- schema-version
SELECT COALESCE(max(version), 0) FROM lethe.schema_version;

-- schema-lock
SELECT pg_advisory_xact_lock(1279611976, -1);

-- lease-heartbeat
/* lethe:coordination:heartbeat */
WITH me AS (
  INSERT INTO lethe.instances (id, host, expires_at)
  VALUES ($1, $2, now() + $3::int8 * interval '1 millisecond')
  ON CONFLICT (id) DO UPDATE SET expires_at = EXCLUDED.expires_at),
forgotten AS (
  DELETE FROM lethe.instances WHERE expires_at < now() - interval '1 hour')
SELECT (SELECT count(*) FROM lethe.instances WHERE expires_at > now() AND id <> $1)::int4,
       l.target, l.owner, EXTRACT(EPOCH FROM (l.expires_at - now()))::float8
FROM lethe.leases l
WHERE l.target = ANY($4::text[]);

-- lease-claim
/* lethe:coordination:claim */
WITH released AS (
  UPDATE lethe.leases SET owner = NULL, expires_at = now()
  WHERE target = ANY($3::text[]) AND owner = $1)
UPDATE lethe.leases
SET owner = $1, expires_at = now() + $4::int8 * interval '1 millisecond',
    acquired_at = CASE WHEN owner = $1 THEN acquired_at ELSE now() END
WHERE target = ANY($2::text[]) AND (owner = $1 OR owner IS NULL OR expires_at <= now())
RETURNING target;

-- lease-create
INSERT INTO lethe.leases (target) SELECT unnest($1::text[]) ON CONFLICT (target) DO NOTHING;

-- lease-resign
/* lethe:coordination:resign */
WITH released AS (
  UPDATE lethe.leases SET owner = NULL, expires_at = now() WHERE owner = $1)
DELETE FROM lethe.instances WHERE id = $1;

-- pause-paused
SELECT target FROM lethe.target_state WHERE paused;

-- pause-states
SELECT target, paused, changed_at, changed_by FROM lethe.target_state;

-- pause-set
INSERT INTO lethe.target_state (target, paused, changed_at, changed_by) VALUES ($1, $2, now(), $3)
ON CONFLICT (target) DO UPDATE
SET paused = EXCLUDED.paused, changed_at = EXCLUDED.changed_at, changed_by = EXCLUDED.changed_by;

-- key-authenticate
UPDATE lethe.api_keys SET last_used_at = GREATEST(now(), COALESCE(last_used_at, now()))
WHERE key_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())
RETURNING id, name, scopes, key_hash;

-- key-create
INSERT INTO lethe.api_keys (id, name, key_hash, expires_at, scopes) VALUES ($1, $2, $3, $4, $5)
RETURNING created_at, expires_at;

-- key-list
SELECT id, name, scopes, created_at, last_used_at, expires_at, revoked_at FROM lethe.api_keys
ORDER BY created_at, id;

-- key-revoke
UPDATE lethe.api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING name;

-- outbox-claim
/* lethe:outbox:claim */
UPDATE lethe.outbox
SET attempts = attempts + 1, not_before = now() + $3::int8 * interval '1 millisecond'
WHERE id = ANY(ARRAY(SELECT id FROM lethe.outbox
                     WHERE kind = $1 AND not_before <= now()
                     ORDER BY not_before LIMIT $2
                     FOR UPDATE SKIP LOCKED))
RETURNING id, target, row_id, blob_key, source, deleted_at;

-- outbox-delivered
/* lethe:outbox:delivered */
DELETE FROM lethe.outbox WHERE id = ANY($1::int8[]);

-- outbox-failed
/* lethe:outbox:failed */
UPDATE lethe.outbox
SET not_before = CASE WHEN attempts >= $5 THEN 'infinity'::timestamptz
                      ELSE now() + LEAST($3::int8, $2::int8 * (2 ^ LEAST(attempts - 1, 30))::int8)
                                   * interval '1 millisecond' END,
    last_error = left($4, 1000)
WHERE id = ANY($1::int8[])
RETURNING attempts >= $5;

-- outbox-measure
/* lethe:outbox:measure */
SELECT (SELECT count(*) FROM (SELECT 1 FROM lethe.outbox WHERE kind = $1 LIMIT $2) due)::int8,
       COALESCE(EXTRACT(EPOCH FROM now()
           - (SELECT min(deleted_at) FROM lethe.outbox WHERE kind = $1))::float8, 0);

-- others-busy
/* lethe:others-busy */
SELECT EXISTS (SELECT 1 FROM pg_stat_activity
               WHERE datname = current_database()
                 AND pid <> pg_backend_pid()
                 AND application_name IS DISTINCT FROM current_setting('application_name')
                 AND backend_type IS DISTINCT FROM 'autovacuum worker'
                 AND (backend_xid IS NOT NULL
                      OR (backend_type = 'client backend' AND wait_event_type IN ('Lock', 'IO'))));
