-- The tables of the seeds, as a Node/Prisma chat backend creates them.

-- Prisma maps DateTime to timestamp(3) without time zone and writes UTC into it.
CREATE TABLE "Message" (
    "id"        uuid PRIMARY KEY,
    "chatId"    uuid NOT NULL,
    "body"      text NOT NULL DEFAULT '',
    "expiresAt" timestamp(3),
    "legalHold" boolean NOT NULL DEFAULT false
);
CREATE INDEX "Message_expiresAt_idx" ON "Message" ("expiresAt");

-- E2EE session keys between devices: text ids, an expiry that may be NULL (= never), in a schema of their own.
CREATE SCHEMA chat;
CREATE TABLE chat."SessionKey" (
    "id"         text PRIMARY KEY,
    "sessionKey" bytea NOT NULL DEFAULT '\x00',
    "expiresAt"  timestamptz
);
CREATE INDEX "SessionKey_expiresAt_idx" ON chat."SessionKey" ("expiresAt");

-- The SQL-first backend's tokens: bigint ids, snake_case columns.
CREATE TABLE refresh_tokens (
    id         bigserial PRIMARY KEY,
    user_id    uuid NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX refresh_tokens_expires_at_idx ON refresh_tokens (expires_at);

-- One-time tokens (seed 003): due when expired or once used; protected rows stay whatever happens.
CREATE TABLE password_reset_tokens (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    token_hash text NOT NULL DEFAULT '',
    expires_at timestamptz NOT NULL,
    used_at    timestamptz,
    protected  boolean NOT NULL DEFAULT false
);
CREATE INDEX password_reset_tokens_expires_at_idx ON password_reset_tokens (expires_at);
CREATE INDEX password_reset_tokens_used_idx ON password_reset_tokens (id) WHERE used_at IS NOT NULL;

CREATE TABLE email_verification_tokens (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id    uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at    timestamptz
);
CREATE INDEX email_verification_tokens_expires_at_idx ON email_verification_tokens (expires_at);
CREATE INDEX email_verification_tokens_used_idx ON email_verification_tokens (id) WHERE used_at IS NOT NULL;
