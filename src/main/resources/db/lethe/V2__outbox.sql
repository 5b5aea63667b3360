-- Lethe's own schema, version 2: the transactional outbox. Every delete statement of a target with files, or of a
-- service announcing deletions on a Redis Stream, inserts its rows here in the same statement, so no committed
-- deletion can lose its files' keys or its announcement, whatever crashes when. Applied like V1__admin.sql:
--   psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -1 -f V2__outbox.sql

CREATE TABLE IF NOT EXISTS lethe.outbox (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    -- blob: delete the object blob_key from the bucket; event: announce the deletion on the stream
    kind       text NOT NULL CHECK (kind IN ('blob', 'event')),
    target     text NOT NULL,
    row_id     text NOT NULL,
    blob_key   text CHECK ((kind = 'blob') = (blob_key IS NOT NULL)),
    source     text NOT NULL,
    deleted_at timestamptz NOT NULL DEFAULT now(),
    -- A row is delivered once not_before has passed: claiming it pushes not_before one lease ahead, so a crashed
    -- instance's rows come back by themselves, and a failed delivery pushes it by the retry backoff.
    not_before timestamptz NOT NULL DEFAULT now(),
    attempts   integer NOT NULL DEFAULT 0,
    last_error text
);
CREATE INDEX IF NOT EXISTS outbox_ready_idx ON lethe.outbox (kind, not_before);
CREATE INDEX IF NOT EXISTS outbox_age_idx ON lethe.outbox (kind, deleted_at);

INSERT INTO lethe.schema_version (version, description) VALUES (2, 'outbox of file deletions and deletion events')
ON CONFLICT (version) DO NOTHING;
