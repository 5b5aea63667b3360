-- Lethe's own schema, version 1: API keys for the admin API, and the pause state of each target.
-- Lethe applies this at startup (lethe.migrations.apply=true, the default). Where the service may not run DDL,
-- apply it once by hand before starting Lethe with lethe.migrations.apply=false:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f V1__admin.sql
-- The statements are idempotent, so applying the file twice does no harm.

CREATE SCHEMA IF NOT EXISTS lethe;

CREATE TABLE IF NOT EXISTS lethe.schema_version (
    version     integer PRIMARY KEY,
    description text NOT NULL,
    applied_at  timestamptz NOT NULL DEFAULT now()
);

-- Keys are stored only as their SHA-256: they are 256 random bits, so a slow password hash would add nothing.
CREATE TABLE IF NOT EXISTS lethe.api_keys (
    id           uuid PRIMARY KEY,
    name         text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    key_hash     bytea NOT NULL UNIQUE CHECK (length(key_hash) = 32),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    expires_at   timestamptz,
    revoked_at   timestamptz
);
-- Expired keys are swept by Lethe itself (the built-in target lethe-api-keys).
CREATE INDEX IF NOT EXISTS api_keys_expires_at_idx ON lethe.api_keys (expires_at);

-- A paused target deletes nothing, on every replica, from the moment the row commits: Lethe's delete statements
-- read it themselves.
CREATE TABLE IF NOT EXISTS lethe.target_state (
    target     text PRIMARY KEY,
    paused     boolean NOT NULL DEFAULT false,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text NOT NULL
);

INSERT INTO lethe.schema_version (version, description) VALUES (1, 'admin API keys and target pauses')
ON CONFLICT (version) DO NOTHING;
