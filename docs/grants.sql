-- A least-privilege PostgreSQL role for Lethe: it reads and deletes the rows of its target tables and keeps its own
-- schema, lethe, and nothing else. Run it once, as the tables' owner or a superuser, connected to the chat's
-- database, from a checkout of Lethe (the paths below are relative to this file):
--
--   psql "$ADMIN_DATABASE_URL" -v ON_ERROR_STOP=1 -v password="$LETHE_DB_PASSWORD" -f docs/grants.sql
--
-- Lethe then connects as lethe (quarkus.datasource.username=lethe). Two ways to keep Lethe's own schema:
--   -v lethe_migrates=true   (the default) Lethe creates and upgrades the schema lethe at startup
--                            (lethe.migrations.apply=true, its default): the role may create a schema in the database.
--   -v lethe_migrates=false  This script applies db/lethe/V1..V4 itself and grants the role their tables; Lethe
--                            runs with lethe.migrations.apply=false and may create nothing. Apply later scripts the
--                            same way.
--
-- The targets below are the ready-made tables (src/main/resources/demo/chat-tables.sql, as prisma migrate creates
-- them); name yours instead: one block per lethe.targets.<target>.table, its child table of files if it has one,
-- and any table a guard or also-due-when reads.

\if :{?password}
\else
  \echo 'grants.sql: give the role a password: psql -v password=... -f docs/grants.sql'
  \quit
\endif
\if :{?lethe_migrates}
\else
  \set lethe_migrates true
\endif

CREATE ROLE lethe LOGIN PASSWORD :'password';
-- Unqualified table names (lethe.targets.message.table=Message) resolve as the application's do, never in the
-- schema lethe that the default search path ("$user", public) would read first.
ALTER ROLE lethe SET search_path = public;

SELECT format('GRANT CONNECT ON DATABASE %I TO lethe', current_database()) \gexec

-- The schemas of the targets.
GRANT USAGE ON SCHEMA public TO lethe;

-- Each target table: SELECT to find due rows, DELETE to delete them. Lethe locks a row before it deletes it
-- (SELECT ... FOR UPDATE SKIP LOCKED, so that it never waits on a row the application holds), and PostgreSQL lets
-- a role lock rows only where it may update at least one column: grant that on the expiry column alone, which gives
-- no power beyond deleting the row or leaving it.
GRANT SELECT, DELETE ON "Message" TO lethe;
GRANT UPDATE ("expiresAt") ON "Message" TO lethe;
GRANT SELECT, DELETE ON "SessionKey" TO lethe;
GRANT UPDATE ("expiresAt") ON "SessionKey" TO lethe;
GRANT SELECT, DELETE ON "RefreshToken" TO lethe;
GRANT UPDATE ("expiresAt") ON "RefreshToken" TO lethe;
GRANT SELECT, DELETE ON "PasswordResetToken" TO lethe;
GRANT UPDATE ("expiresAt") ON "PasswordResetToken" TO lethe;
GRANT SELECT, DELETE ON "EmailVerificationToken" TO lethe;
GRANT UPDATE ("expiresAt") ON "EmailVerificationToken" TO lethe;

-- A child table of files (lethe.targets.message.blobs.table=Attachment): its rows go with their parent's.
-- GRANT SELECT, DELETE ON "Attachment" TO lethe;
-- A table a guard reads (NOT EXISTS (SELECT 1 FROM "LegalHold" ...)): guards run with this role.
-- GRANT SELECT ON "LegalHold" TO lethe;

-- Lethe's own schema.
\if :lethe_migrates
  SELECT format('GRANT CREATE ON DATABASE %I TO lethe', current_database()) \gexec
\else
  \ir ../src/main/resources/db/lethe/V1__admin.sql
  \ir ../src/main/resources/db/lethe/V2__outbox.sql
  \ir ../src/main/resources/db/lethe/V3__coordination.sql
  \ir ../src/main/resources/db/lethe/V4__key_scopes.sql
  GRANT USAGE ON SCHEMA lethe TO lethe;
  GRANT SELECT ON lethe.schema_version TO lethe;
  GRANT SELECT, INSERT, UPDATE, DELETE
    ON lethe.api_keys, lethe.target_state, lethe.outbox, lethe.instances, lethe.leases TO lethe;
  -- Tables a later script adds are granted as they are created by the role running this script.
  ALTER DEFAULT PRIVILEGES IN SCHEMA lethe GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO lethe;
\endif

-- Optional: the statement timeout on the role as well (Lethe sets its own with SET LOCAL in each transaction).
-- ALTER ROLE lethe SET statement_timeout = '5s';
