-- Lethe's own schema, version 3: which instance does the work of which target, as leases in a table. Applied like
-- V1__admin.sql:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f V3__coordination.sql
-- Leases need nothing from a server session, so they work through any connection pooler (advisory locks live in a
-- session, which a transaction pooler lends to others), and they end by themselves when an instance stops renewing
-- them, whether it died or lost its link.

-- Every live instance renews its row at each coordination tick, so that each can count the others.
CREATE TABLE IF NOT EXISTS lethe.instances (
    id         text PRIMARY KEY,
    host       text NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);

-- One row per target: its owner until expires_at, by the database's clock. NULL or past: free to take.
CREATE TABLE IF NOT EXISTS lethe.leases (
    target      text PRIMARY KEY,
    owner       text,
    expires_at  timestamptz NOT NULL DEFAULT now(),
    acquired_at timestamptz
);

INSERT INTO lethe.schema_version (version, description) VALUES (3, 'coordination by leases')
ON CONFLICT (version) DO NOTHING;
