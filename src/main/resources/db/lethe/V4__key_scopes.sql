-- Lethe's own schema, version 4: what each admin API key may do.
--   read     the GET calls (targets, their backlog and state)
--   operate  sweeps on demand, pause and resume
--   keys     creating, listing and revoking keys
-- Keys made before version 4 could do all of it; they keep all three scopes until they are revoked and replaced by
-- keys with fewer. A new key always names its scopes: the column has no default.
-- Idempotent, like the others: psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f V4__key_scopes.sql

ALTER TABLE lethe.api_keys ADD COLUMN IF NOT EXISTS scopes text[] NOT NULL DEFAULT '{read,operate,keys}';
ALTER TABLE lethe.api_keys ALTER COLUMN scopes DROP DEFAULT;
ALTER TABLE lethe.api_keys DROP CONSTRAINT IF EXISTS api_keys_scopes_check;
ALTER TABLE lethe.api_keys ADD CONSTRAINT api_keys_scopes_check
    CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['read', 'operate', 'keys']::text[]);

INSERT INTO lethe.schema_version (version, description) VALUES (4, 'scopes of admin API keys')
ON CONFLICT (version) DO NOTHING;
